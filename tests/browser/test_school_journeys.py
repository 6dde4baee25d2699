"""An officer finds a school by postcode and logs a visit; the school page shows it."""

import pytest

from conftest import build_world
from schools.models import Engagement
from schools.tests.factories import SchoolFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_finds_a_school_by_postcode_and_logs_a_visit(page):
    world = build_world()
    school = SchoolFactory(
        force=world.forces["a"], name="Hillview Primary", postcode="DT1 2AB", phase="primary"
    )
    sign_in(page, world.neighbourhood)
    page.get_by_role("link", name="Schools", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Name, URN or postcode").fill("dt12ab")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    page.get_by_role("link", name="Hillview Primary").click()
    assert_accessible(page)
    page.get_by_role("link", name="Log an engagement").click()
    assert_accessible(page)
    page.get_by_label("Visit to the school").check()
    page.get_by_label("Educator").check()
    page.get_by_label("Duration in minutes").fill("30")
    page.get_by_label("With whom").fill("Deputy head")
    page.get_by_label("Summary").fill("Talked through the new drop-off arrangements.")
    page.get_by_role("button", name="Save engagement").click()
    assert page.url.endswith(school.get_absolute_url())
    assert "Talked through the new drop-off arrangements." in page.content()
    assert_accessible(page)
    engagement = Engagement.objects.get(school=school)
    assert (engagement.officer, engagement.kind, engagement.duration_minutes) == (
        world.neighbourhood,
        "visit",
        30,
    )
