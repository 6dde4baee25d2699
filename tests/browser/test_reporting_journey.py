"""A prevention manager reads the dashboards, follows "review overdue" to the list, exports it."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import build_world
from needs_assessment.models import Assessment
from reporting.tests.test_dashboards import ENHANCED, UNIVERSAL, approve
from schools.tests.factories import SchoolFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_follows_reviews_overdue_and_exports_the_table(page, live_server):
    world = build_world()
    force = world.forces["a"]
    overdue = SchoolFactory(force=force, name="Overdue Oak Academy")
    approve(overdue, ENHANCED, world)
    approve(SchoolFactory(force=force, name="Current Cedar School"), UNIVERSAL, world)
    Assessment.objects.filter(school=overdue).update(
        review_due_on=timezone.localdate() - timedelta(days=3)
    )

    sign_in(page, world.manager)
    page.get_by_role("link", name="Dashboards", exact=True).first.click()
    page.get_by_role("heading", name="Tiers", level=1).wait_for()
    assert_accessible(page)
    # Chart.js drew the tier chart from the same figures as the table under it.
    page.wait_for_function(
        "document.querySelector('canvas[data-chart]') && window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    tier_table = page.get_by_role("table", name="Schools by tier")
    assert "1 (25%)" in tier_table.inner_text()  # Enhanced: 1 of 4 open schools

    due = page.get_by_role("table", name="Assessments due")
    due.get_by_role("row", name="Review overdue").get_by_role("link").click()
    page.get_by_role("heading", name="Assessments").first.wait_for()
    assert_accessible(page)
    listed = page.locator("main").inner_text()
    assert "Overdue Oak Academy" in listed and "Current Cedar School" not in listed
    with page.expect_download() as list_download:
        page.get_by_role("link", name="Download these schools as CSV").click()
    exported = list(csv.reader(io.StringIO(Path(list_download.value.path()).read_text("utf-8"))))
    assert exported[0][:2] == ["URN", "School"]
    assert [row[1] for row in exported[1:]] == ["Overdue Oak Academy"]
    assert exported[1][4] == "Enhanced"

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “Assessments due” as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text("utf-8"))))
    assert rows[0] == ["Assessments", "Schools"]
    assert ["Review overdue", "1"] in rows

    page.get_by_role("link", name="Steering-group report").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the report").click()
    page.get_by_text("The report is ready").wait_for()
    assert_accessible(page)
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(pdf_info.value.path()).read_bytes()[:5] == b"%PDF-"
