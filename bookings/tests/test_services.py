"""The workflows: book, decide, cancel, reschedule, waitlist, publish dates, evaluate, demand."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from accounts.models import AuditEntry
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.models import Booking, Slot, Topic, WaitlistEntry
from bookings.tests.factories import SessionFactory, SlotFactory, in_days
from schools.models import Term
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _book(world, slot, user=None, school="a1", pupils=25, **kwargs):
    return services.booking_create(
        slot=slot,
        school=world.schools[school],
        by=user or world.headteacher,
        year_groups=kwargs.pop("year_groups", [8]),
        pupils=pupils,
        **kwargs,
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Return a context that runs the after-commit work (the emails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def session(world):
    return SessionFactory(provider=world.orgs["partner_a"], title="Online safety for Year 8")


def test_booking_confirms_at_once_and_emails_a_calendar_file(world, session, mailoutbox, commit):
    slot = SlotFactory(session=session, capacity=2)
    with commit():
        booking = _book(world, slot, needs="Two wheelchair users")
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.year_groups == ",8,"
    slot.refresh_from_db()
    assert (slot.places_taken, slot.places_left) == (1, 1)
    to_lead = [m for m in mailoutbox if m.to == [world.headteacher.email]]
    assert to_lead and "Booking confirmed" in to_lead[0].subject
    name, content, mimetype = to_lead[0].attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert "Alder Academy" in str(event["summary"])
    # The partner hears of the new booking too.
    assert any(m.to == [world.partner.email] for m in mailoutbox)
    assert AuditEntry.objects.filter(action="bookings.booking.made").count() == 1


def test_a_session_needing_acceptance_waits_for_the_provider(world, session, mailoutbox, commit):
    session.needs_provider_acceptance = True
    session.save()
    slot = SlotFactory(session=session)
    with commit():
        booking = _book(world, slot)
    assert booking.status == Booking.Status.PENDING
    assert [m.to for m in mailoutbox] == [[world.partner.email]]
    mailoutbox.clear()
    with pytest.raises(ValidationError):
        services.booking_decide(booking=booking, by=world.partner, accept=False, reason=" ")
    with commit():
        services.booking_decide(booking=booking, by=world.partner, accept=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert mailoutbox[0].to == [world.headteacher.email]
    assert mailoutbox[0].attachments


def test_declining_frees_the_place(world, session, mailoutbox, commit):
    session.needs_provider_acceptance = True
    session.save()
    slot = SlotFactory(session=session)
    booking = _book(world, slot)
    with commit():
        services.booking_decide(
            booking=booking, by=world.partner, accept=False, reason="Fully staffed"
        )
    slot.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DECLINED and booking.reason == "Fully staffed"
    assert slot.places_taken == 0
    assert "Fully staffed" in mailoutbox[-1].body


def test_the_last_place_taken_shows_the_next_dates(world, session):
    slot = SlotFactory(session=session, capacity=1)
    later = SlotFactory(session=session, starts_at=in_days(21))
    _book(world, slot, user=world.other_school_headteacher, school="a2")
    with pytest.raises(services.PlaceTaken) as taken:
        _book(world, slot)
    assert taken.value.next_slots == [later]
    assert str(taken.value) == "That place has just been taken"


def test_the_database_refuses_overbooking_even_without_the_service(world, session):
    slot = SlotFactory(session=session, capacity=1)
    Slot.objects.filter(pk=slot.pk).update(places_taken=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(places_taken=2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pupils": 31}, "at most 30 pupils"),
        ({"year_groups": []}, "year groups"),
    ],
)
def test_bad_cohorts_are_refused(world, session, change, message):
    slot = SlotFactory(session=session)
    with pytest.raises(ValidationError, match=message):
        _book(world, slot, **change)


def test_a_school_cannot_book_another_forces_session_or_the_same_date_twice(world, session):
    slot = SlotFactory(session=session, capacity=5)
    with pytest.raises(ValidationError, match="your force"):
        _book(world, slot, user=world.other_force_headteacher, school="b1")
    _book(world, slot)
    with pytest.raises(ValidationError, match="already booked"):
        _book(world, slot, user=world.dsl)


def test_past_and_inactive_sessions_cannot_be_booked(world, session):
    slot = SlotFactory(session=session)
    with pytest.raises(ValidationError, match="passed"):
        _book(world, slot, now=slot.starts_at)
    session.active = False
    session.save()
    with pytest.raises(ValidationError, match="no longer offered"):
        _book(world, slot)


def test_cancelling_tells_the_other_side_and_frees_the_place(world, session, mailoutbox, commit):
    slot = SlotFactory(session=session)
    booking = _book(world, slot)
    mailoutbox.clear()
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, by=world.headteacher, reason="")
    with commit():
        services.booking_cancel(booking=booking, by=world.headteacher, reason="Exams moved")
    slot.refresh_from_db()
    assert slot.places_taken == 0
    assert [m.to for m in mailoutbox] == [[world.partner.email]]
    assert "Exams moved" in mailoutbox[0].body

    again = _book(world, slot)
    mailoutbox.clear()
    with commit():
        services.booking_cancel(booking=again, by=world.partner, reason="Presenter ill")
    assert [m.to for m in mailoutbox] == [[world.headteacher.email]]
    content = mailoutbox[0].attachments[0][1]
    assert Calendar.from_ical(content).walk("VEVENT")[0]["status"] == "CANCELLED"


def test_a_started_session_cannot_be_cancelled(world, session):
    slot = SlotFactory(session=session)
    booking = _book(world, slot)
    with pytest.raises(ValidationError, match="started"):
        services.booking_cancel(
            booking=booking, by=world.headteacher, reason="Late", now=slot.starts_at
        )


def test_rescheduling_moves_the_place_and_tells_the_school(world, session, mailoutbox, commit):
    first = SlotFactory(session=session)
    second = SlotFactory(session=session, starts_at=in_days(20))
    other_session_slot = SlotFactory(session=SessionFactory(provider=world.orgs["partner_a"]))
    booking = _book(world, first)
    mailoutbox.clear()
    with pytest.raises(ValidationError):
        services.booking_reschedule(
            booking=booking, to_slot=other_session_slot, by=world.partner, reason="Clash"
        )
    with commit():
        services.booking_reschedule(
            booking=booking, to_slot=second, by=world.partner, reason="Clash"
        )
    first.refresh_from_db()
    second.refresh_from_db()
    booking.refresh_from_db()
    assert (first.places_taken, second.places_taken) == (0, 1)
    assert booking.slot == second and booking.sequence == 1
    assert [m.to for m in mailoutbox] == [[world.headteacher.email]]
    assert "moved to a new date" in mailoutbox[0].subject


def test_rescheduling_to_a_full_date_is_refused(world, session):
    first = SlotFactory(session=session)
    full = SlotFactory(session=session, starts_at=in_days(20))
    _book(world, full, user=world.other_school_headteacher, school="a2")
    booking = _book(world, first)
    with pytest.raises(services.PlaceTaken):
        services.booking_reschedule(booking=booking, to_slot=full, by=world.partner, reason="x")
    first.refresh_from_db()
    assert first.places_taken == 1


def test_a_freed_place_goes_to_the_waitlist_for_48_hours_then_to_the_next(
    world, session, mailoutbox, commit
):
    slot = SlotFactory(session=session, capacity=1)
    holder = _book(world, slot, user=world.other_school_headteacher, school="a2")
    with pytest.raises(ValidationError):
        services.waitlist_join(
            slot=SlotFactory(session=session),
            school=world.schools["a1"],
            by=world.dsl,
            year_groups=[8],
            pupils=20,
        )
    first = services.waitlist_join(
        slot=slot, school=world.schools["a1"], by=world.dsl, year_groups=[8], pupils=20
    )
    third_school = SchoolFactory(force=world.forces["a"])
    third_user = UserFactory(organisation=third_school.organisation, role="headteacher")
    second = services.waitlist_join(
        slot=slot, school=third_school, by=third_user, year_groups=[9], pupils=10
    )
    now = timezone.now()
    mailoutbox.clear()
    with commit():
        services.booking_cancel(
            booking=holder, by=world.other_school_headteacher, reason="Trip", now=now
        )
    first.refresh_from_db()
    slot.refresh_from_db()
    assert first.status == WaitlistEntry.Status.OFFERED
    assert first.offer_expires_at == now + datetime.timedelta(hours=48)
    assert (slot.places_taken, slot.places_held, slot.places_left) == (0, 1, 0)
    assert any(m.to == [world.dsl.email] and "place has come up" in m.subject for m in mailoutbox)
    # Someone else cannot take the held place.
    with pytest.raises(services.PlaceTaken):
        services.booking_create(
            slot=slot, school=third_school, by=third_user, year_groups=[9], pupils=10
        )

    assert services.expire_offers(now=now + datetime.timedelta(hours=47)) == 0
    assert services.expire_offers(now=now + datetime.timedelta(hours=49)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistEntry.Status.EXPIRED
    assert second.status == WaitlistEntry.Status.OFFERED
    with pytest.raises(ValidationError, match="ended"):
        services.waitlist_take_offer(entry=first, by=world.dsl)

    booking = services.waitlist_take_offer(
        entry=second, by=third_user, now=now + datetime.timedelta(hours=50)
    )
    slot.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.pupils == 10
    assert (slot.places_taken, slot.places_held) == (1, 0)


def test_leaving_with_an_offer_passes_it_on(world, session):
    slot = SlotFactory(session=session, capacity=1)
    holder = _book(world, slot, user=world.other_school_headteacher, school="a2")
    entry = services.waitlist_join(
        slot=slot, school=world.schools["a1"], by=world.dsl, year_groups=[8], pupils=20
    )
    services.booking_cancel(booking=holder, by=world.partner, reason="Moved")
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    services.waitlist_leave(entry=entry, by=world.dsl)
    slot.refresh_from_db()
    assert (slot.places_held, slot.places_left) == (0, 1)


def test_weekly_dates_leave_out_school_holidays(world, session):
    force = world.forces["a"]
    Term.objects.create(
        force=force,
        name="autumn",
        starts_on=datetime.date(2030, 9, 2),
        ends_on=datetime.date(2030, 10, 18),
    )
    Term.objects.create(
        force=force,
        name="spring",
        starts_on=datetime.date(2030, 10, 28),
        ends_on=datetime.date(2030, 12, 20),
    )
    tuesday = datetime.date(2030, 10, 8)
    created, skipped = services.slots_publish(
        session=session,
        by=world.partner,
        day=tuesday,
        starts=datetime.time(9),
        ends=datetime.time(10),
        capacity=1,
        repeat_until=datetime.date(2030, 11, 5),
    )
    days = [timezone.localdate(s.starts_at) for s in created]
    assert days == [
        datetime.date(2030, 10, 8),
        datetime.date(2030, 10, 15),
        datetime.date(2030, 10, 29),
        datetime.date(2030, 11, 5),
    ]
    assert skipped == [datetime.date(2030, 10, 22)]  # half term
    assert timezone.localtime(created[0].starts_at).hour == 9
    with pytest.raises(ValidationError, match="after the start"):
        services.slots_publish(
            session=session,
            by=world.partner,
            day=tuesday,
            starts=datetime.time(10),
            ends=datetime.time(9),
            capacity=1,
        )


def test_the_provider_must_be_one_the_user_manages(world):
    topic = Topic.objects.filter(force=world.forces["a"]).first()
    fields = {
        "title": "Talk",
        "topic": topic,
        "year_groups": ",7,",
        "format": "assembly",
        "length_minutes": 60,
        "capacity": 200,
        "cost_pence": 0,
        "description": "About",
        "target_tiers": "",
    }
    with pytest.raises(ValidationError, match="provider"):
        services.session_save(by=world.partner, provider=world.orgs["police_a"], **fields)
    session = services.session_save(by=world.coordinator, provider=world.orgs["police_a"], **fields)
    assert session.force == world.forces["a"]


def test_evaluation_only_after_the_session(world, session):
    slot = SlotFactory(session=session)
    booking = _book(world, slot)
    answers = {
        "delivered": True,
        "suitable_for_age": True,
        "usefulness": 4,
        "what_changed": "More reports",
    }
    with pytest.raises(ValidationError, match="once it has taken place"):
        services.evaluation_give(booking=booking, by=world.headteacher, **answers)
    evaluation = services.evaluation_give(
        booking=booking, by=world.headteacher, now=slot.ends_at, **answers
    )
    assert evaluation.usefulness == 4
    with pytest.raises(ValidationError, match="already"):
        services.evaluation_give(booking=booking, by=world.headteacher, now=slot.ends_at, **answers)


def test_new_forces_get_the_common_topics(world):
    names = set(Topic.objects.filter(force=world.forces["b"]).values_list("name", flat=True))
    assert {"County lines", "Online safety and sexting", "Road and rail safety"} <= names


def test_a_demand_request_needs_a_topic(world):
    with pytest.raises(ValidationError):
        services.demand_request(
            school=world.schools["a1"],
            by=world.dsl,
            topic=None,
            other_topic=" ",
            year_groups=[7],
            pupils=None,
            note="",
        )
    demand = services.demand_request(
        school=world.schools["a1"],
        by=world.dsl,
        topic=None,
        other_topic="Vaping",
        year_groups=[7],
        pupils=60,
        note="After incidents",
    )
    assert demand.topic_name == "Vaping"
