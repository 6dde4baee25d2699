"""Confirming a GIAS import runs it as a task, with a page that shows how far it has got."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEntry, Organisation
from schools import gias, gias_forms
from schools.models import GiasImport, School
from schools.tasks import apply_gias_import, check_gias_import

DATA = Path(__file__).parent / "data"
EXTRACT_2021 = DATA / "gias_establishments_2021_sample_npq-registration.csv"
CAMDEN = "202"


@pytest.fixture
def admin_client(client, world):
    world.forces["a"].home_la_codes = [CAMDEN]
    world.forces["a"].save()
    client.force_login(world.admin)
    return client


@pytest.fixture
def gias_import(world):
    return gias.gias_import_upload(
        force=world.forces["a"],
        uploaded_by=world.admin,
        data=EXTRACT_2021.read_bytes(),
        original_name="edubasealldata20210520.csv",
        la_codes=[CAMDEN],
    )


def _urls(gias_import):
    return (
        reverse("schools:import_preview", args=[gias_import.pk]),
        reverse("schools:import_status", args=[gias_import.pk]),
    )


def test_confirming_queues_the_import_and_shows_its_progress(admin_client, world, gias_import):
    page_url, status_url = _urls(gias_import)

    # The commit's callbacks are not run: the task is queued, not yet started.
    response = admin_client.post(page_url)

    assert response["Location"] == page_url
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.IMPORTING
    assert not School.objects.filter(la_code=CAMDEN).exists()
    page = admin_client.get(page_url).content.decode()
    assert "Importing the schools" in page
    assert "Waiting to start." in page
    # Polling is a script asking the status address; without it, a link to check again.
    assert 'http-equiv="refresh"' not in page.lower()
    assert f'data-gias-import-status-url="{status_url}"' in page
    assert "schools/gias_import.js" in page
    assert f'<a class="govuk-link" href="{page_url}">Check progress</a>' in page
    assert "Confirm and import" not in page
    status = admin_client.get(status_url).json()
    assert status["status"] == "importing" and status["finished"] is False
    assert status["progress"]["label"] == "Waiting to start"

    # Confirming again while it runs starts nothing new.
    admin_client.post(page_url)
    assert AuditEntry.objects.filter(action="schools.gias.confirmed").count() == 1


def test_the_page_shows_the_rows_done_so_far(admin_client, gias_import):
    page_url, status_url = _urls(gias_import)
    admin_client.post(page_url)
    gias.report_progress(gias_import.pk, "checking", 12000, 21500)

    assert "Checking the schools against the register: 12,000 of 21,500 rows." in (
        admin_client.get(page_url).content.decode()
    )
    assert admin_client.get(status_url).json()["progress"] == {
        "stage": "checking",
        "done": 12000,
        "total": 21500,
        "label": "Checking the schools against the register",
    }


def test_the_task_imports_and_reports_progress_row_by_row(
    admin_client, world, gias_import, monkeypatch, django_capture_on_commit_callbacks
):
    page_url, status_url = _urls(gias_import)
    monkeypatch.setattr(gias, "PROGRESS_EVERY", 10)
    reports = []
    report = gias.report_progress
    monkeypatch.setattr(
        gias,
        "report_progress",
        lambda pk, stage, done=0, total=None: (
            reports.append((stage, done, total)) or report(pk, stage, done, total)
        ),
    )

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(page_url)

    assert reports == [
        ("queued", 0, None),
        ("reading", 0, None),
        *[("reading", n, None) for n in range(9, 100, 10)],
        *[("checking", n, 44) for n in range(0, 44, 10)],
        ("saving", 44, None),
    ]
    assert School.objects.filter(force=world.forces["a"], la_code=CAMDEN).count() == 44
    assert admin_client.get(status_url).json() == {
        "status": "applied",
        "finished": True,
        "progress": None,
    }
    assert "This file has been imported" in admin_client.get(page_url).content.decode()


def test_an_import_that_stops_part_way_changes_nothing_and_says_so(
    admin_client, world, gias_import, monkeypatch
):
    page_url, _ = _urls(gias_import)
    admin_client.post(page_url)
    schools, organisations = School.objects.count(), Organisation.objects.count()
    write = gias._write

    def write_then_stop(plan, **kwargs):
        write(plan, **kwargs)
        assert School.objects.filter(la_code=CAMDEN).count() == 44  # written, not committed
        raise OSError("database connection lost")

    monkeypatch.setattr(gias, "_write", write_then_stop)

    with pytest.raises(OSError):
        apply_gias_import.delay(gias_import.pk, world.admin.pk)

    assert (School.objects.count(), Organisation.objects.count()) == (schools, organisations)
    assert not AuditEntry.objects.filter(action="schools.gias.imported").exists()
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.FAILED
    assert gias_import.file  # kept, so the import can be confirmed again
    page = admin_client.get(page_url).content.decode()
    assert "The last import did not finish" in page
    assert "The import stopped before it finished, so nothing was changed." in page
    assert "Confirm and import" in page


def test_the_task_does_nothing_for_an_import_not_confirmed_or_already_applied(
    world, gias_import, django_capture_on_commit_callbacks
):
    assert apply_gias_import.delay(gias_import.pk, world.admin.pk).get() == "nothing to do"
    with django_capture_on_commit_callbacks(execute=True):
        gias.gias_import_queue(gias_import, by=world.admin)
    assert School.objects.filter(la_code=CAMDEN).count() == 44
    # Delivered again (a worker lost after the commit): nothing happens twice.
    assert apply_gias_import.delay(gias_import.pk, world.admin.pk).get() == "nothing to do"
    assert AuditEntry.objects.filter(action="schools.gias.imported").count() == 1


# A large file: its header is checked while the page waits, the rest by a task.


def _upload(client, data):
    return client.post(
        reverse("schools:import_upload"),
        {
            "file": SimpleUploadedFile("edubasealldata.csv", data, content_type="text/csv"),
            "la_codes": CAMDEN,
        },
    )


@pytest.fixture
def large(monkeypatch):
    """Treat the 90 kB sample as a large file."""
    monkeypatch.setattr(gias_forms, "READ_IN_REQUEST_BYTES", 1000)


def test_a_large_file_is_read_by_a_task_and_previewed_from_what_it_stored(
    admin_client, world, large, monkeypatch, django_capture_on_commit_callbacks
):
    read = []

    def read_gias(data, **kwargs):
        read.append(1)
        return _read(data, **kwargs)

    monkeypatch.setattr(gias, "read_gias", read_gias)
    monkeypatch.setattr(gias_forms, "read_gias", read_gias)
    response = _upload(admin_client, EXTRACT_2021.read_bytes())
    gias_import = GiasImport.objects.get()
    page_url, status_url = _urls(gias_import)
    assert response["Location"] == page_url
    assert gias_import.status == GiasImport.Status.CHECKING
    assert read == []  # only the header was read while the page waited
    page = admin_client.get(page_url).content.decode()
    assert "Checking the file" in page and "Check progress" in page
    assert admin_client.get(status_url).json()["finished"] is False

    # The task queued after the upload's commit.
    check_gias_import.delay(gias_import.pk)
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.PREVIEWED
    assert read == [1]
    assert admin_client.get(status_url).json()["finished"] is True
    response = admin_client.get(page_url)
    assert read == [1]  # the preview is shown from what the task stored
    assert (response.context["summary"].created, response.context["summary"].skipped) == (44, 55)
    assert len(response.context["changes"]) == 44
    assert "Confirm and import" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(page_url)
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.APPLIED
    assert School.objects.filter(force=world.forces["a"], la_code=CAMDEN).count() == 44


_read = gias.read_gias


def test_a_large_file_with_a_wrong_header_is_refused_at_once(admin_client, large):
    data = EXTRACT_2021.read_bytes().replace(b"PhaseOfEducation (name)", b"Phase", 1)

    response = _upload(admin_client, data)

    assert response.status_code == 200
    assert "the file has no column called" in response.content.decode()
    assert not GiasImport.objects.exists()


def test_a_large_file_with_a_broken_row_fails_its_check_and_saves_nothing(
    admin_client, large, django_capture_on_commit_callbacks
):
    data = EXTRACT_2021.read_bytes().replace(b"\r\n100012,", b"\r\n,", 1)
    schools = School.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, data)

    gias_import = GiasImport.objects.get()
    assert gias_import.status == GiasImport.Status.FAILED
    page = admin_client.get(response["Location"]).content.decode()
    assert "This file cannot be imported" in page
    assert "Row 14, column URN: the URN is missing" in page
    assert "Confirm and import" not in page
    assert School.objects.count() == schools


def test_with_the_broker_down_the_page_says_the_import_did_not_start(
    admin_client, world, gias_import, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(apply_gias_import, "delay", broker_down)
    page_url, _ = _urls(gias_import)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page_url)

    assert response["Location"] == page_url
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.FAILED
    page = admin_client.get(page_url).content.decode()
    assert "The work could not be started, so nothing was changed." in page
    assert "Confirm and import" in page
    assert not School.objects.filter(la_code=CAMDEN).exists()
