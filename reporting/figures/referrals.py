"""Referral casework in numbers: open cases, referrals received and decided, actions, outcomes.

Counts only: no name, date of birth or note of a young person reaches a dashboard.
"""

from datetime import timedelta

from django.db.models import Count, F, Q, TextField
from django.db.models.functions import Cast

from referrals.models import RISK_COLOURS, Action, Case, Referral, RiskLevel, Source, Threshold

from ..tables import Table, link

RISKS = [(RiskLevel.HIGH, "High"), (RiskLevel.MEDIUM, "Medium"), (RiskLevel.LOW, "Low")]
WAITS = [
    ("Within a day", timedelta(0), timedelta(days=1)),
    ("1 to 3 days", timedelta(days=1), timedelta(days=3)),
    ("3 to 7 days", timedelta(days=3), timedelta(days=7)),
    ("Over 7 days", timedelta(days=7), None),
]


def cases_in(scope):
    cases = Case.objects.filter(force_id=scope.force_id)
    if scope.team_ids:
        cases = cases.filter(team_id__in=scope.team_ids)
    if scope.la:
        cases = cases.filter(young_person__school__la_code=scope.la)
    return cases


def referrals_in(scope):
    referrals = Referral.objects.filter(
        force_id=scope.force_id,
        created__date__gte=scope.start,
        created__date__lte=scope.end,
    )
    if scope.team_ids:
        # A sergeant counts what reached their teams, and what still waits for triage.
        referrals = referrals.filter(
            Q(case__team_id__in=scope.team_ids) | Q(status=Referral.Status.RECEIVED)
        )
    if scope.la:
        referrals = referrals.filter(school__la_code=scope.la)
    return referrals


def _risk_counts():
    return {key: Count("pk", filter=Q(risk_level=key)) for key, _ in RISKS}


def open_by_risk(scope, by_team_rows) -> Table:
    figures = {key: sum(row[key] for row in by_team_rows) for key, _ in RISKS}
    team = {"team": str(scope.team_ids[0])} if len(scope.team_ids) == 1 else {}
    return Table(
        "open_by_risk",
        "Open cases by risk",
        ["Risk", "Open cases"],
        rows=[
            [label, link(figures[key], "referrals:case_list", risk=key, **team)]
            for key, label in RISKS
        ],
        chart="bar",
        colours=[RISK_COLOURS[key] for key, _ in RISKS],
        footer=["All open cases", sum(figures.values())],
    )


def open_by_team_and_officer(scope, by_team_rows) -> list[Table]:
    columns = [label for _, label in RISKS]
    by_team = Table(
        "open_by_team",
        "Open cases by team",
        ["Team", *columns, "Total"],
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
                *(link(row[key], "referrals:case_list", team=team, risk=key) for key, _ in RISKS),
                link(row["total"], "referrals:case_list", team=team),
            ]
        )
    by_officer = Table(
        "open_by_officer",
        "Open cases by officer",
        ["Officer", *columns, "Total"],
        chart="stacked",
        chart_columns=(1, 2, 3),
        colours=[RISK_COLOURS[key] for key, _ in RISKS],
        empty="No open cases.",
    )
    for row in (
        cases_in(scope)
        .open()
        .values("officer_id", "officer__full_name")
        .annotate(total=Count("pk"), **_risk_counts())
        .order_by("officer__full_name")
    ):
        officer = str(row["officer_id"])
        by_officer.rows.append(
            [
                row["officer__full_name"] or "Not allocated",
                *(
                    link(row[key], "referrals:case_list", officer=officer, risk=key)
                    for key, _ in RISKS
                ),
                link(row["total"], "referrals:case_list", officer=officer),
            ]
        )
    return [by_team, by_officer]


