"""The budgets a run is checked against, and the report that keeps the hand-written findings."""

import math

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from benchmarks import report, views


def results(**overrides):
    base = {
        "meta": {
            "finished": "2026-11-23 12:00 GMT",
            "commit": "abc1234",
            "cpus": 2,
            "workers": 2,
            "users": 4,
            "duration": 15,
            "warmup": 3,
            "redis": True,
            "data": "43 forces",
            "force": "Metropolitan Police Service",
            "force_schools": 3769,
            "school": "Oak Academy (URN 1)",
            "school_engagements": 120,
            "sign_in": "over HTTP with TOTP.",
        },
        "floor": {"p50": 0.010, "p95": 0.020, "per_second": 200.0, "errors": 0, "runs": []},
        "pages": [
            {
                "key": "school_list",
                "title": "School list",
                "kind": "list",
                "p95_budget": 4.0,
                "queries": {"1": 11, "50": 11, "national": 11},
                "in_process": {"cold": 0.034, "warm": 0.011},
                "p50": 0.03,
                "p95": 0.05,
                "ratio_p50": 3.0,
                "ratio_p95": 2.5,
                "peer_ratio_p95": 0.9,
                "per_second": 120.0,
                "errors": 0,
            },
            {
                "key": "dashboard",
                "title": "Dashboard",
                "kind": "dashboard",
                "p95_budget": 6.0,
                "queries": {"1": 9, "50": 10, "national": 14},
                "p50": 0.2,
                "p95": 0.3,
                "ratio_p50": 20.0,
                "ratio_p95": 15.0,
                "per_second": 10.0,
                "errors": 0,
                "cold_load": {
                    "readers": 4,
                    "rounds": [0.25, 0.31, 0.35, 0.33, 0.29],
                    "median": 0.31,
                    "max": 0.35,
                    "errors": 0,
                },
            },
        ],
        "rps_total": 120.0,
        "rps_per_worker": 60.0,
        "gias": {
            "rows": 50000,
            "megabytes": 30.0,
            "import_total": 14.0,
            "read": 6.0,
            "apply": 8.0,
            "created": 50000,
            "reimport_total": 5.0,
            "reread": 3.0,
            "reapply": 2.0,
            "updated": 500,
            "one_force_read_apply": 3.0,
            "one_force_created": 700,
        },
        "timings": [],
    }
    base.update(overrides)
    return base


def verdicts(found):
    return {(c.subject, c.budget.split()[0]): c.verdict for c in found}


def test_every_budget_is_checked():
    found = verdicts(report.checks(results()))
    assert found[("School list", "queries")] == "met"
    assert found[("School list", "at")] == "met"
    assert found[("School list", "p95")] == "met"
    assert found[("Dashboard", "queries")] == "MISSED"  # 9, 10, 14: not the same
    assert found[("Dashboard", "p95")] == "MISSED"
    assert found[("GIAS import", "national")] == "met"
    rps = [c for c in report.checks(results()) if "requests/s" in c.budget]
    assert rps[0].verdict == "met" and rps[0].value == 60.0


def test_a_page_that_did_not_answer_is_not_counted_as_passing():
    run = results()
    run["pages"][0]["queries"]["1"] = "HTTP 302"
    found = {(c.subject, c.budget): c for c in report.checks(run)}
    assert found[("School list", "queries the same at 1, 50 and national rows")].verdict == "MISSED"
    assert found[("School list", "at most 12 queries")].verdict == "not measured"


def test_a_registered_timing_is_held_to_its_budget():
    run = results(timings=[{"title": "MoU PDF", "median": 1.4, "budget": 1.0, "runs": [1.4]}])
    found = verdicts(report.checks(run))
    assert found[("MoU PDF", "at")] == "MISSED"


def test_a_skipped_timing_says_why_and_is_not_checked(monkeypatch):
    from benchmarks import sealing, timings

    monkeypatch.delenv("REDIS_URL", raising=False)
    (sealed,) = [t for t in timings.TIMINGS if t.key == "mou_sealed"]
    measured = timings.measure(sealed, ctx=None)
    assert "REDIS_URL is not set" in measured["skipped"] == sealing.unavailable()
    run = results(timings=[measured])
    assert all(c.subject != sealed.title for c in report.checks(run))
    assert f"{sealed.title}: not measured (REDIS_URL is not set" in report.markdown(run)


def test_every_later_page_is_registered():
    from benchmarks.pages import PAGES

    keys = {p.key for p in PAGES}
    assert {
        "agreements", "incident_list", "referral_inbox", "case_list", "case_page", "catalogue", "bookings",
        "dashboard_agreements", "dashboard_referrals", "dashboard_education", "help_requests",
    } <= keys  # fmt: skip


