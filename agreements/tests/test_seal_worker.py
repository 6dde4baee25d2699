"""A real Celery worker, its own process, seals an agreement signed in this test (CI only)."""

import os
import time

import pytest

from agreements import services
from agreements.models import Agreement
from agreements.seal import seal_is_valid
from conftest import build_world

from .conftest import sign
from .worker import can_run_a_real_worker, real_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL and PostgreSQL"),
]
DEADLINE_SECONDS = 90


def test_a_real_worker_seals_the_signed_agreement(settings, tmp_path):
    if not can_run_a_real_worker():
        pytest.skip("needs PostgreSQL: the worker must share the test database")
    world = build_world()
    with real_worker(tmp_path / "worker.log") as (queue, worker):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        agreement = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
        services.agreement_send(agreement=agreement, by=world.neighbourhood)
        sign(agreement, world.neighbourhood)  # the officer signs first (the default)
        sign(agreement, world.headteacher)  # commits: the seal task goes to Redis
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline and worker.poll() is None:
            agreement = Agreement.objects.get(pk=agreement.pk)
            if agreement.is_sealed:
                break
            time.sleep(0.5)
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert agreement.is_sealed, f"not sealed within {DEADLINE_SECONDS} s:\n{log}"
        # The worker logs the task when it receives it (before the result, which may lag).
        assert "agreements.tasks.seal_agreement[" in log and "received" in log
        with agreement.sealed_pdf.open("rb") as handle:
            assert seal_is_valid(handle.read(), [agreement.seal_certificate])
