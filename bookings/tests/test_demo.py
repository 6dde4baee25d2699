"""The demo catalogue: seeded once, valid against the models' own rules."""

import datetime

import pytest

from accounts.models import Role
from bookings.models import Booking, DemandRequest, Session, Slot
from demo import bookings as demo

pytestmark = pytest.mark.django_db


def _seed(world):
    return demo.seed(
        world.forces["a"],
        by_role={
            Role.SCHOOL_LINK: world.school_link,
            Role.HEADTEACHER: world.headteacher,
            Role.SAFER_SCHOOLS_OFFICER: world.sso,
            Role.COORDINATOR: world.coordinator,
        },
        partners=[world.orgs["partner_a"]],
        demo_school=world.schools["a1"],
        other_school=world.schools["a2"],
        schools=[world.schools["a1"], world.schools["a2"]],
        today=datetime.date.today(),
    )


def test_seeding_twice_adds_nothing_the_second_time(world):
    assert _seed(world) == "6 sessions, 5 bookings"
    counts = (
        Session.objects.count(),
        Slot.objects.count(),
        Booking.objects.count(),
        DemandRequest.objects.count(),
    )
    assert _seed(world) == ""
    assert counts == (
        Session.objects.count(),
        Slot.objects.count(),
        Booking.objects.count(),
        DemandRequest.objects.count(),
    )
    for session in Session.objects.all():
        session.full_clean()
    for slot in Slot.objects.all():
        assert (
            slot.places_taken == slot.bookings.filter(status__in=["pending", "confirmed"]).count()
        )


def test_the_demo_shows_the_second_round(world):
    from bookings.models import DateProposal, Evaluation

    _seed(world)
    assert Booking.objects.filter(outcome=Booking.Outcome.NO_SHOW).count() == 1
    on_behalf = Booking.objects.get(booked_by=world.coordinator)
    assert (
        on_behalf.booked_on_behalf and on_behalf.lead.organisation == on_behalf.school.organisation
    )
    assert Slot.objects.filter(deliverer_person=world.sso).exists()
    assert Evaluation.objects.exclude(reply="").exists()
    assert DateProposal.objects.get().status == "offered"
    for booking in Booking.objects.all():
        booking.full_clean()
