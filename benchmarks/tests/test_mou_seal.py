"""The benchmark renders and seals one MoU and leaves the database as it was."""

import pytest

from accounts.models import Force
from benchmarks.mou_seal import bench_render_and_seal

pytestmark = pytest.mark.django_db


def test_bench_reports_timings_and_rolls_back():
    forces = Force.objects.count()
    result = bench_render_and_seal()
    assert result["render_seconds"] > 0 and result["seal_seconds"] > 0
    assert result["pdf_bytes"] > 10_000
    assert Force.objects.count() == forces
