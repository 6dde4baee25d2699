"""The assessment table downloads as CSV with its filters, for police only, and is logged."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from needs_assessment.models import Assessment
from reporting.tests.test_dashboards import COMPLEX, UNIVERSAL, approve
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_filtered_table_downloads_as_csv_and_the_export_is_logged(client, world):
    force = world.forces["a"]
    late = SchoolFactory(force=force, name="Late Larch School")
    approve(late, COMPLEX, world)
    approve(SchoolFactory(force=force, name="Timely Teak School"), UNIVERSAL, world)
    Assessment.objects.filter(school=late).update(
        review_due_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(world.manager)
    url = reverse("needs_assessment:assessment_table")
    response = client.get(url, {"due": "overdue", "format": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = _rows(response)
    assert rows[0] == [
        "URN",
        "School",
        "Local authority",
        "Phase",
        "Current tier",
        "Review due",
        "In progress",
    ]
    assert [(r[1], r[4]) for r in rows[1:]] == [("Late Larch School", "Complex")]
    entry = AuditEntry.objects.get(action="needs_assessment.table.exported")
    assert entry.actor == world.manager and entry.changes["filter_due"] == "overdue"

    everything = _rows(client.get(url, {"format": "csv"}))
    assert {r[1] for r in everything[1:]} == {
        "Alder Academy",
        "Birch Primary",
        "Late Larch School",
        "Timely Teak School",
    }
    assert "Cedar School" not in {r[1] for r in everything[1:]}  # another force's


def test_school_staff_and_partners_cannot_download_it(client, world):
    url = reverse("needs_assessment:assessment_table") + "?format=csv"
    for who in ("headteacher", "dsl", "partner"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 403
