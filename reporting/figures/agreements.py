"""MoU coverage: where every open school's agreement stands, by local authority and tier."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from agreements.models import MOU_STANDINGS, Agreement

from ..tables import Table, shares
from .tiers import NOT_ASSESSED, levels_of

# (standing, label, the school list's "mou" filter that lists those schools): one definition,
# Agreement.objects.standing_of, behind both.
STANDINGS = [(key, label, key) for key, label in MOU_STANDINGS]


def with_mou_standing(schools, *, today, past=False):
    """Annotate each school's MoU standing, as the school list's MoU filter reads it."""
    return Agreement.objects.standing_of(schools, today=today, past=past)


def build(scope) -> list[Table]:
    rows = list(
        with_mou_standing(scope.tiered_schools(), today=scope.as_at, past=scope.is_past)
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
            [label, scope.standing_link(share, "schools:list", mou=filter_value, **query)]
            for (key, label, filter_value), share in zip(STANDINGS, shares(counts), strict=True)
        ],
        chart="doughnut",
        footer=["All open schools", scope.standing_link(sum(counts), "schools:list", **query)],
    )
    suggested = sum(row["suggested"] for row in rows)
    coverage.note = (
        f"{suggested} school{'s' if suggested != 1 else ''} had a tier change since "
        "signing: their agreement is marked “review suggested”."
    )
    if scope.is_past:
        coverage.note = (
            f"Where each school's agreement stood on {scope.as_at:%-d %B %Y}, read from the "
            "dates it was made, sent, signed, made active and ended. Review suggestions are "
            "not dated, so none is counted."
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
                    scope.standing_link(
                        grid[code][key], "schools:list", mou=value, **{**query, "la": code}
                    )
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
                    scope.standing_link(
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
