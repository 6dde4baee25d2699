"""Booking rules a provider sets once (#23.4): on a phone, the partner sets minimum notice and
term time for all its sessions; a session's form says it follows them; a school sees them in
the catalogue."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings.models import ProviderRules
from bookings.tests.factories import SessionFactory, SlotFactory, in_days
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_a_phone(page):
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"


def test_a_provider_sets_its_booking_rules_once_and_schools_see_them(page, browser, live_server):
    world = build_world()
    session = SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")
    SlotFactory(session=session, starts_at=in_days(20))
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, world.partner)
    page.goto(reverse("bookings:manage"))
    _fits_a_phone(page)
    page.get_by_role("link", name="Change the booking rules of Fire Service").click()
    expect(page.get_by_role("heading", name="Booking rules")).to_be_visible()
    _fits_a_phone(page)

    # A bad value is refused in plain English and kept.
    page.get_by_label("Minimum notice in days").fill("two weeks")
    page.get_by_role("button", name="Save booking rules").click()
    expect(page.get_by_role("link", name="Enter the minimum notice as a whole number of days"))
    _fits_a_phone(page)
    expect(page.get_by_label("Minimum notice in days")).to_have_value("two weeks")

    page.get_by_label("Minimum notice in days").fill("14")
    page.get_by_label("Dates in school term time only").check()
    page.get_by_role("button", name="Save booking rules").click()
    expect(page.get_by_text("Booking rules of Fire Service saved")).to_be_visible()
    _fits_a_phone(page)
    rules = ProviderRules.objects.get(provider=world.orgs["partner_a"])
    assert (rules.min_notice_days, rules.term_time_only) == (14, True)

    # The session's form says it follows them.
    page.goto(reverse("bookings:session_edit", args=[session.pk]))
    expect(page.get_by_text("Your provider's rules: Book at least 14 days ahead.")).to_be_visible()
    expect(page.get_by_label("Use the provider's booking rules")).to_be_checked()
    _fits_a_phone(page)

    school = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    school.set_default_timeout(15_000)
    school.set_viewport_size({"width": 320, "height": 800})
    sign_in(school, world.school_link)
    school.goto(reverse("bookings:catalogue"))
    expect(school.get_by_text("Book at least 14 days ahead.")).to_be_visible()
    _fits_a_phone(school)
    school.context.close()
