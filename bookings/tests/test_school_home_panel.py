"""The school's home page panel: the next bookings and those to evaluate, read in one query."""

import pytest

from bookings.models import Booking
from bookings.panels import LIMIT, school_home

from .factories import BookingFactory, SessionFactory, SlotFactory, in_days

pytestmark = pytest.mark.django_db


def _book(world, days, **fields):
    session = SessionFactory(provider=world.orgs["partner_a"])
    return BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(days)),
        school=world.schools["a1"],
        booked_by=world.headteacher,
        **fields,
    )


def test_each_list_keeps_its_own_first_five_in_its_own_order(world, django_assert_num_queries):
    ahead = [_book(world, days) for days in (9, 3, 7, 1, 5, 11, 13)]
    behind = [
        _book(world, -days, outcome=Booking.Outcome.DELIVERED) for days in (9, 3, 7, 1, 5, 11, 13)
    ]
    _book(world, -4, outcome=Booking.Outcome.NO_SHOW)  # did not happen: not to evaluate
    _book(world, -6)  # the provider has not said it happened yet: not asked
    _book(world, 2, status=Booking.Status.CANCELLED, reason="Exams")  # not active: not listed
    dsls = _book(world, -2, outcome=Booking.Outcome.DELIVERED)  # the DSL's, not the head's
    Booking.objects.filter(pk=dsls.pk).update(booked_by=world.dsl, lead=world.dsl)
    with django_assert_num_queries(1):
        context = school_home(world.headteacher)
    soonest = sorted(ahead, key=lambda b: b.slot.starts_at)[:LIMIT]
    latest = sorted(behind, key=lambda b: b.slot.starts_at, reverse=True)[:LIMIT]
    assert [b.pk for b in context["upcoming"]] == [b.pk for b in soonest]
    assert [b.pk for b in context["to_evaluate"]] == [b.pk for b in latest]
