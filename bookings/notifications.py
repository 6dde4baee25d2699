"""Who is told what when a booking changes, and the reminders a week and a day before."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User, in_sentence
from accounts.outbox import queue_email

from .calendar import booking_ics
from .models import Booking, ReminderSent, WaitlistEntry

TEMPLATE = "bookings/email/booking_event"


def provider_contacts(provider: Organisation) -> list[User]:
    """Return the people who answer for a provider: its partner staff, or the force's coordinators."""
    people = User.objects.filter(is_active=True)
    if provider.kind == Organisation.Kind.POLICE:
        people = people.filter(organisation__force_id=provider.force_id, role=Role.COORDINATOR)
    else:
        people = people.filter(organisation=provider, role=Role.PARTNER)
    return list(people.order_by("pk"))


def _when(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    end = timezone.localtime(booking.slot.ends_at)
    return f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"


def _ics_attachment(booking: Booking):
    return [(f"booking-{booking.pk}.ics", booking_ics(booking), "text/calendar")]


def _send(people, *, cause, subject, headline, lines, booking, attach_ics=False, link=None):
    """Write one email per person to the outbox; `cause` names the change, so it emails
    each person once however often it is written."""
    for person in people:
        queue_email(
            to=person.email,
            key=f"bookings.booking.{booking.pk}.{cause}",
            about=booking,
            force=booking.school.force_id,
            template=TEMPLATE,
            subject=subject,
            context={
                "person": person,
                "headline": headline,
                "lines": lines,
                "booking": booking,
                "when": _when(booking),
                "link": link,
            },
            attachments=_ics_attachment(booking) if attach_ics else (),
        )


def event_cause(booking: Booking, event: str) -> str:
    """Name one change of a booking: the event, the booking's calendar sequence (raised by
    each change) and the moment it was saved."""
    return f"{event}.{booking.sequence}.{booking.updated:%Y%m%dT%H%M%S%f}"


def send_event(booking: Booking, event: str, actor: User | None, extra: dict | None = None):
    """Write the emails of the people an event concerns to the outbox, in the change's
    transaction; the school's booking lead gets the calendar file."""
    extra = extra or {}
    cause = event_cause(booking, event)
    session, school = booking.slot.session, booking.school
    lead = booking_lead_people(booking)
    providers = provider_contacts(session.provider)
    title = session.title
    # A coordinator booked on the school's behalf: its booking lead is told who and why.
    on_behalf = (
        [
            f"{booking.booked_by.display_name} ({in_sentence(booking.booked_by.get_role_display())}) "
            f"booked this on {school.name}'s behalf. You can change or cancel it as if you had "
            "booked it."
        ]
        if booking.booked_on_behalf
        else []
    )
    if booking.is_targeted:
        on_behalf.append(booking.needs)  # "Targeted input for a referred pupil.": no name
    if event == "requested":
        _send(
            providers,
            cause=cause,
            subject=f"Booking request: {title} for {school.name}",
            headline=f"{school.name} asks to book {title}. Accept or decline it.",
            lines=[f"Cohort: {booking.year_groups_text}, {booking.pupils} pupils."],
            booking=booking,
        )
        if booking.booked_on_behalf:
            _send(
                lead,
                cause=f"{cause}.lead",
                subject=f"Booking requested for your school: {title}",
                headline=f"{title} with {session.provider.name} has been requested for "
                f"{school.name}; the provider will accept or decline it.",
                lines=on_behalf,
                booking=booking,
            )
    elif event == "confirmed":
        _send(
            lead,
            cause=cause,
            subject=f"Booking confirmed: {title}",
            headline=f"{title} with {session.provider.name} is booked for {school.name}.",
            lines=[*on_behalf, "The calendar file attached adds it to your calendar."],
            booking=booking,
            attach_ics=True,
        )
        if actor is not None and actor.pk not in {person.pk for person in providers}:
            _send(
                providers,
                cause=f"{cause}.provider",
                subject=f"New booking: {title} for {school.name}",
                headline=f"{school.name} has booked {title}.",
                lines=[f"Cohort: {booking.year_groups_text}, {booking.pupils} pupils."],
                booking=booking,
            )
    elif event == "declined":
        _send(
            lead,
            cause=cause,
            subject=f"Booking declined: {title}",
            headline=f"{session.provider.name} cannot deliver {title} on this date.",
            lines=[f"Reason: {booking.reason}", "You can choose another date in the catalogue."],
            booking=booking,
        )
    elif event in {"cancelled", "rescheduled"}:
        school_side = extra.get("school_side", False)
        who = actor.display_name if actor else "Someone"
        by = f"{who} ({school.name})" if school_side else f"{who} ({session.provider.name})"
        verb = "cancelled" if event == "cancelled" else "moved to a new date"
        lines = [f"Reason: {booking.reason}"]
        if event == "rescheduled" and extra.get("previous_start"):
            before = timezone.localtime(datetime.datetime.fromisoformat(extra["previous_start"]))
            lines.insert(0, f"It was on {before:%A %-d %B %Y at %H:%M}.")
        _send(
            providers if school_side else lead,
            cause=cause,
            subject=f"Booking {verb}: {title} for {school.name}",
            headline=f"{by} has {verb} the booking of {title}.",
            lines=lines,
            booking=booking,
            attach_ics=not school_side,
        )
    elif event == "outcome":
        if booking.outcome == Booking.Outcome.DELIVERED:
            _send(
                lead,
                cause=cause,
                subject=f"How did it go? {title}",
                headline=f"{session.provider.name} has recorded {title} as delivered. "
                "Please tell us how it went: it takes two minutes.",
                lines=["Evaluations are shared with the force's partners; never name a pupil."],
                booking=booking,
                link=reverse("bookings:booking_evaluate", args=[booking.pk]),
            )
        else:
            _send(
                lead,
                cause=cause,
                subject=f"{booking.get_outcome_display()}: {title}",
                headline=f"{session.provider.name} has recorded {title} at {school.name} as "
                f"{booking.get_outcome_display().lower()}.",
                lines=[f"Note: {booking.outcome_note}"] if booking.outcome_note else [],
                booking=booking,
            )
    else:
        raise ValueError(f"Unknown booking event {event!r}")


def booking_lead_people(booking: Booking) -> list[User]:
    """The school's person a booking's emails go to: its lead, if still active."""
    lead = booking.lead
    return [lead] if lead is not None and lead.is_active else []


def send_offer(entry: WaitlistEntry) -> None:
    """Tell the school a place has come up, and until when it is held for them (written to
    the outbox in the transaction that holds the place)."""
    if not entry.joined_by.is_active:
        return
    expires = timezone.localtime(entry.offer_expires_at)
    slot = entry.slot
    start = timezone.localtime(slot.starts_at)
    queue_email(
        to=entry.joined_by.email,
        key=f"bookings.waitlist.{entry.pk}.offer.{entry.offered_at:%Y%m%dT%H%M%S%f}",
        about=entry,
        force=entry.school.force_id,
        template="bookings/email/waitlist_offer",
        subject=f"A place has come up: {slot.session.title}",
        context={
            "entry": entry,
            "start": start,
            "expires": expires,
        },
    )


def send_due_reminders(*, today=None) -> int:
    """Remind each booking lead a week and a day before; each reminder is sent once."""
    today = today or timezone.localdate()
    sent = 0
    week_from = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    candidates = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            slot__starts_at__gte=week_from + datetime.timedelta(days=1),
            slot__starts_at__lt=week_from + datetime.timedelta(days=8),
        )
        .select_related("slot__session__provider", "school", "booked_by", "lead")
        .order_by("pk")
    )
    for booking in candidates:
        days_before = (timezone.localdate(booking.slot.starts_at) - today).days
        kind = ReminderSent.Kind.DAY if days_before <= 1 else ReminderSent.Kind.WEEK
        if (
            kind == ReminderSent.Kind.WEEK
            and ReminderSent.objects.filter(
                booking=booking, kind=ReminderSent.Kind.DAY, starts_at=booking.slot.starts_at
            ).exists()
        ):
            continue
        try:
            with transaction.atomic():
                # The unique row is written first: a rerun or retry finds it and sends nothing.
                ReminderSent.objects.create(
                    booking=booking, kind=kind, starts_at=booking.slot.starts_at
                )
                if booking_lead_people(booking):
                    _send(
                        booking_lead_people(booking),
                        cause=f"reminder.{kind}.{booking.slot.starts_at:%Y%m%dT%H%M}",
                        subject=f"Reminder: {booking.slot.session.title} "
                        + ("tomorrow" if kind == ReminderSent.Kind.DAY else "next week"),
                        headline=f"{booking.slot.session.title} with "
                        f"{booking.slot.session.provider.name} is coming up.",
                        lines=[
                            f"Cohort: {booking.year_groups_text}, {booking.pupils} pupils.",
                            *(
                                [f"Please provide: {booking.slot.session.school_provides}"]
                                if booking.slot.session.school_provides
                                else []
                            ),
                        ],
                        booking=booking,
                        attach_ics=True,
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent
