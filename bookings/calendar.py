"""iCalendar files: one booking's event, and a provider's feed of its booked and open dates.

Times are written in UTC, which every calendar app converts to the reader's zone. A feed
carries no pupil data: schools, year groups and numbers only, never the needs text.
"""

import datetime
from urllib.parse import urlparse

from django.conf import settings
from icalendar import Calendar, Event

from .models import Booking, Slot

PRODID = "-//Safer Schools Partnership//Bookings//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def booking_event(booking: Booking, *, now=None) -> Event:
    slot, session, school = booking.slot, booking.slot.session, booking.school
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{_host()}")
    event.add("dtstamp", _utc(now or datetime.datetime.now(datetime.UTC)))
    event.add("dtstart", _utc(slot.starts_at))
    event.add("dtend", _utc(slot.ends_at))
    event.add("sequence", booking.sequence)
    event.add("summary", f"{session.title} ({session.provider.name}) at {school.name}")
    event.add("location", ", ".join(p for p in [school.name, school.address] if p))
    lines = [
        f"{session.get_format_display()}, {session.length_minutes} minutes, {session.cost_text}.",
        f"Cohort: {booking.year_groups_text}, {booking.pupils} pupils.",
    ]
    if slot.deliverer_name:
        lines.append(f"Delivered by {slot.deliverer_name}.")
    if session.school_provides:
        lines.append(f"The school provides: {session.school_provides}")
    lines.append(f"Booking: {settings.SITE_URL}{booking.get_absolute_url()}")
    event.add("description", "\n".join(lines))
    event.add(
        "status",
        {
            Booking.Status.CONFIRMED: "CONFIRMED",
            Booking.Status.PENDING: "TENTATIVE",
        }.get(booking.status, "CANCELLED"),
    )
    return event


def booking_ics(booking: Booking, *, now=None) -> bytes:
    """Return one booking as an .ics file."""
    calendar = _calendar(booking.slot.session.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(booking_event(booking, now=now))
    return calendar.to_ical()


def provider_ics(provider, slots: list[Slot], *, now=None) -> bytes:
    """Return a provider's dates as a feed: each slot once, with the schools booked on it."""
    return slots_ics(f"{provider.name}: safety-education sessions", slots, now=now)


def deliverer_ics(person, slots: list[Slot], *, now=None) -> bytes:
    """Return the dates one person delivers as a feed, as a provider's (slots_ics)."""
    return slots_ics(f"{person.display_name}: sessions to deliver", slots, now=now)


def slots_ics(name: str, slots: list[Slot], *, now=None) -> bytes:
    """A feed of dates: each slot once, with the schools booked on it."""
    calendar = _calendar(name)
    stamp = _utc(now or datetime.datetime.now(datetime.UTC))
    for slot in slots:
        booked = [b for b in slot.bookings.all() if b.is_active]
        event = Event()
        event.add("uid", f"slot-{slot.pk}@{_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(slot.starts_at))
        event.add("dtend", _utc(slot.ends_at))
        schools = ", ".join(b.school.name for b in booked)
        event.add(
            "summary",
            f"{slot.session.title}: {schools}" if booked else f"{slot.session.title} (not booked)",
        )
        if len(booked) == 1:
            event.add("location", booked[0].school.address or booked[0].school.name)
        lines = [
            f"{b.school.name}: {b.year_groups_text}, {b.pupils} pupils ({b.get_status_display().lower()})"
            for b in booked
        ]
        lines.append(f"{slot.places_left} of {slot.capacity} places free.")
        if slot.deliverer_name:
            lines.append(f"Delivered by {slot.deliverer_name}.")
        event.add("description", "\n".join(lines))
        event.add("status", "CONFIRMED" if booked else "TENTATIVE")
        calendar.add_component(event)
    return calendar.to_ical()
