"""Schools racing for the last place: exactly one wins, whatever the timing.

Each thread has its own database connection and its own transaction. On PostgreSQL the
slot's row lock (select_for_update) makes the losers wait for the winner's commit and
then see the place gone; the check constraint would refuse an overbooking that slipped by.
"""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Role
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.models import Booking, Slot
from bookings.tests.factories import SessionFactory, SlotFactory
from schools.tests.factories import SchoolFactory

RACERS = 6


@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_place_gives_exactly_one_booking(world):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's shared in-memory test database refuses a second writer at once "
            "('database table is locked') instead of making it wait for the lock; "
            "this race runs on PostgreSQL (set DATABASE_URL), as CI does"
        )
    force = world.forces["a"]
    session = SessionFactory(provider=world.orgs["partner_a"])
    slot = SlotFactory(session=session, capacity=2)
    # One place is already gone: the racers fight for the last one.
    Slot.objects.filter(pk=slot.pk).update(places_taken=1)
    racers = []
    for _ in range(RACERS):
        school = SchoolFactory(force=force)
        racers.append(
            (school, UserFactory(organisation=school.organisation, role=Role.HEADTEACHER))
        )

    start = threading.Barrier(RACERS)
    outcomes = []
    lock = threading.Lock()

    def race(school, user):
        try:
            start.wait()
            try:
                booking = services.booking_create(
                    slot=slot, school=school, by=user, year_groups=[8], pupils=20
                )
                result = ("won", booking.pk)
            except services.PlaceTaken as taken:
                result = ("lost", str(taken))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                result = ("error", repr(error))
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["lost"] * (RACERS - 1) + ["won"], outcomes
    assert {detail for kind, detail in outcomes if kind == "lost"} == {
        "That place has just been taken"
    }
    slot.refresh_from_db()
    assert (slot.places_taken, slot.places_left) == (2, 0)
    assert Booking.objects.filter(slot=slot).count() == 1
