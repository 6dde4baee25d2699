"""A booking world on top of the shared one: two partners, the force's own team, force B."""

from dataclasses import dataclass

import pytest

from accounts.models import Organisation, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory


@dataclass
class Catalogue:
    partner_session: object
    police_session: object
    other_partner_session: object
    other_force_session: object
    slot: object
    full_slot: object
    booking: object  # school a1 on the partner's session
    other_school_booking: object  # school a2 on the other partner's session
    other_force_booking: object


@pytest.fixture
def catalogue(world):
    force_a = world.forces["a"]
    other_partner = OrganisationFactory(
        force=force_a, kind=Organisation.Kind.PARTNER, name="Youth Charity"
    )
    world.orgs["other_partner_a"] = other_partner
    world.users["other_partner"] = UserFactory(
        email="other_partner@example.org",
        organisation=other_partner,
        role=Role.PARTNER,
        full_name="Other Partner",
    )
    partner_b = OrganisationFactory(
        force=world.forces["b"], kind=Organisation.Kind.PARTNER, name="Wessex Trust"
    )
    partner_session = SessionFactory(provider=world.orgs["partner_a"], title="Fire and you")
    police_session = SessionFactory(provider=world.orgs["police_a"], title="Knife crime talk")
    other_partner_session = SessionFactory(provider=other_partner, title="Healthy friendships")
    other_force_session = SessionFactory(provider=partner_b, title="Wessex online safety")
    slot = SlotFactory(session=partner_session, capacity=3)
    full_slot = SlotFactory(session=police_session, capacity=1)
    booking = BookingFactory(slot=slot, school=world.schools["a1"], booked_by=world.headteacher)
    BookingFactory(
        slot=full_slot, school=world.schools["a2"], booked_by=world.other_school_headteacher
    )
    other_school_booking = BookingFactory(
        slot=SlotFactory(session=other_partner_session),
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
    )
    other_force_booking = BookingFactory(
        slot=SlotFactory(session=other_force_session),
        school=world.schools["b1"],
        booked_by=world.other_force_headteacher,
    )
    return Catalogue(
        partner_session=partner_session,
        police_session=police_session,
        other_partner_session=other_partner_session,
        other_force_session=other_force_session,
        slot=slot,
        full_slot=full_slot,
        booking=booking,
        other_school_booking=other_school_booking,
        other_force_booking=other_force_booking,
    )
