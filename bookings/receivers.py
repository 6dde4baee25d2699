"""What this app clears when its records change."""

from accounts.caching import invalidate_on_commit
from accounts.rules import force_id_of

# The catalogue's pages and the bookings lists' totals of a force.
BOOKINGS_TOPIC = "bookings"


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
