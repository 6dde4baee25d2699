"""`python -m benchmarks` (make bench): seed if asked, count queries, load the key pages through
gunicorn, time the GIAS import and any registered timings, check the budgets, write the report."""

import argparse
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def production_workers() -> int:
    """The number of workers production runs here: config/gunicorn_conf.py's own setting."""
    from config import gunicorn_conf

    return gunicorn_conf.workers


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark the key pages against gunicorn and PostgreSQL (DATABASE_URL).",
    )
    parser.add_argument(
        "--seed",
        choices=["national", "small"],
        help="Create the database if missing, migrate, and seed it first (national: "
        "seed_demo --scale national, about 25 minutes on two shared cores; small: the usual demo). Seeding is "
        "idempotent, so this is safe on a seeded database.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=production_workers(),
        help="gunicorn sync workers (default: production's, WEB_CONCURRENCY or 2 x cores + 1, "
        "from config/gunicorn_conf.py).",
    )
    parser.add_argument("--users", type=int, default=4, help="Concurrent users (default 4).")
    parser.add_argument("--duration", type=float, default=15.0, help="Seconds per page.")
    parser.add_argument("--warmup", type=float, default=3.0, help="Seconds before measuring.")
    parser.add_argument("--force", help="Slug of the force to measure as (default: the largest).")
    parser.add_argument("--pages", help="Comma-separated page keys (default: all).")
    parser.add_argument("--gias-rows", type=int, default=50_000)
    parser.add_argument("--skip-gias", action="store_true")
    parser.add_argument("--crime-rows", type=int, default=200_000)
    parser.add_argument("--crime-schools", type=int, default=25_000)
    parser.add_argument("--skip-crime", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="Count queries only.")
    parser.add_argument("--no-write", action="store_true", help="Do not touch docs/performance.md.")
    parser.add_argument(
        "--strict", action="store_true", help="Exit with status 1 when a budget is missed."
    )
    return parser.parse_args(argv)


def log(message=""):
    print(message, flush=True)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("BENCHMARK_PAGES", "1")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def ensure_database():
    """Create the PostgreSQL database DATABASE_URL names, if it does not exist."""
    import psycopg2
    from django.conf import settings
    from psycopg2 import sql

    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                log(f"Created database {db['NAME']}.")
    finally:
        connection.close()


def benchmark_users(force, count: int):
    """Return [(user, password, totp secret)]: prevention managers of the force who sign in.

    They are created (or refreshed) for the run with a random password and an authenticator
    app, like any police account; nothing else in the data set changes.
    """
    from accounts.models import Organisation, Role, User
    from demo import accounts as accounts_demo

    police = Organisation.objects.get(force=force, kind=Organisation.Kind.POLICE)
    users = []
    for number in range(1, count + 1):
        user, _ = User.objects.update_or_create(
            email=f"bench.manager.{number}@{force.slug}.bench.test",
            defaults={
                "full_name": f"Benchmark Manager {number}",
                "organisation": police,
                "role": Role.PREVENTION_MANAGER,
                "is_active": True,
            },
        )
        password = secrets.token_urlsafe(18)
        user.set_password(password)
        user.save(update_fields=["password"])
        users.append((user, password, accounts_demo.seed_totp(user)))
    return users


