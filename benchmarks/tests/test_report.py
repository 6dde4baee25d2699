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
                "p95_budget": 3.0,
                "queries": {"1": 11, "50": 11, "national": 11},
                "in_process": {"cold": 0.034, "warm": 0.011},
                "p50": 0.03,
                "p95": 0.05,
                "ratio_p50": 3.0,
                "ratio_p95": 2.5,
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
    assert found[("School list", "queries")] == "pass"
    assert found[("School list", "at")] == "pass"
    assert found[("School list", "p95")] == "pass"
    assert found[("Dashboard", "queries")] == "FAIL"  # 9, 10, 14: not the same
    assert found[("Dashboard", "p95")] == "FAIL"
    assert found[("GIAS import", "national")] == "pass"
    rps = [c for c in report.checks(results()) if "requests/s" in c.budget]
    assert rps[0].verdict == "pass" and rps[0].value == 60.0


def test_a_page_that_did_not_answer_is_not_counted_as_passing():
    run = results()
    run["pages"][0]["queries"]["1"] = "HTTP 302"
    found = {(c.subject, c.budget): c for c in report.checks(run)}
    assert found[("School list", "queries the same at 1, 50 and national rows")].verdict == "FAIL"
    assert found[("School list", "at most 12 queries")].verdict == "not measured"


def test_a_registered_timing_is_held_to_its_budget():
    run = results(timings=[{"title": "MoU PDF", "median": 1.4, "budget": 1.0, "runs": [1.4]}])
    found = verdicts(report.checks(run))
    assert found[("MoU PDF", "at")] == "FAIL"


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
        "| School list | 11 / 11 / 11 | 34 ms / 11 ms | 30 ms | 50 ms | 3.0x | 2.5x | 3x | 120 | 0 |"
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
