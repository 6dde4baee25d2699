"""The education dashboard: sessions delivered, schools reached by tier, demand, evaluation."""

import pytest
from django.urls import reverse

from bookings.models import Booking, DemandRequest, Evaluation, Topic
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
from reporting.figures import education

from .test_dashboards import COMPLEX, approve, scope_for, table, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(world):
    force = world.forces["a"]
    approve(world.schools["a1"], COMPLEX, world)
    online = Topic.objects.get(force=force, name__icontains="online")
    knives = Topic.objects.get(force=force, name__icontains="knife")
    fire = SessionFactory(provider=world.orgs["partner_a"], topic=online)
    police = SessionFactory(provider=world.orgs["police_a"], topic=knives)
    done = BookingFactory(
        slot=SlotFactory(session=fire, starts_at=in_days(-3), ends_at=in_days(-3, hour=11)),
        school=world.schools["a1"],
        booked_by=world.school_link,
        pupils=28,
    )
    Evaluation.objects.create(
        booking=done,
        given_by=world.school_link,
        delivered=True,
        suitable_for_age=True,
        usefulness=4,
        confidence_before=2.5,
        confidence_after=4.0,
    )
    # Not counted: cancelled, still to come, and one the school says did not happen.
    BookingFactory(
        slot=SlotFactory(session=police, starts_at=in_days(-2), ends_at=in_days(-2, hour=11)),
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
        status=Booking.Status.CANCELLED,
        reason="The year group is on a trip.",
    )
    BookingFactory(
        slot=SlotFactory(session=police),
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
    )
    missed = BookingFactory(
        slot=SlotFactory(session=police, starts_at=in_days(-5), ends_at=in_days(-5, hour=11)),
        school=world.schools["a2"],
        booked_by=world.other_school_headteacher,
    )
    Evaluation.objects.create(
        booking=missed, given_by=world.other_school_headteacher, delivered=False
    )
    DemandRequest.objects.create(
        school=world.schools["a2"],
        requested_by=world.other_school_headteacher,
        other_topic="Vaping",
        year_groups=",6,",
    )
    return {"online": online, "knives": knives}


def test_delivered_reached_demand_and_evaluation_match_the_bookings(world, sessions):
    tables = education.build(scope_for(world.manager))
    by_topic = [values(r) for r in table(tables, "delivered_by_topic").rows]
    assert by_topic == [[sessions["online"].name, 1, 28]]
    by_provider = [values(r) for r in table(tables, "delivered_by_provider").rows]
    assert by_provider == [["Fire Service", 1, 28]]
    reached = {values(r)[0]: values(r)[1:] for r in table(tables, "reached_by_tier").rows}
    assert reached["Complex"] == [1, 1, "100%"]
    assert reached["Not assessed"] == [0, 1, "0%"]
    demand = {values(r)[0]: values(r)[1:] for r in table(tables, "demand").rows}
    # A topic the catalogue does not list has no sessions and no dates to link to: dashes.
    assert demand["A topic not listed"] == [1, "–", "–"]
    assert demand[sessions["knives"].name][1] == 1  # one session offered
    scores = [values(r) for r in table(tables, "evaluations").rows]
    assert scores == [[sessions["online"].name, 1, 4.0, "100%", 2.5, 4.0]]


def test_a_coordinator_sees_the_education_dashboard_only(client, world, sessions):
    client.force_login(world.coordinator)
    assert client.get(reverse("reporting:dashboards"))["Location"] == reverse(
        "reporting:dashboard", args=["education"]
    )
    assert client.get(reverse("reporting:dashboard", args=["education"])).status_code == 200
    for section in ("tiers", "engagement", "referrals"):
        assert client.get(reverse("reporting:dashboard", args=[section])).status_code == 403
    page = client.get(reverse("reporting:dashboard", args=["education"])).content.decode()
    assert "Referrals" not in page.split("moj-sub-navigation")[1].split("</nav>")[0]
