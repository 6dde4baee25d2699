"""An officer finds a school by postcode and logs a visit; the school page shows it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

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
    page.get_by_label("What did you do?").select_option("Visit to the school")
    page.get_by_label("Educator").check()
    page.get_by_text("More details (optional)").click()
    page.get_by_label("Duration in minutes").fill("30")
    page.get_by_label("With whom").fill("Deputy head")
    page.get_by_label("Note (optional)").fill("Talked through the new drop-off arrangements.")
    page.get_by_role("button", name="Save engagement").click()
    page.wait_for_url(f"**{school.get_absolute_url()}")
    expect(page.get_by_text("Talked through the new drop-off arrangements.")).to_be_visible()
    assert_accessible(page)
    engagement = Engagement.objects.get(school=school)
    assert (engagement.officer, engagement.kind, engagement.duration_minutes) == (
        world.neighbourhood,
        "visit",
        30,
    )


def test_officer_reaches_the_visit_form_in_two_taps_and_saves_the_common_case(browser, live_server):
    """From home: the school's "Log a visit" link, then Save. Date, kind and role come filled
    in; the form fits one phone screen (390 by 844) with its button."""
    world = build_world()
    school = world.schools["a1"]  # the neighbourhood officer is its named contact
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, world.neighbourhood)
        assert page.url.rstrip("/") == live_server.url  # home
        # The school's name is a link to its page.
        assert page.get_by_role("link", name=school.name, exact=True).get_attribute("href") == (
            school.get_absolute_url()
        )
        clicks = 0
        page.get_by_role("link", name=f"Log a visit at {school.name}").click()
        clicks += 1
        assert page.get_by_role("heading", level=1).inner_text() == "Log an engagement"
        assert school.name in page.content()
        assert_accessible(page)
        save = page.get_by_role("button", name="Save engagement")
        box = save.bounding_box()
        assert box["y"] + box["height"] <= 844, "the button is on the first screen"
        page.get_by_label("Note (optional)").fill("Spoke to the head about parking at home time.")
        save.click()
        clicks += 1
        assert clicks <= 2
        assert page.url.endswith(school.get_absolute_url())
        engagement = Engagement.objects.get(school=school)
        assert (engagement.officer, engagement.kind, engagement.purpose) == (
            world.neighbourhood,
            "visit",
            "educator",
        )
        assert engagement.occurred_on == timezone.localdate()
        assert engagement.summary == "Spoke to the head about parking at home time."
    finally:
        context.close()