def commit() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load_pages(args, ctx, force, sign_ins, page_results, results, counts) -> None:
    """Put each page under load through gunicorn: the floor after every page, the peer first
    and last, the dashboards' cold first requests, each worker's memory after every page."""
    from accounts.caching import invalidate
    from demo.accounts import current_totp_code
    from reporting.invalidation import TOPIC

    from . import client, pages, server, stats

    with server.gunicorn(workers=args.workers, log=log) as running:
        browsers = []
        for user, password, secret in sign_ins:
            browser = client.Browser("127.0.0.1", running.port)
            client.sign_in(
                browser,
                email=user.email,
                password=password,
                totp_code=lambda secret=secret: current_totp_code(secret),
            )
            browsers.append(browser)
        log(f"{len(browsers)} managers signed in.")
        memory = [{"after": "start", "workers": server.worker_memory(running)}]

        def measure(path, duration):
            status, _, _ = browsers[0].get(path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            return client.load(
                browsers,
                path,
                users=args.users,
                duration=duration,
                warmup=args.warmup,
                min_requests=2 * args.users,
            )

        # The floor is measured before every page and after each: each page is set against
        # the floors either side of it, so a machine that slows down or speeds up during the
        # run (other work on it) moves the floor with the page. The peer is measured first and
        # last the same way.
        floor_path = pages.FLOOR_PAGE.url(ctx)
        floor_duration = max(args.duration / 2, 3.0)
        floors = [measure(floor_path, floor_duration)[0]]
        log(f"  floor page: p50 {floors[0].p50 * 1000:.1f} ms, p95 {floors[0].p95 * 1000:.1f} ms")

        def against_floor(path, title):
            latency, statuses = measure(path, args.duration)
            after, _ = measure(floor_path, floor_duration)
            around = stats.combined_floor(floors[-1], after)
            floors.append(after)
            outcome = {
                **latency.as_dict(),
                "statuses": statuses,
                "floor_p50": around.p50,
                "floor_p95": around.p95,
                "ratio_p50": stats.ratio(latency.p50, around.p50),
                "ratio_p95": stats.ratio(latency.p95, around.p95),
            }
            log(
                f"  {title}: p50 {latency.p50 * 1000:.0f} ms, p95 {latency.p95 * 1000:.0f} ms "
                f"({outcome['ratio_p95']:.1f}x the floor's {around.p95 * 1000:.0f} ms), "
                f"{latency.per_second:.1f}/s, {latency.errors} errors"
            )
            return outcome

        peer_path = pages.PEER_PAGE.url(ctx)
        peer_runs = [against_floor(peer_path, "peer page (first)")]
        for result in page_results:
            result.update(against_floor(result["url"], result["title"]))
            if result["kind"] in pages.COLD_KINDS:
                result["cold_load"] = client.cold_first_requests(
                    browsers, result["url"], change=lambda: invalidate(TOPIC, force.pk)
                )
                cold = result["cold_load"]
                log(
                    f"    cold, {cold['readers']} readers at once after a change: slowest "
                    f"median {cold['median'] * 1000:.0f} ms, worst {cold['max'] * 1000:.0f} ms"
                )
            memory.append({"after": result["key"], "workers": server.worker_memory(running)})
        peer_runs.append(against_floor(peer_path, "peer page (last)"))
        memory.append({"after": "end", "workers": server.worker_memory(running)})
    cold_without_the_lock(args, force, browsers, page_results)
    results["peer"] = {
        "title": pages.PEER_PAGE.title,
        "url": peer_path,
        "queries": counts[pages.PEER_PAGE.key],
        "runs": peer_runs,
        **{
            name: statistics.fmean(run[name] for run in peer_runs)
            for name in ("p50", "p95", "ratio_p50", "ratio_p95", "per_second")
        },
        "errors": sum(run["errors"] for run in peer_runs),
    }
    for result in page_results:
        result["peer_ratio_p95"] = stats.ratio(result["ratio_p95"], results["peer"]["ratio_p95"])
    results["floor"] = {
        "p50": statistics.median(f.p50 for f in floors),
        "p95": statistics.median(f.p95 for f in floors),
        "per_second": statistics.median(f.per_second for f in floors),
        "errors": sum(f.errors for f in floors),
        "runs": [f.as_dict() for f in floors],
        "queries": counts[pages.FLOOR_PAGE.key],
    }
    results["memory"] = memory
    school_list = next((r for r in page_results if r["key"] == "school_list"), None)
    if school_list:
        results["rps_total"] = school_list["per_second"]
        results["rps_per_worker"] = school_list["per_second"] / args.workers


def cold_without_the_lock(args, force, browsers, page_results) -> None:
    """The dashboards' cold first requests again, on a server whose readers do not wait for one
    computation (CACHE_COMPUTE_ONCE=0): what #24.4's lock saves, measured in the same run.
    The signed-in sessions are kept (they live in the shared database and cache)."""
    from accounts.caching import invalidate
    from reporting.invalidation import TOPIC

    from . import client, pages, server

    cold_pages = [r for r in page_results if r["kind"] in pages.COLD_KINDS]
    if not cold_pages:
        return
    environment = {"CACHE_COMPUTE_ONCE": "0"}
    with server.gunicorn(
        workers=args.workers, log=log, environment=environment, collect=False
    ) as running:
        again = [client.Browser(b.host, running.port, cookies=dict(b.cookies)) for b in browsers]
        for result in cold_pages:
            again[0].get(result["url"])  # the fresh workers' first request is not the cold one
            result["cold_load_unlocked"] = client.cold_first_requests(
                again, result["url"], change=lambda: invalidate(TOPIC, force.pk)
            )
            cold = result["cold_load_unlocked"]
            log(
                f"    {result['title']}, cold without the lock: slowest median "
                f"{cold['median'] * 1000:.0f} ms, worst {cold['max'] * 1000:.0f} ms"
            )


def main(argv=None) -> int:
    """Use DATABASE_URL and REDIS_URL if set; otherwise start this machine's (see services)."""
    from . import services

    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        url = services.local_postgres(log)
        if url is None:
            log("The benchmarks run against PostgreSQL: set DATABASE_URL=postgres://...")
            return 2
        os.environ["DATABASE_URL"] = url
        log(f"Using this machine's PostgreSQL: {url.replace(services.PASSWORD + '@', '***@')}")
    with contextlib.ExitStack() as stack:
        if not os.environ.get("REDIS_URL"):
            redis_url = stack.enter_context(services.local_redis(log))
            if redis_url:
                os.environ["REDIS_URL"] = redis_url
        return run(args)


def run(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import Force
    from benchmarks import national

    from . import pages, queries, report, server, timings

    if connection.vendor != "postgresql":
        log("The benchmarks run against PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    ensure_database()
    call_command("migrate", verbosity=0)
    seed = None
    if args.seed:
        from schools.models import School

        before = School.objects.count()
        started = time.monotonic()
        log(f"Seeding ({args.seed}; {before:,} schools in the database before)...")
        call_command("seed_demo", scale="national" if args.seed == "national" else 1, verbosity=0)
        seed = {
            "kind": args.seed,
            "seconds": time.monotonic() - started,
            "schools_before": before,
            "schools_after": School.objects.count(),
        }
        log(f"Seeded in {seed['seconds']:.0f} s ({seed['schools_after']:,} schools).")
    # Measure without DEBUG's query log in this process (the server runs without DEBUG too).
    settings.DEBUG = False

    forces = Force.objects.annotate(n=Count("schools"))
    force = forces.get(slug=args.force) if args.force else forces.order_by("-n", "pk").first()
    if force is None or not force.n:
        log("No schools in the database: run with --seed national (or small).")
        return 2
    chosen = pages.PAGES
    if args.pages:
        keys = set(args.pages.split(","))
        chosen = [p for p in pages.PAGES if p.key in keys]
    if queries.keep_upcoming_booking(force):
        log(f"No booking of {force} was still to come: one was moved two weeks ahead.")
    sign_ins = benchmark_users(force, max(1, args.users))
    school = queries.sample_school(force)
    ctx = pages.BenchContext(user=sign_ins[0][0], force=force, school=school)
    today = timezone.localdate()
    totals = national.totals()
    log(
        f"Data: {', '.join(f'{n:,} {what}' for what, n in totals.items())}. "
        f"Measuring as a manager of {force} ({force.n:,} schools)."
    )

    # Static files first: the in-process client renders the same templates as the server.
    server.collectstatic(server.server_environment())
    log("Counting queries per request (in-process, at 1, 50 and national rows)...")
    small = queries.small_worlds(chosen, today=today)
    big = queries.national_counts([*chosen, pages.FLOOR_PAGE, pages.PEER_PAGE], ctx)
    log("Timing each page in-process, with the shared cache empty (cold) and filled (warm)...")
    in_process = queries.in_process_times(ctx.user, {p.key: p.url(ctx) for p in chosen})
    page_results = []
    for page in chosen:
        page_results.append(
            {
                "key": page.key,
                "title": page.title,
                "kind": page.kind,
                "url": page.url(ctx),
                "p95_budget": page.p95_budget,
                "queries": {
                    "1": small["1"][page.key],
                    "50": small["50"][page.key],
                    "national": big[page.key],
                },
                "in_process": in_process[page.key],
            }
        )
        times = in_process[page.key]
        log(
            f"  {page.title}: queries {page_results[-1]['queries']}, in-process cold "
            f"{times['cold'] * 1000:.0f} ms, warm {times['warm'] * 1000:.0f} ms"
        )

    results = {
        "meta": {
            "commit": commit(),
            "cpus": os.cpu_count(),
            "workers": args.workers,
            "users": args.users,
            "duration": args.duration,
            "warmup": args.warmup,
            "redis": bool(settings.REDIS_URL),
            "seed": seed,
            "force": str(force),
            "force_schools": force.n,
            "school": f"{school} (URN {school.urn})",
            "school_engagements": school.engagements.count(),
            "data": ", ".join(f"{n:,} {what}" for what, n in totals.items()),
            "sign_in": (
                "each concurrent user is a prevention manager the benchmark creates in that "
                "force (bench.manager.N@<force>.bench.test) with a random password and an "
                "authenticator app (demo.accounts.seed_totp); it signs in over HTTP through "
                "/accounts/login/ and the TOTP challenge, answering with the current code "
                "(demo.accounts.current_totp_code), as a person would."
            ),
        },
        "pages": page_results,
    }

    if not args.skip_load:
        load_pages(args, ctx, force, sign_ins, page_results, results, big)
    else:
        results["floor"] = {
            "p50": float("nan"),
            "p95": float("nan"),
            "per_second": 0.0,
            "errors": 0,
            "runs": [],
            "queries": big[pages.FLOOR_PAGE.key],
        }

    if not args.skip_gias:
        from . import gias

        log(f"GIAS: generating a national-size extract ({args.gias_rows:,} rows) and importing...")
        times = gias.benchmark(args.gias_rows)
        results["gias"] = {
            **vars(times),
            "import_total": times.import_total,
            "reimport_total": times.reimport_total,
        }
        log(
            f"  import {times.import_total:.1f} s, re-import {times.reimport_total:.1f} s, "
            f"one force from the national file {times.one_force_read_apply:.1f} s"
        )

    if not args.skip_crime:
        from . import local_crime

        log(
            f"Local crime: a year of street-level files ({args.crime_rows:,} rows) and the figures near {args.crime_schools:,} schools..."
        )
        crime = local_crime.benchmark(args.crime_rows, args.crime_schools)
        results["local_crime"] = vars(crime)
        log(
            f"  check {crime.check:.1f} s, load {crime.load:.1f} s, re-load {crime.reload:.1f} s, "
            f"figures near schools {crime.refresh:.1f} s (budgets 60 s each)"
        )

    results["timings"] = [timings.measure(t, ctx) for t in timings.TIMINGS]
    results["meta"]["finished"] = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")

    log("")
    log("Budgets:")
    log(report.console(results))
    out = BASE_DIR / "var" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    (out / f"results-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    if not args.no_write:
        path = report.write(results)
        log(f"Wrote {path.relative_to(BASE_DIR)} (and var/benchmarks/results-{stamp}.json).")
    missed = [c for c in report.checks(results) if c.passed is False]
    return 1 if args.strict and missed else 0
