"""Referral casework in numbers: open cases, referrals received and decided, actions, outcomes.

Counts only: no name, date of birth or note of a young person reaches a dashboard.
"""

from django.db.models import Count, Q

from referrals.models import (
    ALLOCATION_WAITS,
    RISK_COLOURS,
    Case,
    Referral,
    RiskLevel,
    Source,
    Threshold,
)

from ..tables import Table

RISKS = [(RiskLevel.HIGH, "High"), (RiskLevel.MEDIUM, "Medium"), (RiskLevel.LOW, "Low")]


def cases_in(scope):
    cases = Case.objects.filter(force_id=scope.force_id)
    if scope.team_ids:
        cases = cases.filter(team_id__in=scope.team_ids)
    if scope.la:
        cases = cases.in_local_authority(scope.la)
    return cases


def open_cases(scope):
    """The cases open at the end of the period, or today while the period runs."""
    cases = cases_in(scope)
    return cases.open_on(scope.as_at) if scope.is_past else cases.open()


def _open_note(scope) -> str:
    if not scope.is_past:
        return ""
    return (
        f"Cases open on {scope.as_at:%-d %B %Y}, under today's risk, team and officer: the "
        "product keeps no history of those."
    )


def referrals_in(scope):
    referrals = Referral.objects.filter(force_id=scope.force_id).received_between(
        scope.start, scope.end
    )
    if scope.team_ids:
        # A sergeant counts what reached their teams, and what still waits for triage.
        referrals = referrals.reached_teams(scope.team_ids)
    if scope.la:
        referrals = referrals.filter(school__la_code=scope.la)
    return referrals


def _slice(scope) -> dict:
    """The case list's and inbox's filters for the scope's slice (its teams, a local authority)."""
    return scope.list_query()


def _referrals_link(value, scope, **query):
    """A count of referrals received in the period, linked to the inbox's list of them."""
    return scope.link(
        value,
        "referrals:inbox",
        received_from=scope.start.isoformat(),
        received_to=scope.end.isoformat(),
        **_slice(scope),
        **query,
    )


def _risk_counts():
    return {key: Count("pk", filter=Q(risk_level=key)) for key, _ in RISKS}


def open_by_risk(scope, by_team_rows) -> Table:
    figures = {key: sum(row[key] for row in by_team_rows) for key, _ in RISKS}
    team = _slice(scope)
    return Table(
        "open_by_risk",
        "Open cases by risk",
        ["Risk", "Open cases"],
        note=_open_note(scope),
        rows=[
            [label, scope.standing_link(figures[key], "referrals:case_list", risk=key, **team)]
            for key, label in RISKS
        ],
        chart="bar",
        colours=[RISK_COLOURS[key] for key, _ in RISKS],
        footer=[
            "All open cases",
            scope.standing_link(sum(figures.values()), "referrals:case_list", **team),
        ],
    )


def open_by_team_and_officer(scope, by_team_rows) -> list[Table]:
    columns = [label for _, label in RISKS]
    by_team = Table(
        "open_by_team",
        "Open cases by team",
        ["Team", *columns, "Total"],
        note=_open_note(scope),
        chart="stacked",
        chart_columns=(1, 2, 3),
        colours=[RISK_COLOURS[key] for key, _ in RISKS],
        empty="No open cases.",
    )
    for row in by_team_rows:
        team = str(row["team_id"])
        by_team.rows.append(
            [
                row["team__name"],
                *(
                    scope.standing_link(
                        row[key], "referrals:case_list", team=team, risk=key, la=scope.la
                    )
                    for key, _ in RISKS
                ),
                scope.standing_link(row["total"], "referrals:case_list", team=team, la=scope.la),
            ]
        )
    by_officer = Table(
        "open_by_officer",
        "Open cases by officer",
        ["Officer", *columns, "Total"],
        note=_open_note(scope),
        chart="stacked",
        chart_columns=(1, 2, 3),
        colours=[RISK_COLOURS[key] for key, _ in RISKS],
        empty="No open cases.",
    )
    for row in (
        open_cases(scope)
        .values("officer_id", "officer__full_name")
        .annotate(total=Count("pk"), **_risk_counts())
        .order_by("officer__full_name")
    ):
        officer = {**_slice(scope), "officer": str(row["officer_id"] or "none")}
        by_officer.rows.append(
            [
                row["officer__full_name"] or "Not allocated",
                *(
                    scope.standing_link(row[key], "referrals:case_list", risk=key, **officer)
                    for key, _ in RISKS
                ),
                scope.standing_link(row["total"], "referrals:case_list", **officer),
            ]
        )
    return [by_team, by_officer]


