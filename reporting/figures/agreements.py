"""MoU coverage: where every open school's agreement stands, by local authority and tier."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When

from agreements.models import Agreement
from needs_assessment.queries import with_tiers

from ..tables import Table, link, shares
from .tiers import NOT_ASSESSED, levels_of

REVIEW_WINDOW = timedelta(days=60)
# (standing, label, the school list's "mou" filter that lists those schools)
STANDINGS = [
    ("active", "Active", "active"),
    ("review_due", "Active, review due within 60 days", "review_due"),
    ("overdue", "Active, review overdue", "review_due"),
    ("awaiting_school", "Waiting for the school to sign", "awaiting"),
    ("awaiting_police", "Waiting for the police to sign", "awaiting"),
    ("draft", "Being prepared", "draft"),
    ("ended", "Ended", "ended"),
    ("none", "No agreement", "none"),
]


def with_mou_standing(schools, *, today):
    """Annotate each school's MoU standing; an active agreement outranks a renewal in progress."""
    of_school = Agreement.objects.filter(school=OuterRef("pk"))
    active = of_school.filter(state=Agreement.State.ACTIVE).order_by("-active_on", "-pk")
    awaiting = of_school.filter(
        state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED]
    ).order_by("-pk")
    return schools.annotate(
        mou_review_on=Subquery(active.values("review_due_on")[:1]),
        mou_active=Exists(active),
        mou_awaiting=Subquery(awaiting.values("awaiting_party")[:1]),
        mou_draft=Exists(of_school.filter(state=Agreement.State.DRAFT)),
        mou_ended=Exists(of_school.filter(state=Agreement.State.ENDED)),
        mou_suggested=Exists(
            of_school.filter(review_suggested=True).exclude(
                state__in=[Agreement.State.ENDED, Agreement.State.RENEWED]
            )
        ),
    ).annotate(
        mou=Case(
            When(mou_active=True, mou_review_on__lt=today, then=Value("overdue")),
            When(
                mou_active=True, mou_review_on__lte=today + REVIEW_WINDOW, then=Value("review_due")
            ),
            When(mou_active=True, then=Value("active")),
            When(mou_awaiting=Agreement.Party.SCHOOL, then=Value("awaiting_school")),
            When(mou_awaiting__isnull=False, then=Value("awaiting_police")),
            When(mou_draft=True, then=Value("draft")),
            When(mou_ended=True, then=Value("ended")),
            default=Value("none"),
            output_field=CharField(),
        )
    )


def build(scope) -> list[Table]:
    rows = list(
        with_mou_standing(with_tiers(scope.schools()), today=scope.today)
        .values("la_code", "la_name", "tier_level_id", "mou")
        .annotate(n=Count("pk"), suggested=Count("pk", filter=Q(mou_suggested=True)))
        .order_by()
    )
    query = scope.list_query()
    totals = defaultdict(int)
    for row in rows:
        totals[row["mou"]] += row["n"]
    counts = [totals[key] for key, _, _ in STANDINGS]
    coverage = Table(
        "coverage",
        "MoU coverage",
        ["Standing", "Schools (share)"],
        rows=[
            [label, link(share, "schools:list", mou=filter_value, **query)]
            for (key, label, filter_value), share in zip(STANDINGS, shares(counts), strict=True)
        ],
        chart="doughnut",
        footer=["All open schools", sum(counts)],
    )
    suggested = sum(row["suggested"] for row in rows)
    coverage.note = (
        f"{suggested} school{'s' if suggested != 1 else ''} had a tier change since "
        "signing: their agreement is marked “review suggested”."
    )
    columns = [label for _, label, _ in STANDINGS]

    by_la = Table(
        "coverage_by_la",
        "MoU coverage by local authority",
        ["Local authority", *columns],
        chart="stacked",
        chart_columns=tuple(range(1, len(columns) + 1)),
    )
    grid, names = defaultdict(lambda: defaultdict(int)), {}
    for row in rows:
        grid[row["la_code"]][row["mou"]] += row["n"]
        names[row["la_code"]] = row["la_name"]
    for code in sorted(grid, key=lambda c: str(names[c])):
        by_la.rows.append(
            [
                names[code],
                *(
                    link(grid[code][key], "schools:list", mou=value, **{**query, "la": code})
                    for key, _, value in STANDINGS
                ),
            ]
        )

    levels = levels_of(scope)
    known = {level.pk for level in levels}
    by_tier_grid = defaultdict(lambda: defaultdict(int))
    for row in rows:
        tier = row["tier_level_id"] if row["tier_level_id"] in known else None
        by_tier_grid[tier][row["mou"]] += row["n"]
    by_tier = Table(
        "coverage_by_tier",
        "MoU coverage by tier",
        ["Tier", *columns],
        chart="stacked",
        chart_columns=tuple(range(1, len(columns) + 1)),
    )
    for level in [*levels, None]:
        key = level.pk if level else None
        tier_key = level.key if level else "none"
        by_tier.rows.append(
            [
                level.name if level else NOT_ASSESSED,
                *(
                    link(
                        by_tier_grid[key][standing],
                        "schools:list",
                        mou=value,
                        tier=tier_key,
                        **query,
                    )
                    for standing, _, value in STANDINGS
                ),
            ]
        )
    return [coverage, by_la, by_tier]


def headlines(scope) -> list[tuple[str, int]]:
    """Agreements signed and ended in the period, and schools covered at its end."""
    agreements = Agreement.objects.filter(school__in=scope.schools())
    figures = agreements.aggregate(
        signed=Count("pk", filter=Q(active_on__gte=scope.start, active_on__lte=scope.end)),
        ended=Count("pk", filter=Q(ended_on__gte=scope.start, ended_on__lte=scope.end)),
    )
    covered = (
        scope.schools()
        .filter(
            Exists(
                agreements.filter(school=OuterRef("pk"), active_on__lte=scope.end).exclude(
                    ended_on__lte=scope.end
                )
            )
        )
        .count()
    )
    return [
        ("Agreements signed by both parties", figures["signed"]),
        ("Agreements ended", figures["ended"]),
        ("Schools with an agreement in force at the end", covered),
    ]
