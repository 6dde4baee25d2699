"""An administrator waits for a GIAS import: the page shows its progress and its result."""

from pathlib import Path

import pytest

from conftest import build_world
from schools import gias
from schools.models import GiasImport, School

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EXTRACT_2021 = (
    Path(__file__).resolve().parents[2]
    / "schools/tests/data/gias_establishments_2021_sample_npq-registration.csv"
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_import_page_shows_progress_and_reloads_itself_when_done(page):
    world = build_world()
    gias_import = gias.gias_import_upload(
        force=world.forces["a"],
        uploaded_by=world.admin,
        data=EXTRACT_2021.read_bytes(),
        original_name="edubasealldata20210520.csv",
        la_codes=["202"],
    )
    # Confirmed, and its task not yet started.
    GiasImport.objects.filter(pk=gias_import.pk).update(status=GiasImport.Status.IMPORTING)
    gias.report_progress(gias_import.pk, "checking", 2000, 21500)
    sign_in(page, world.admin)

    page.goto(f"/schools/import/{gias_import.pk}/")

    assert page.get_by_role("heading", name="Importing the schools").is_visible()
    assert "Checking the schools against the register: 2,000 of 21,500 rows." in page.content()
    assert page.locator('meta[http-equiv="refresh" i]').count() == 0
    assert page.get_by_role("link", name="Check progress").is_visible()
    assert_accessible(page)
    # The script updates the text as the task reports, then reloads once it has finished.
    gias.report_progress(gias_import.pk, "checking", 12000, 21500)
    page.get_by_text("12,000 of 21,500 rows").wait_for()
    gias.gias_import_confirm(GiasImport.objects.get(pk=gias_import.pk), by=world.admin)
    page.get_by_role("heading", name="This file has been imported").wait_for()
    assert_accessible(page)
    assert School.objects.filter(force=world.forces["a"], la_code="202").count() == 44
