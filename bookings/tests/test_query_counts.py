"""The catalogue, the bookings lists and the home panels cost the same with 1 row as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Evaluation
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def _grow(world, n):
    """Add n sessions with three dates each, and n bookings of school A1 with the partner."""
    for i in range(n):
        for provider in (world.orgs["partner_a"], world.orgs["police_a"]):
            session = SessionFactory(provider=provider)
            for days in (5, 12, 19, 26):
                SlotFactory(session=session, starts_at=in_days(days + i % 3), capacity=2)
        slot = SlotFactory(session=SessionFactory(provider=world.orgs["partner_a"]))
        booking = BookingFactory(slot=slot, school=world.schools["a1"], booked_by=world.headteacher)
        past = SlotFactory(session=slot.session, starts_at=in_days(-3), capacity=1)
        done = BookingFactory(slot=past, school=world.schools["a1"], booked_by=world.headteacher)
        Evaluation.objects.create(
            booking=done, given_by=world.headteacher, delivered=True, usefulness=4
        )
        assert booking.pk


PAGES = [
    ("headteacher", "bookings:catalogue", ""),
    ("headteacher", "bookings:catalogue", "?cost=free&key_stage=ks3"),
    ("partner", "bookings:catalogue", ""),
    ("headteacher", "bookings:booking_list", ""),
    ("headteacher", "bookings:booking_list", "?show=past"),
    ("partner", "bookings:booking_list", ""),
    ("coordinator", "bookings:booking_list", ""),
    ("coordinator", "bookings:booking_list", "?since=2020-01-01&until=2099-12-31&evaluated=on"),
    ("coordinator", "bookings:booking_list", "?show=past&team=1&team=2&topic=1&la=E1"),
    ("coordinator", "bookings:demand_list", "?since=2020-01-01&until=2099-12-31&team=1&team=2"),
    ("partner", "bookings:manage", ""),
    ("coordinator", "bookings:manage", ""),
    ("coordinator", "bookings:demand_list", ""),
    ("coordinator", "bookings:date_list", ""),
    ("manager", "bookings:evaluation_results", ""),
    ("headteacher", "home", ""),
    ("partner", "home", ""),
    ("coordinator", "home", ""),
]


@pytest.mark.parametrize(("who", "url_name", "query"), PAGES)
def test_lists_do_not_grow_queries_with_rows(client, world, who, url_name, query, count_queries):
    client.force_login(world.users[who])
    url = reverse(url_name) + query
    _grow(world, 1)
    client.get(url)  # warm per-session caches
    few = count_queries(client, url)
    _grow(world, 49)
    many = count_queries(client, url)
    assert few == many, f"{url} took {few} queries with 1 row and {many} with 50"
    assert many <= MAX_QUERIES


def test_the_school_page_panel_is_constant(client, world, count_queries):
    client.force_login(world.coordinator)
    url = world.schools["a1"].get_absolute_url()
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url)
    _grow(world, 20)
    assert count_queries(client, url) == few


def test_the_school_panel_is_one_query_and_counts_every_booking(rf, world):
    from bookings.panels import school_panel

    school = world.schools["a1"]
    _grow(world, 6)  # 12 bookings of school A1
    request = rf.get(school.get_absolute_url())
    request.user = world.manager
    with CaptureQueriesContext(connection) as captured:
        panel = school_panel(request, school)
    assert len(captured) == 1
    assert len(panel["bookings"]) == 10
    assert panel["total"] == 12
    starts = [b.slot.starts_at for b in panel["bookings"]]
    assert starts == sorted(starts, reverse=True)

    request.user = world.manager
    empty = school_panel(request, world.schools["a2"])
    assert empty["bookings"] == [] and empty["total"] == 0


def test_the_school_page_stays_within_the_query_budget_for_a_manager(client, world, count_queries):
    """The page the benchmark measures: agreements', referrals' and bookings' panels included."""
    client.force_login(world.manager)
    url = world.schools["a1"].get_absolute_url()
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url)
    _grow(world, 20)
    assert count_queries(client, url) == few
    assert few <= 12
