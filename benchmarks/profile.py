"""Profile one key page in-process: `python -m benchmarks.profile school_list [--sql] [--top 30]`.

Times a few requests, shows each query with its time, and cProfile's most expensive functions,
as a prevention manager of the largest force (or --force SLUG). For finding why a page is slow.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import time

from .cli import setup_django


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("page", help="A page key of benchmarks/pages.py, or a path")
    parser.add_argument("--force")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    parser.add_argument("--sql", action="store_true", help="Print every query with its time.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest.")
    parser.add_argument(
        "--cold", action="store_true", help="Empty the shared cache before every request."
    )
    parser.add_argument(
        "--templates",
        action="store_true",
        help="Time each template's rendering (inclusive of what it includes), per request.",
    )
    args = parser.parse_args(argv)
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Force
    from accounts.tests.signing_in import SignInClient as Client

    from . import pages, queries
    from .cli import benchmark_users

    settings.DEBUG = False
    # Templates without DEBUG need the manifest of hashed static file names.
    from .server import collectstatic, server_environment

    collectstatic(server_environment())
    from django.core.cache import cache

    def fresh():
        if args.cold:
            cache.clear()

    forces = Force.objects.annotate(n=Count("schools"))
    force = forces.get(slug=args.force) if args.force else forces.order_by("-n", "pk").first()
    user = benchmark_users(force, 1)[0][0]
    ctx = pages.BenchContext(user=user, force=force, school=queries.sample_school(force))
    by_key = {p.key: p for p in [*pages.PAGES, pages.FLOOR_PAGE]}
    url = by_key[args.page].url(ctx) if args.page in by_key else args.page
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    secure = settings.SECURE_SSL_REDIRECT
    client.get(url, secure=secure)
    times = []
    for _ in range(args.repeat):
        fresh()
        started = time.perf_counter()
        response = client.get(url, secure=secure)
        times.append(time.perf_counter() - started)
    print(f"{url}: HTTP {response.status_code}, {len(response.content):,} bytes")
    print(f"  median {statistics.median(times) * 1000:.0f} ms over {args.repeat} requests")
    fresh()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=secure)
    total = sum(float(q["time"]) for q in captured.captured_queries)
    print(f"  {len(captured)} queries, {total * 1000:.0f} ms in the database")
    ranked = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    if args.sql:
        for query in ranked:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    if args.explain and ranked:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ranked[0]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))
    if args.templates:
        _time_templates(lambda: (fresh(), client.get(url, secure=secure)), args.repeat)
    fresh()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url, secure=secure)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


def _time_templates(request, repeat):
    """Print each template's inclusive render time per request (mean over `repeat`)."""
    from collections import defaultdict

    from django.template.base import Template

    spent, calls = defaultdict(float), defaultdict(int)
    original = Template._render

    def timed(self, context):
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            spent[self.name] += time.perf_counter() - started
            calls[self.name] += 1

    Template._render = timed
    try:
        for _ in range(repeat):
            request()
    finally:
        Template._render = original
    print("  templates, inclusive ms per request (calls per request):")
    for name in sorted(spent, key=lambda n: -spent[n]):
        print(f"  {spent[name] * 1000 / repeat:7.2f} ms  {name} ({calls[name] // repeat})")


if __name__ == "__main__":
    main()
