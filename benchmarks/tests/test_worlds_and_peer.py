"""The benchmark's worlds do not depend on the day it runs; its peer page, the cold first
requests and the workers' memory are measured as the report says (#24.5, #16.6)."""

import datetime
import http.server
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks import client, queries, server, views
from bookings.models import Booking
from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory
from schools.models import School
from schools.tests.factories import SchoolFactory


def _booking(world, *, days, status=Booking.Status.CONFIRMED):
    starts = timezone.now() + datetime.timedelta(days=days)
    session = SessionFactory(provider=world.manager.organisation)
    slot = SlotFactory(
        session=session, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    return BookingFactory(
        slot=slot, school=world.schools["a1"], booked_by=world.headteacher, status=status
    )


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-08-10", "2026-12-24", "2027-03-01"])
def test_a_world_whose_bookings_are_all_past_gets_one_still_to_come(world, today):
    now = timezone.make_aware(datetime.datetime.fromisoformat(today + "T12:00"))
    force = world.forces["a"]
    first = _booking(world, days=-400)
    _booking(world, days=-300)
    bookings = Booking.objects.filter(school__force=force)
    assert not bookings.active().upcoming(now=now).exists()
    assert queries.keep_upcoming_booking(force, now=now) is True
    moved = bookings.active().upcoming(now=now).get()
    assert moved.pk == first.pk
    starts = timezone.localtime(moved.slot.starts_at)
    assert starts.weekday() < 5
    assert 14 <= (starts.date() - now.date()).days <= 16
    assert moved.slot.ends_at - moved.slot.starts_at == datetime.timedelta(hours=1)
    # A world that has one already is left alone.
    assert queries.keep_upcoming_booking(force, now=now) is False


@pytest.mark.django_db
def test_a_world_with_a_booking_to_come_is_not_changed(world):
    coming = _booking(world, days=5)
    before = coming.slot.starts_at
    assert queries.keep_upcoming_booking(world.forces["a"]) is False
    coming.slot.refresh_from_db()
    assert coming.slot.starts_at == before


def _peer(user, page=None):
    request = RequestFactory().get("/benchmarks/peer/schools/", {"page": page} if page else {})
    request.user = user
    return views.SchoolPeerList.as_view()(request)


@pytest.mark.django_db
def test_the_peer_lists_the_readers_open_schools_by_name_like_the_school_list(world):
    SchoolFactory(force=world.forces["a"], name="Aardvark Closed School", status="closed")
    response = _peer(world.manager)
    assert response.status_code == 200
    html = response.content.decode()
    names = [s.name for s in School.objects.filter(force=world.forces["a"]).open()]
    for name in names:
        assert name in html
    assert "Aardvark Closed School" not in html
    assert world.schools["b1"].name not in html  # another force's
    assert html.index("Alder Academy") < html.index("Birch Primary")


@pytest.mark.django_db
def test_the_peers_queries_do_not_grow_with_rows(world):
    _peer(world.manager)  # per-process caches (content types, the template)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert _peer(world.manager).status_code == 200
        return len(captured)

    few = count()
    for number in range(60):
        SchoolFactory(force=world.forces["a"], name=f"Extra School {number:02}")
    assert count() == few
    assert "Next" in _peer(world.manager).content.decode()  # 50 a page


def test_the_peer_needs_a_signed_in_user():
    from django.contrib.auth.models import AnonymousUser

    assert _peer(AnonymousUser()).status_code == 302


def test_a_workers_memory_is_read_from_proc():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    try:
        assert child.pid in server._children(os.getpid())
        memory = server.worker_memory(server.Server(port=0, pid=os.getpid()))
        assert child.pid in {m["pid"] for m in memory}
        own = server.process_memory(os.getpid())
        assert own["rss_mb"] > 10
        assert own["pss_mb"] is None or 0 < own["pss_mb"] <= own["rss_mb"] + 1
    finally:
        child.kill()
        child.wait()


class _Slow(http.server.BaseHTTPRequestHandler):
    started = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        type(self).started.append(threading.get_ident())
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_cold_first_requests_change_then_ask_with_every_reader_at_once():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        browsers = [client.Browser("127.0.0.1", httpd.server_address[1]) for _ in range(4)]
        changes = []
        cold = client.cold_first_requests(
            browsers, "/dashboard/", change=lambda: changes.append(1), rounds=3
        )
    finally:
        httpd.shutdown()
    assert changes == [1, 1, 1]
    assert cold["readers"] == 4 and len(cold["rounds"]) == 3 and cold["errors"] == 0
    assert len(_Slow.started) == 12
    assert cold["median"] <= cold["max"]


def test_transaction_control_is_not_counted_as_a_pages_query():
    """Inside the small worlds' rolled-back transaction an atomic block sends no BEGIN or
    COMMIT; at national scale it does: neither is a query of the page's."""
    inside = [{"sql": "SELECT 1"}, {"sql": 'SAVEPOINT "s1"'}, {"sql": "INSERT INTO log"}]
    inside.append({"sql": 'RELEASE SAVEPOINT "s1"'})
    outside = [{"sql": "SELECT 1"}, {"sql": "BEGIN"}, {"sql": "INSERT INTO log"}]
    outside += [{"sql": "COMMIT"}, {"sql": 'ROLLBACK TO SAVEPOINT "s2"'}]
    assert queries.statements(inside) == queries.statements(outside) == 2
