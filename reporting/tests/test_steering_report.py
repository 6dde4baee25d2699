"""The quarterly steering-group report: queued, made by the task, downloadable, and scoped."""

import io
from datetime import date

import pypdf
import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry, AuditEntry
from reporting.models import SteeringReport
from reporting.scope import quarter_of
from reporting.steering import recent_quarters
from schools.tests.factories import SchoolFactory
from tests.matrix import DENIED, EVERYONE, HIDDEN, LOGIN, OK, REDIRECT, Row, check

from .test_dashboards import COMPLEX, UNIVERSAL, approve

pytestmark = pytest.mark.django_db


def test_quarters_are_calendar_quarters_that_have_ended():
    assert quarter_of(date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    quarters = recent_quarters(date(2026, 11, 23), count=3)
    assert quarters == [
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ]


def _text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_manager_asks_for_a_report_and_downloads_the_pdf(
    file_storage, client, world, django_capture_on_commit_callbacks
):
    force = world.forces["a"]
    quarter = recent_quarters(date.today())[0]
    for _ in range(3):
        approve(SchoolFactory(force=force), UNIVERSAL, world, today=quarter[0])
    approve(SchoolFactory(force=force), COMPLEX, world, today=quarter[0])
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:steering_list"), {"quarter": quarter[0].isoformat()}
        )
    report = SteeringReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert report.status == SteeringReport.Status.READY and report.progress == 100
    assert file_storage.exists(report.pdf.name)  # stored where the settings say, local or S3
    assert AuditEntry.objects.filter(action="reporting.steering_report.requested").exists()

    page = client.get(report.get_absolute_url()).content.decode()
    assert "The report is ready" in page and 'http-equiv="refresh"' not in page

    response = client.get(reverse("reporting:steering_download", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    with file_storage.open(report.pdf.name, "rb") as stored:
        assert data == stored.read()
    text = _text(data)
    assert "Dorset Police" in text
    assert f"Steering-group report, {report.quarter_label}" in text
    assert "Schools at Universal" in text and "Schools at Complex" in text
    assert "Headline figures" in text and "Previous quarter" in text
    assert AccessLogEntry.objects.filter(actor=world.manager, action="downloaded").count() == 1


def test_a_report_being_made_refreshes_itself(client, world):
    report = SteeringReport.objects.create(
        force=world.forces["a"],
        quarter_start=date(2026, 7, 1),
        quarter_end=date(2026, 9, 30),
        requested_by=world.manager,
        status=SteeringReport.Status.RUNNING,
        step="Counting tiers",
        progress=40,
    )
    client.force_login(world.manager)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "40% done" in page
    assert client.get(reverse("reporting:steering_download", args=[report.pk])).status_code == 404


def test_an_unknown_quarter_is_refused_plainly(client, world):
    client.force_login(world.manager)
    response = client.post(reverse("reporting:steering_list"), {"quarter": "1999-01-01"})
    assert response.status_code == 200
    assert "Choose the quarter the report is for." in response.content.decode()
    assert not SteeringReport.objects.exists()


def test_steering_report_permissions(client, world):
    report = SteeringReport.objects.create(
        force=world.forces["a"],
        quarter_start=date(2026, 7, 1),
        quarter_end=date(2026, 9, 30),
        requested_by=world.manager,
    )
    managers = {"manager": OK, "other_force_manager": OK}
    everyone = (*EVERYONE, "other_force_manager")
    list_url = reverse("reporting:steering_list")
    detail = report.get_absolute_url()
    rows = [Row("anonymous", "GET", list_url, LOGIN), Row("anonymous", "GET", detail, LOGIN)]
    rows += [Row(who, "GET", list_url, managers.get(who, DENIED)) for who in everyone]
    rows += [
        Row(who, "GET", detail, {"manager": OK, "other_force_manager": HIDDEN}.get(who, DENIED))
        for who in everyone
    ]
    download = reverse("reporting:steering_download", args=[report.pk])
    # Not ready yet: nobody can download it, and only its force's managers learn that.
    rows += [Row(who, "GET", download, HIDDEN if "manager" in who else DENIED) for who in everyone]
    rows += [
        Row(who, "POST", list_url, REDIRECT if who == "manager" else DENIED, {"quarter": "x"})
        for who in ("sergeant", "coordinator", "headteacher", "partner")
    ]
    check(client, world, rows)


def test_every_reporting_page_has_permission_rows():
    from django.urls import get_resolver

    names = {
        name
        for name in get_resolver().namespace_dict["reporting"][1].reverse_dict
        if isinstance(name, str)
    }
    covered = {
        "dashboards",
        "dashboard",
        "export",  # test_dashboards.py
        "steering_list",
        "steering_detail",
        "steering_download",  # above
    }
    assert names == covered


def test_the_report_list_is_paginated_at_a_constant_query_cost(client, world, count_queries):
    def make(n):
        for _ in range(n):
            SteeringReport.objects.create(
                force=world.forces["a"],
                quarter_start=date(2026, 7, 1),
                quarter_end=date(2026, 9, 30),
                requested_by=world.manager,
            )

    client.force_login(world.manager)
    url = reverse("reporting:steering_list")
    make(1)
    client.get(url)
    few = count_queries(client, url, cold=False)
    make(44)
    many = count_queries(client, url, cold=False)
    assert few == many
    page = client.get(url)
    assert page.content.decode().count('href="/dashboards/steering-group/') == 20
    assert "page=2" in page.content.decode()
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('href="/dashboards/steering-group/') == 5
