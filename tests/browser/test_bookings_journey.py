"""A school's booking lead finds a free online-safety session for Year 8 and books it in three
screens; the provider confirms it; the calendar file opens as a valid calendar."""

import datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from bookings.models import Booking, Topic
from bookings.tests.factories import SessionFactory, SlotFactory, in_days
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_school_books_a_free_online_safety_session_and_the_provider_confirms(
    page, browser, live_server
):
    world = build_world()
    force = world.forces["a"]
    online = Topic.objects.get(force=force, name="Online safety and sexting")
    session = SessionFactory(
        provider=world.orgs["partner_a"],
        title="Staying safe online",
        topic=online,
        year_groups=",7,8,9,",
        needs_provider_acceptance=True,
        school_provides="A projector and a hall",
    )
    SessionFactory(
        provider=world.orgs["partner_a"],
        title="Sexting and the law",
        topic=online,
        cost_pence=9000,
    )
    SessionFactory(
        provider=world.orgs["police_a"],
        title="Knife crime assembly",
        topic=Topic.objects.get(force=force, name="Weapons and knife crime"),
    )
    slot = SlotFactory(session=session, starts_at=in_days(10, hour=9), capacity=2)
    lead = world.school_link

    # Find it: the catalogue with its filters.
    sign_in(page, lead)
    assert_accessible(page)
    page.get_by_role("link", name="Sessions", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Online safety and sexting", exact=True).check()  # topics: a multi-select
    page.get_by_label("Year group").select_option(label="Year 8")
    page.get_by_label("Cost").select_option(label="Free only")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Staying safe online")).to_be_visible()
    assert page.get_by_role("link", name="Sexting and the law").count() == 0
    assert page.get_by_role("link", name="Knife crime assembly").count() == 0
    page.get_by_role("link", name="Staying safe online").click()

    # Screen 1: choose a date.
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose a date").first).to_be_visible()  # nothing chosen yet
    assert_accessible(page)
    page.get_by_label(slot.local_start.strftime("%A %-d %B %Y"), exact=False).check()
    page.get_by_role("button", name="Continue").click()

    # Screen 2: the cohort.
    expect(page.get_by_role("heading", name="Who will take part?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Year 8", exact=True).check()
    page.get_by_label("Number of pupils").fill("28")
    page.get_by_label("Any needs the provider should know about").fill("Two pupils use BSL")
    page.get_by_role("button", name="Continue").click()

    # Screen 3: check and confirm.
    expect(page.get_by_role("heading", name="Check and confirm your booking")).to_be_visible()
    assert_accessible(page)
    assert "Two pupils use BSL" in page.content()
    page.get_by_role("button", name="Send booking request").click()
    expect(page.get_by_text("Booking requested")).to_be_visible()
    assert_accessible(page)
    booking = Booking.objects.get(slot=slot)
    assert (booking.status, booking.pupils, booking.booked_by) == ("pending", 28, lead)

    # The provider confirms it from their home page.
    provider = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    provider.set_default_timeout(15_000)
    sign_in(provider, world.partner)
    assert_accessible(provider)
    provider.get_by_role("link", name="Alder Academy: Staying safe online").click()
    assert_accessible(provider)
    provider.get_by_label("Accept: confirm the booking").check()
    provider.get_by_role("button", name="Save decision").click()
    expect(provider.get_by_text("Booking confirmed. The school has been told.")).to_be_visible()
    assert_accessible(provider)
    provider.get_by_role("link", name="Bookings", exact=True).click()
    assert_accessible(provider)
    provider.context.close()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    # The school sees it confirmed and adds it to its calendar.
    page.goto(booking.get_absolute_url())
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (.ics file)").click()
    calendar = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["summary"].startswith("Staying safe online")
    assert event.decoded("dtstart") == slot.starts_at.astimezone(datetime.UTC)
    assert event["status"] == "CONFIRMED"
    page.get_by_role("link", name="All bookings").click()
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Staying safe online").first).to_be_visible()
    assert_accessible(page)