def test_the_report_replaces_only_the_generated_section(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(
        f"# Title\n\nIntro.\n\n{report.BEGIN}\nold numbers\n{report.END}\n\n## Findings\n\nMine.\n"
    )
    report.write(results(), path)
    text = path.read_text()
    assert text.startswith("# Title\n\nIntro.\n\n")
    assert text.endswith("## Findings\n\nMine.\n")
    assert "old numbers" not in text
    assert (
        "| School list | 11 / 11 / 11 | 34 ms / 11 ms | - | 30 ms | 50 ms | 2.5x | 0.9x | 4x "
        "| 120 | 0 |"
    ) in text
    report.write(results(), path)
    assert path.read_text() == text  # the same results give the same file


def test_a_missing_report_starts_from_the_skeleton(tmp_path):
    path = tmp_path / "docs" / "performance.md"
    report.write(results(floor={**results()["floor"], "p95": math.nan}), path)
    assert "## Findings" in path.read_text()


@pytest.mark.django_db
def test_the_floor_page_does_one_query_of_its_own(world):
    request = RequestFactory().get("/benchmarks/floor/")
    request.user = world.manager
    world.manager.organisation  # noqa: B018 - loaded by the middleware in a real request
    with CaptureQueriesContext(connection) as captured:
        response = views.floor(request)
    assert response.status_code == 200
    assert world.forces["a"].name.encode() in response.content
    assert len(captured) == 1


def test_the_floor_page_needs_a_signed_in_user():
    request = RequestFactory().get("/benchmarks/floor/")
    request.user = AnonymousUser()
    assert views.floor(request).status_code == 302


def test_lists_are_held_to_the_peer_and_dashboards_to_their_cold_first_request():
    found = {(c.subject, c.budget): c for c in report.checks(results())}
    peer = found[("School list", "p95 no slower than the peer page")]
    assert peer.verdict == "met" and peer.value == 0.9
    assert ("Dashboard", "p95 no slower than the peer page") not in found
    cold = found[("Dashboard", "cold first request at most 300 ms (4 readers at once)")]
    assert cold.verdict == "MISSED" and cold.value == 0.31
    assert report._by(cold) == "by 10 ms"
    warm = found[("Dashboard", "p95 warm at most 6x the floor")]
    assert report._by(warm) == "by 9.0x (2.50 times the limit)"
    assert found[("School list", "p95 at most 4x the floor")].verdict == "met"


def test_the_console_prints_each_budget_as_met_or_missed_with_its_limit():
    lines = report.console(results()).splitlines()
    assert any(
        line.split()[0] == "met" and "School list" in line and "(limit 1x)" in line
        for line in lines
    )
    assert any(
        line.startswith("  MISSED") and "cold first request" in line and "by 10 ms" in line
        for line in lines
    )


def test_the_report_gives_the_peer_cold_times_memory_and_seed_time():
    run = results(
        peer={
            "title": "Peer page",
            "queries": 4,
            "p50": 0.02,
            "p95": 0.04,
            "ratio_p50": 2.0,
            "ratio_p95": 2.8,
            "per_second": 150.0,
            "errors": 0,
        },
        memory=[
            {"after": "start", "workers": [{"pid": 1, "rss_mb": 101.0, "pss_mb": 60.0}]},
            {"after": "end", "workers": [{"pid": 2, "rss_mb": 118.4, "pss_mb": 70.2}]},
        ],
    )
    run["meta"]["seed"] = {
        "kind": "national",
        "seconds": 912.0,
        "schools_before": 0,
        "schools_after": 25000,
    }
    text = report.markdown(run)
    assert "| Peer page | 4 | - | - | 20 ms | 40 ms | 2.8x | 1.0x |" in text
    assert "| 310 ms / 350 ms |" in text  # the dashboard's cold first requests
    assert "at the start 101 MB RSS / 60 MB PSS; at the end 118 MB RSS / 70 MB PSS" in text
    assert "peak 118 MB RSS, 70 MB PSS; 2 worker processes seen over the run for 2" in text
    assert "15.2 minutes, from an empty database to 25,000 schools" in text
    assert "missed" in text and "| MISSED by 10 ms |" in text
    del run["meta"]["seed"]
    assert "Seeding: not in this run" in report.markdown(run)


def test_the_cold_requests_without_the_lock_are_reported_beside_those_with_it():
    run = results()
    run["pages"][1]["cold_load_unlocked"] = {
        "readers": 4,
        "rounds": [0.6, 0.7, 0.9, 0.65, 0.8],
        "median": 0.7,
        "max": 0.9,
        "errors": 0,
    }
    text = report.markdown(run)
    assert "Dashboard 310 ms / 350 ms with, 700 ms / 900 ms without" in text
    assert "without the lock" not in report.markdown(results())
