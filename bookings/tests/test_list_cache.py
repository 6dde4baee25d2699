"""The bookings list's total is cached per force and reader; its rows are always fresh, and
any booking or slot change shows in the total at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory
from bookings.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

LIST = reverse("bookings:booking_list")


def _book(world, n, *, school="a1", provider="partner_a"):
    session = SessionFactory(provider=world.orgs[provider])
    return [
        BookingFactory(
            slot=SlotFactory(session=session),
            school=world.schools[school],
            booked_by=world.headteacher,
        )
        for _ in range(n)
    ]


def _get(client, **params):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(LIST, params).content.decode()
    counted = any("COUNT(" in query["sql"] for query in captured.captured_queries)
    return html, counted


def test_the_total_is_counted_once_and_the_rows_read_every_time(client, world):
    bookings = _book(world, PAGE_SIZE + 1)
    client.force_login(world.coordinator)
    first, counted = _get(client)
    assert counted
    assert f"({PAGE_SIZE + 1} in all)" in first
    again, counted = _get(client)
    assert not counted
    # Rows are fresh even without a signal: a change made with update() shows at once.
    Booking.objects.filter(pk=bookings[0].pk).update(year_groups=",11,")
    assert "Year 11" in _get(client)[0]


def test_a_new_or_cancelled_booking_changes_the_total_at_once(client, world):
    bookings = _book(world, PAGE_SIZE)
    client.force_login(world.coordinator)
    html, _ = _get(client)
    assert "in all)" not in html  # one page: no pagination
    _book(world, 1)
    html, counted = _get(client)
    assert counted and f"({PAGE_SIZE + 1} in all)" in html
    cancelled = bookings[0]
    cancelled.status = Booking.Status.CANCELLED
    cancelled.reason = "The class is on a trip."
    cancelled.save()
    html, counted = _get(client)
    assert counted and "in all)" not in html
    html, _ = _get(client, show="cancelled")
    assert "The class is on a trip." not in html  # the list shows no reasons
    assert "Cancelled" in html


def test_each_reader_has_their_own_total(client, world):
    _book(world, PAGE_SIZE + 1, provider="partner_a")
    _book(world, 2, provider="police_a", school="a2")
    client.force_login(world.coordinator)
    assert f"({PAGE_SIZE + 3} in all)" in _get(client)[0]
    client.force_login(world.partner)
    assert f"({PAGE_SIZE + 1} in all)" in _get(client)[0]
    client.force_login(world.other_school_headteacher)
    html, _ = _get(client)
    assert "in all)" not in html and world.schools["a1"].name not in html
    client.force_login(world.other_force_manager)
    assert "No bookings here." in _get(client)[0]