def received(scope) -> list[Table]:
    """Referrals of the period by source, threshold, decision and wait: one query, each count
    filtered by the same definition (referrals.models) as the inbox's list behind it."""
    referrals = referrals_in(scope).with_threshold_text()
    counts = referrals.aggregate(
        total=Count("pk"),
        **{f"source_{key}": Count("pk", filter=Q(source=key)) for key in Source.values},
        **{
            f"threshold_{key}": Count("pk", filter=Referral.meets_threshold(key))
            for key in Threshold.values
        },
        **{f"status_{key}": Count("pk", filter=Q(status=key)) for key in Referral.Status.values},
        **{
            f"wait_{key}": Count("pk", filter=Referral.allocation_wait(key))
            for key, *_ in ALLOCATION_WAITS
        },
    )
    by_source = Table(
        "by_source",
        "Referrals received by source",
        ["Source", "Referrals"],
        rows=[
            [label, _referrals_link(counts[f"source_{key}"], scope, source=key)]
            for key, label in Source.choices
        ],
        chart="bar",
        footer=["All referrals", _referrals_link(counts["total"], scope)],
    )
    by_threshold = Table(
        "by_threshold",
        "Referrals received by threshold",
        ["Threshold", "Referrals"],
        rows=[
            [label, _referrals_link(counts[f"threshold_{key}"], scope, threshold=key)]
            for key, label in Threshold.choices
        ],
        chart="bar",
        note="A referral can meet more than one threshold, so these add up to more than the referrals.",
    )
    decisions = Table(
        "decisions",
        "Referrals accepted and declined",
        ["Decision", "Referrals"],
        rows=[
            [label, _referrals_link(counts[f"status_{key}"], scope, decision=key)]
            for key, label in Referral.Status.choices
        ],
        chart="doughnut",
    )
    waiting = Table(
        "time_to_allocation",
        "Time from referral to allocation",
        ["Time taken", "Referrals"],
        rows=[
            [label, _referrals_link(counts[f"wait_{key}"], scope, wait=key)]
            for key, label, *_ in ALLOCATION_WAITS
        ],
        chart="bar",
        note="Accepted referrals received in the period, by the time until a sergeant allocated them.",
    )
    return [by_source, by_threshold, decisions, waiting]


def actions(scope) -> Table:
    """Open cases with open actions, monthly reviews overdue, actions past their due date."""
    today = scope.today
    cases = cases_in(scope).open()
    query = _slice(scope)
    rows = [
        ("Cases with open actions", cases.with_open_actions(), {"actions": "open"}),
        (
            "Cases with a monthly review overdue",
            cases.with_review_overdue(today=today),
            {"review": "overdue"},
        ),
        (
            "Cases with actions past their due date",
            cases.with_actions_overdue(today=today),
            {"actions": "overdue"},
        ),
    ]
    return Table(
        "actions",
        "Action plans",
        ["Open cases", "Number"],
        note=(
            "Counted as at today, not at the end of the period: action plans keep no history "
            "of their reviews."
            if scope.is_past
            else ""
        ),
        rows=[
            [label, scope.link(found.count(), "referrals:case_list", **query, **filters)]
            for label, found, filters in rows
        ],
        chart="bar",
    )


def outcomes(scope) -> Table:
    closed_in_period = cases_in(scope).closed_between(scope.start, scope.end)
    closed = {
        row["closure_outcome"]: row["n"]
        for row in closed_in_period.values("closure_outcome").annotate(n=Count("pk")).order_by()
    }
    period = {
        "status": "closed",
        "closed_from": scope.start.isoformat(),
        "closed_to": scope.end.isoformat(),
        **_slice(scope),
    }
    return Table(
        "outcomes",
        "Outcomes of cases closed in the period",
        ["Outcome", "Cases"],
        rows=[
            [label, scope.link(closed.get(key, 0), "referrals:case_list", outcome=key, **period)]
            for key, label in Case.Outcome.choices
        ],
        chart="bar",
        footer=["All closed", scope.link(sum(closed.values()), "referrals:case_list", **period)],
    )


def build(scope) -> list[Table]:
    by_team_rows = list(
        open_cases(scope)
        .values("team_id", "team__name")
        .annotate(total=Count("pk"), **_risk_counts())
        .order_by("team__name")
    )
    return [
        open_by_risk(scope, by_team_rows),
        *open_by_team_and_officer(scope, by_team_rows),
        *received(scope),
        actions(scope),
        outcomes(scope),
    ]


def headlines(scope) -> list[tuple[str, int]]:
    referrals = referrals_in(scope).aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(status=Referral.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Referral.Status.DECLINED)),
    )
    closed = cases_in(scope).closed_between(scope.start, scope.end).count()
    return [
        ("Referrals received", referrals["total"]),
        ("Referrals accepted", referrals["accepted"]),
        ("Referrals declined", referrals["declined"]),
        ("Cases closed", closed),
    ]