def received(scope) -> list[Table]:
    """Referrals of the period by source, threshold, decision and wait: one query."""
    # A referral may meet several thresholds; the JSON list is matched as text, which
    # SQLite and PostgreSQL both do.
    referrals = referrals_in(scope).annotate(threshold_text=Cast("thresholds", TextField()))
    accepted = Q(status=Referral.Status.ACCEPTED, decided_at__isnull=False)
    counts = referrals.aggregate(
        total=Count("pk"),
        **{f"source_{key}": Count("pk", filter=Q(source=key)) for key in Source.values},
        **{
            f"threshold_{key}": Count("pk", filter=Q(threshold_text__contains=f'"{key}"'))
            for key in Threshold.values
        },
        **{f"status_{key}": Count("pk", filter=Q(status=key)) for key in Referral.Status.values},
        **{
            f"wait_{index}": Count(
                "pk",
                filter=accepted
                & Q(decided_at__gte=F("created") + low)
                & (Q(decided_at__lt=F("created") + high) if high else Q()),
            )
            for index, (_label, low, high) in enumerate(WAITS)
        },
    )
    by_source = Table(
        "by_source",
        "Referrals received by source",
        ["Source", "Referrals"],
        rows=[[label, counts[f"source_{key}"]] for key, label in Source.choices],
        chart="bar",
        footer=["All referrals", counts["total"]],
    )
    by_threshold = Table(
        "by_threshold",
        "Referrals received by threshold",
        ["Threshold", "Referrals"],
        rows=[[label, counts[f"threshold_{key}"]] for key, label in Threshold.choices],
        chart="bar",
        note="A referral can meet more than one threshold, so these add up to more than the referrals.",
    )
    decisions = Table(
        "decisions",
        "Referrals accepted and declined",
        ["Decision", "Referrals"],
        rows=[[label, counts[f"status_{key}"]] for key, label in Referral.Status.choices],
        chart="doughnut",
    )
    waiting = Table(
        "time_to_allocation",
        "Time from referral to allocation",
        ["Time taken", "Referrals"],
        rows=[[label, counts[f"wait_{index}"]] for index, (label, _, _) in enumerate(WAITS)],
        chart="bar",
        note="Accepted referrals received in the period, by the time until a sergeant allocated them.",
    )
    return [by_source, by_threshold, decisions, waiting]


def actions(scope) -> Table:
    today = scope.today
    open_actions = Action.objects.filter(case__in=cases_in(scope).open()).open()
    figures = open_actions.aggregate(
        reviews=Count("pk", filter=Q(term=Action.Term.SHORT, next_review_on__lt=today)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        open=Count("pk"),
    )
    team = {"team": str(scope.team_ids[0])} if len(scope.team_ids) == 1 else {}
    return Table(
        "actions",
        "Action plans",
        ["Actions", "Number"],
        rows=[
            ["Open actions", figures["open"]],
            [
                "Monthly reviews overdue",
                link(figures["reviews"], "referrals:case_list", review="overdue", **team),
            ],
            ["Actions past their due date", figures["overdue"]],
        ],
        chart="bar",
    )


def outcomes(scope) -> Table:
    closed = {
        row["closure_outcome"]: row["n"]
        for row in cases_in(scope)
        .filter(closed_on__gte=scope.start, closed_on__lte=scope.end)
        .values("closure_outcome")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return Table(
        "outcomes",
        "Outcomes of cases closed in the period",
        ["Outcome", "Cases"],
        rows=[[label, closed.get(key, 0)] for key, label in Case.Outcome.choices],
        chart="bar",
        footer=["All closed", sum(closed.values())],
    )


def build(scope) -> list[Table]:
    by_team_rows = list(
        cases_in(scope)
        .open()
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
    closed = cases_in(scope).filter(closed_on__gte=scope.start, closed_on__lte=scope.end).count()
    return [
        ("Referrals received", referrals["total"]),
        ("Referrals accepted", referrals["accepted"]),
        ("Referrals declined", referrals["declined"]),
        ("Cases closed", closed),
    ]
