"""What this app clears when its records change."""

from accounts.caching import invalidate_on_commit

BOOKINGS_TOPIC = "bookings"


def clear_cached_booking_counts(sender, instance, raw=False, **kwargs):
    """A booking was made, decided or cancelled, or a slot changed: the bookings lists'
    cached totals of the force are out of date."""
    if raw:
        return  # loading fixtures
    session = instance.slot.session if hasattr(instance, "slot") else instance.session
    invalidate_on_commit(BOOKINGS_TOPIC, session.force_id)
