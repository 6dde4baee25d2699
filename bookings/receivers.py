"""What this app clears when its records change."""

from accounts.caching import invalidate_on_commit

# The catalogue's pages and the bookings lists' totals of a force.
BOOKINGS_TOPIC = "bookings"


def force_id_of(instance):
    """The force of a booking, waitlist entry, slot, session, topic or provider."""
    if hasattr(instance, "slot"):  # Booking, WaitlistEntry
        instance = instance.slot
    if hasattr(instance, "session"):  # Slot
        instance = instance.session
    return instance.force_id  # Session, Topic, Organisation


def clear_cached_bookings(sender, instance, raw=False, **kwargs):
    """A session, date, topic or provider changed, or a booking or waitlist place was taken or
    given up: the force's catalogue pages and bookings totals are out of date."""
    if raw:
        return  # loading fixtures
    invalidate_on_commit(BOOKINGS_TOPIC, force_id_of(instance))


def places_changed(slot) -> None:
    """Called by the services after an F() update of a slot's places (it sends no signal)."""
    catalogue_changed(force_id_of(slot))


def catalogue_changed(force_id) -> None:
    """Called by the services after writes that send no signal (bulk_create, F() updates)."""
    invalidate_on_commit(BOOKINGS_TOPIC, force_id)
