"""Reminders a week and a day before, once each; the beat schedule; offers that run out."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from bookings.models import Booking, ReminderSent
from bookings.notifications import send_due_reminders
from bookings.tasks import expire_waitlist_offers, remind_upcoming_bookings
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(world):
    slot = SlotFactory(
        session=SessionFactory(provider=world.orgs["partner_a"], school_provides="A projector"),
        starts_at=in_days(7, hour=9),
    )
    return BookingFactory(slot=slot, school=world.schools["a1"], booked_by=world.headteacher)


def test_a_week_and_a_day_before_once_each(
    world, booking, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=today - datetime.timedelta(days=1)) == 0  # 8 days before
        assert send_due_reminders(today=today) == 1
        assert send_due_reminders(today=today) == 0  # a rerun sends nothing
        assert send_due_reminders(today=today + datetime.timedelta(days=3)) == 0
        assert send_due_reminders(today=today + datetime.timedelta(days=6)) == 1
        assert send_due_reminders(today=today + datetime.timedelta(days=6)) == 0
    assert [m.subject for m in mailoutbox] == [
        f"Reminder: {booking.slot.session.title} next week",
        f"Reminder: {booking.slot.session.title} tomorrow",
    ]
    assert "A projector" in mailoutbox[0].body
    calendar = Calendar.from_ical(mailoutbox[1].attachments[0][1])
    assert calendar.walk("VEVENT")[0].decoded("dtstart") == booking.slot.starts_at
    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {"week", "day"}


def test_cancelled_and_pending_bookings_are_not_reminded(
    world, booking, mailoutbox, django_capture_on_commit_callbacks
):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 0
    assert mailoutbox == []


def test_the_tasks_run_and_the_beat_schedule_exists(world, booking, periodic_tasks):
    assert remind_upcoming_bookings.delay().get() == 1
    assert expire_waitlist_offers.delay().get() == 0
    tasks = set(periodic_tasks.values_list("task", flat=True))
    assert {
        "bookings.tasks.remind_upcoming_bookings",
        "bookings.tasks.expire_waitlist_offers",
    } <= tasks
