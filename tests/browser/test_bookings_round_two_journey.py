"""Bookings, second round (#23): a coordinator books a session on a school's behalf and the
school's booking lead finds it on their home page; after the date the provider marks it
delivered and the school is asked to evaluate it."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import OutboxEmail
from bookings.models import Booking
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_books_for_a_school_and_its_lead_is_told(page, browser, live_server):
    world = build_world()
    school = world.schools["a1"]
    session = SessionFactory(provider=world.orgs["partner_a"], title="Water safety")
    slot = SlotFactory(session=session, starts_at=in_days(12, hour=9), capacity=2)

    sign_in(page, world.coordinator)
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_role("link", name="Book for a school").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Choose the school you are booking for").first.is_visible()
    assert_accessible(page)
    page.get_by_label("School").select_option(label=school.name)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text(f"You are booking for {school.name}.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Water safety").click()
    assert_accessible(page)
    page.get_by_label(slot.local_start.strftime("%A %-d %B %Y"), exact=False).check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Year 8", exact=True).check()
    page.get_by_label("Number of pupils").fill("25")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text(school.name).first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()
    assert page.get_by_text("Booking confirmed").is_visible()
    assert page.get_by_text(f"on behalf of {school.name}").first.is_visible()
    assert_accessible(page)
    booking = Booking.objects.get(slot=slot)
    assert (booking.booked_by, booking.lead) == (world.coordinator, world.school_link)
    assert OutboxEmail.objects.filter(to=world.school_link.email).exists()

    # The school's booking lead is told on their home page, and can change it.
    lead = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    lead.set_default_timeout(15_000)
    sign_in(lead, world.school_link)
    assert lead.get_by_text("Booked for your school").is_visible()
    assert_accessible(lead)
    lead.get_by_role("link", name="Water safety", exact=False).first.click()
    assert lead.get_by_role("link", name="Cancel the booking").is_visible()
    assert_accessible(lead)
    lead.context.close()


def test_the_provider_marks_a_session_delivered_and_the_school_is_asked_to_evaluate(
    page, browser, live_server
):
    world = build_world()
    session = SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")
    start = timezone.now() - datetime.timedelta(days=1)
    booking = BookingFactory(
        slot=SlotFactory(
            session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        ),
        school=world.schools["a1"],
        booked_by=world.school_link,
    )

    sign_in(page, world.partner)
    page.goto(booking.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Say whether it happened").click()
    assert_accessible(page)
    page.get_by_label("Cancelled on the day", exact=True).check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Say why the session was cancelled on the day").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Delivered", exact=True).check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved. The school's booking lead has been told.").is_visible()
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.outcome == Booking.Outcome.DELIVERED

    school = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    school.set_default_timeout(15_000)
    sign_in(school, world.school_link)
    school.get_by_role("link", name="Evaluate Fire and you", exact=False).click()
    assert_accessible(school)
    school.context.close()


def _narrow_and_accessible(page, url):
    page.goto(url)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{url} is {width}px wide at 320px"


def test_the_new_pages_fit_a_phone_and_are_accessible(page, browser, live_server):
    from django.urls import reverse

    from bookings.models import DateProposal, Evaluation
    from referrals.tests.factories import CaseFactory, YoungPersonFactory

    world = build_world()
    session = SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")
    SlotFactory(session=session, starts_at=in_days(12), deliverer_person=world.partner)
    start = timezone.now() - datetime.timedelta(days=2)
    done = BookingFactory(
        slot=SlotFactory(
            session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        ),
        school=world.schools["a1"],
        booked_by=world.school_link,
        outcome=Booking.Outcome.DELIVERED,
    )
    evaluation = Evaluation.objects.create(
        booking=done, given_by=world.school_link, delivered=True, usefulness=3, comment="Long"
    )
    proposal = DateProposal.objects.create(
        session=session,
        school=world.schools["a1"],
        proposed_by=world.school_link,
        starts_at=in_days(30),
        year_groups=",8,",
        pupils=20,
    )
    case = CaseFactory(
        young_person=YoungPersonFactory(force=world.forces["a"], school=world.schools["a1"]),
        team=world.teams["sst_a"],
        officer=world.sso,
    )
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, world.partner)
    for url in (
        reverse("bookings:session_slots", args=[session.pk]),
        reverse("bookings:my_deliveries"),
        proposal.get_absolute_url(),
        reverse("bookings:evaluation_reply", args=[evaluation.pk]),
        reverse("bookings:evaluation_results"),
    ):
        _narrow_and_accessible(page, url)
    school = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    school.set_default_timeout(15_000)
    school.set_viewport_size({"width": 320, "height": 800})
    sign_in(school, world.school_link)
    for url in (
        reverse("bookings:proposal_create", args=[session.pk]),
        reverse("bookings:catalogue"),
        reverse("bookings:booking_list"),
    ):
        _narrow_and_accessible(school, url)
    school.context.close()
    officer = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    officer.set_default_timeout(15_000)
    officer.set_viewport_size({"width": 320, "height": 800})
    sign_in(officer, world.sso)
    for url in (
        reverse("bookings:case_input", args=[case.public_id]),
        reverse("bookings:school_sessions"),
    ):
        _narrow_and_accessible(officer, url)
    officer.context.close()
