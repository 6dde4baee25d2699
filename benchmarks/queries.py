"""Queries per request, counted in-process with Django's test client and CaptureQueriesContext.

Each page is counted for a manager of a force with 1 school, of a force with 50 schools (both
built with the national seed's own functions inside a transaction that is rolled back), and of
the national data set's force being benchmarked.
"""

import datetime
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.signing_in import SignInClient as Client
from benchmarks import national
from demo import accounts as accounts_demo

from .pages import BenchContext


class _Rollback(Exception):
    pass


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured) -> int:
    """The statements a page sent, without transaction control (BEGIN, COMMIT, savepoints).

    The small worlds are counted inside a transaction that is rolled back, where a page's
    atomic block (the access log of the referral inbox and case list) sends none of these, and
    the national one outside it, where it sends BEGIN and COMMIT: counting them made those
    pages look as if their queries grew with their rows (6 / 6 / 8 and 5 / 5 / 7).
    """
    return sum(
        1 for query in captured if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    )


def count_queries(user, urls: dict[str, str]) -> dict[str, int | str]:
    """Return {key: queries of one GET of the url} as `user`, after one warming GET each.

    The warming request fills per-session caches (the MFA check, content types), as a signed-in
    user's earlier requests would have. The shared cache (the per-force lists and figures of
    `accounts.caching`) is then emptied, so the count is the cold request's, the most a page
    costs: a warm one costs less. A page that does not answer 200 gives its status instead.
    """
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    secure = settings.SECURE_SSL_REDIRECT
    counts = {}
    try:
        for key, url in urls.items():
            client.get(url, secure=secure)
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, secure=secure)
            counts[key] = (
                statements(captured)
                if response.status_code == 200
                else f"HTTP {response.status_code}"
            )
    finally:
        client.logout()
    return counts


def in_process_times(user, urls: dict[str, str], *, repeat: int = 5) -> dict[str, dict]:
    """Return {key: {"cold": s, "warm": s}}: median times of a GET in-process (no HTTP).

    Cold: the shared cache is emptied before each request, so the page works everything out;
    warm: the same request again, served from what the previous one cached. Under load most
    requests are warm; the cold time is what the first visitor after a change waits.
    """
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    secure = settings.SECURE_SSL_REDIRECT
    times = {}
    try:
        for key, url in urls.items():
            client.get(url, secure=secure)
            cold, warm = [], []
            for _ in range(repeat):
                cache.clear()
                started = time.perf_counter()
                client.get(url, secure=secure)
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                client.get(url, secure=secure)
                warm.append(time.perf_counter() - started)
            times[key] = {"cold": statistics.median(cold), "warm": statistics.median(warm)}
    finally:
        client.logout()
    return times


def sample_school(force):
    """Return the force's open school with the most engagements (its page shows the most)."""
    from django.db.models import Count

    from schools.models import School

    return (
        School.objects.filter(force=force)
        .open()
        .annotate(n=Count("engagements"))
        .order_by("-n", "pk")
        .first()
    )


def small_worlds(pages, *, today: datetime.date) -> dict[str, dict]:
    """Return query counts of each page in a force of 1 school and one of 50 (with the later
    apps' records at the national seed's rates), then roll back."""
    results = {}
    try:
        with transaction.atomic():
            for index, schools in ((60, 1), (61, 50)):
                entry = (
                    f"bench-{schools}",
                    f"Benchmark Force {schools}",
                    1,
                    f"Bench{schools}",
                    "ZZ",
                )
                size = national.NationalSize(forces=(entry,), schools=schools, officers=4, years=1)
                seeded = national.seed_force(
                    index, entry, schools=schools, officers=4, size=size, today=today
                )
                for step in national.LATER_STEPS:  # agreements, referrals, bookings
                    step([seeded], today=today)
                _one_referral_waiting(seeded.force)
                _one_help_request_open(seeded.force)
                keep_upcoming_booking(seeded.force)
                user = seeded.manager
                accounts_demo.seed_totp(user)  # police must have MFA set up to see any page
                ctx = BenchContext(
                    user=user, force=seeded.force, school=sample_school(seeded.force)
                )
                results[str(schools)] = count_queries(user, {p.key: p.url(ctx) for p in pages})
            raise _Rollback
    except _Rollback:
        pass
    return results


def _one_referral_waiting(force):
    """Leave at least one referral waiting for triage, so the inbox lists a row at every size.

    At one school the seed's eight referrals over three years have all been decided; the
    inbox would then skip fetching an empty page and look one query cheaper than it is.
    """
    from referrals.models import Referral

    referrals = Referral.objects.filter(force=force)
    if referrals.waiting().exists():
        return
    declined = referrals.filter(status=Referral.Status.DECLINED).order_by("pk").first()
    if declined is not None:
        Referral.objects.filter(pk=declined.pk).update(
            status=Referral.Status.RECEIVED, decided_by=None, decided_at=None, decline_reason=""
        )


def _one_help_request_open(force):
    """Leave at least one request for help waiting for an answer, so that the list (the police
    see the open ones by default) lists a row at every size.

    At one school the seed's eight requests over two years are often all answered; the list
    would then skip fetching an empty page and look one query cheaper than it is (3 / 4).
    """
    from help_requests.models import HelpRequest

    requests = HelpRequest.objects.filter(school__force=force)
    if requests.open().exists():
        return
    answered = requests.answered().order_by("-pk").first()
    if answered is not None:
        HelpRequest.objects.filter(pk=answered.pk).update(
            status=HelpRequest.Status.OPEN, answer="", answered_by=None, answered_at=None
        )


def keep_upcoming_booking(force, *, now=None) -> bool:
    """Make sure the force has a live booking still to come; return whether one was moved.

    The seed spreads a school's twelve bookings over two school years and the next two months
    from the day it runs, so whether any is still to come depends on the day: at one school
    often none is, and the bookings list then skips fetching an empty page and looks one query
    cheaper than it is (3 / 4 / 4). When none is, the first confirmed booking's date (its slot,
    with any other school booked on it) moves to a weekday two weeks ahead, at the same hour.
    The national data set ages the same way after its seed's two months, so the measured force
    gets the same treatment.
    """
    from bookings.models import Booking, Slot

    now = now or timezone.now()
    bookings = Booking.objects.filter(school__force=force)
    if bookings.active().upcoming(now=now).exists():
        return False
    booking = bookings.filter(status=Booking.Status.CONFIRMED).order_by("pk").first()
    if booking is None:
        return False
    slot = booking.slot
    day = timezone.localdate(now) + datetime.timedelta(days=14)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    starts = Slot.local_datetime(day, timezone.localtime(slot.starts_at).time())
    shift = starts - slot.starts_at
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=slot.starts_at + shift, ends_at=slot.ends_at + shift
    )
    return True


def national_counts(pages, ctx: BenchContext) -> dict:
    return count_queries(ctx.user, {p.key: p.url(ctx) for p in pages})
