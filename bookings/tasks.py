"""Background jobs of bookings: thin shells that take primary keys."""

from celery import shared_task

from .models import Booking, WaitlistEntry


# The services now write these emails to the outbox themselves; these two shells remain
# for tasks queued before that, and write the same rows (a no-op if they exist).
@shared_task
def send_booking_event(booking_pk: int, event: str, actor_pk: int | None, extra=None) -> None:
    """Email the people a booking's change concerns."""
    from accounts.models import User

    from .notifications import send_event

    booking = (
        Booking.objects.select_related("slot__session__provider", "school", "booked_by")
        .filter(pk=booking_pk)
        .first()
    )
    if booking is None:
        return
    actor = User.objects.filter(pk=actor_pk).first() if actor_pk else None
    send_event(booking, event, actor, extra)


@shared_task
def send_waitlist_offer(entry_pk: int) -> None:
    """Email the school that a place is held for it."""
    from .notifications import send_offer

    entry = (
        WaitlistEntry.objects.select_related("slot__session", "joined_by", "school")
        .filter(pk=entry_pk, status=WaitlistEntry.Status.OFFERED)
        .first()
    )
    if entry is not None:
        send_offer(entry)


@shared_task
def remind_upcoming_bookings() -> int:
    """Send the week-before and day-before reminders due today; return how many."""
    from .notifications import send_due_reminders

    return send_due_reminders()


@shared_task
def expire_waitlist_offers() -> int:
    """End offers older than 48 hours and pass their places on; return how many ended."""
    from .services import expire_offers

    return expire_offers()
