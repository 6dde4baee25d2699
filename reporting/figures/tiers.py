"""Schools by tier, tier movements in the period, and assessments due and overdue."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from needs_assessment.models import Assessment, Level
from needs_assessment.queries import review_due_soon, review_overdue
from schools.models import School

from ..tables import Table, plain, shares
from . import local_crime

NOT_ASSESSED = "Not assessed"


def levels_of(scope):
    """Return the chosen framework's levels, lowest need first."""
    return list(
        Level.objects.filter(
            framework__force_id=scope.force_id, framework__is_chosen=True
        ).order_by("rank")
    )


def grouped(scope):
    """Return one row per (local authority, type, phase, tier) with its number of schools.

    Every tier table of the page is a sum over these rows, so the page reads schools once.
    """
    return list(
        scope.tiered_schools()
        .values("la_code", "la_name", "establishment_type", "phase", "tier_level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _tier_of(row, level_ids):
    # A school assessed under a framework the force no longer uses counts as not assessed.
    return row["tier_level_id"] if row["tier_level_id"] in level_ids else None


def by_tier(scope, levels, rows) -> Table:
    level_ids = {level.pk for level in levels}
    counts = defaultdict(int)
    for row in rows:
        counts[_tier_of(row, level_ids)] += row["n"]
    keys = [(level.pk, level.name, level.key) for level in levels] + [(None, NOT_ASSESSED, "none")]
    numbers = [counts.get(pk, 0) for pk, _, _ in keys]
    query = scope.list_query()
    table = Table(
        "by_tier",
        "Schools by tier",
        ["Tier", "Schools (share)"],
        chart="doughnut",
        footer=["All open schools", scope.standing_link(sum(numbers), "schools:list", **query)],
        note=(
            f"Each school's tier on {scope.as_at:%-d %B %Y}, from the assessments approved by "
            "then; schools open that day."
            if scope.is_past
            else ""
        ),
    )
    for (_pk, name, key), share in zip(keys, shares(numbers), strict=True):
        table.rows.append([name, scope.standing_link(share, "schools:list", tier=key, **query)])
    return table


def pivot(scope, levels, rows, *, key, title, heading, field, label, list_param) -> Table:
    """Schools by tier across one property (local authority, type, phase), linked to the list."""
    level_ids = {level.pk for level in levels}
    grid = defaultdict(lambda: defaultdict(int))
    labels = {}
    for row in rows:
        grid[row[field]][_tier_of(row, level_ids)] += row["n"]
        labels[row[field]] = label(row)
    columns = [level.name for level in levels] + [NOT_ASSESSED]
    table = Table(
        key,
        title,
        [heading, *columns, "Total"],
        chart="stacked",
        chart_columns=tuple(range(1, len(columns) + 1)),
    )
    query = {k: v for k, v in scope.list_query().items() if k != list_param}
    for value in sorted(grid, key=lambda v: str(labels[v])):
        counts = grid[value]
        cells = [labels[value]]
        for level in [*levels, None]:
            cells.append(
                scope.standing_link(
                    counts.get(level.pk if level else None, 0),
                    "schools:list",
                    tier=level.key if level else "none",
                    **{list_param: value},
                    **query,
                )
            )
        cells.append(
            scope.standing_link(
                sum(counts.values()), "schools:list", **{list_param: value}, **query
            )
        )
        table.rows.append(cells)
    return table


def movements(scope, levels) -> Table:
    """Approved assessments in the period that set a school's tier, from what to what."""
    changes = Assessment.objects.filter(school__in=scope.schools()).tier_changes_between(
        scope.start, scope.end
    )
    rows = (
        changes.values("from_level", "to_level")
        .annotate(n=Count("school", distinct=True))
        .order_by()
    )
    query = scope.list_query()
    names = {level.pk: level.name for level in levels}
    ranks = {level.pk: level.rank for level in levels}
    table = Table(
        "movements",
        "Tier changes in the period",
        ["From", "To", "Schools", "Direction"],
        note="Schools with an assessment approved in the period that gave them their first tier or "
        "a different one.",
        empty="No school's tier changed in the period.",
    )
    for row in sorted(rows, key=lambda r: (-r["n"], str(r["from_level"]))):
        before, after = row["from_level"], row["to_level"]
        if before is None:
            direction = "First assessment"
        elif ranks.get(after, 0) > ranks.get(before, 0):
            direction = "Up (more need)"
        else:
            direction = "Down (less need)"
        table.rows.append(
            [
                names.get(before, NOT_ASSESSED),
                names.get(after, "Another framework"),
                scope.link(
                    row["n"],
                    "needs_assessment:assessment_table",
                    changed_since=scope.start.isoformat(),
                    changed_until=scope.end.isoformat(),
                    moved_from="none" if before is None else before,
                    moved_to=after,
                    **query,
                ),
                direction,
            ]
        )
    return table


def due(scope, levels, rows) -> Table:
    """Current assessments overdue for review or due within 60 days, and schools never assessed.

    The review dates are counted over the current assessments of the scope's schools (one per
    school), and "never assessed" from the grouped rows, so no per-school subquery is repeated
    in each count.
    """
    today = scope.as_at
    figures = scope.tiered_schools().aggregate(
        overdue=Count("pk", filter=review_overdue(today=today)),
        soon=Count("pk", filter=review_due_soon(today=today)),
    )
    figures["never"] = sum(row["n"] for row in rows if row["tier_level_id"] is None)
    query = scope.list_query()
    return Table(
        "due",
        "Assessments due",
        ["Assessments", "Schools"],
        note=(
            f"As at {today:%-d %B %Y}, from the assessments approved by then."
            if scope.is_past
            else ""
        ),
        rows=[
            [
                "Review overdue",
                scope.standing_link(
                    figures["overdue"], "needs_assessment:assessment_table", due="overdue", **query
                ),
            ],
            [
                "Review due within 60 days",
                scope.standing_link(
                    figures["soon"], "needs_assessment:assessment_table", due="soon", **query
                ),
            ],
            [
                "Never assessed",
                scope.standing_link(
                    figures["never"], "needs_assessment:assessment_table", tier="none", **query
                ),
            ],
        ],
        chart="bar",
    )


def build(scope) -> list[Table]:
    levels = levels_of(scope)
    rows = grouped(scope)
    phases = dict(School.Phase.choices)
    return [
        by_tier(scope, levels, rows),
        pivot(
            scope,
            levels,
            rows,
            key="by_la",
            title="Schools by local authority",
            heading="Local authority",
            field="la_code",
            label=lambda r: r["la_name"],
            list_param="la",
        ),
        pivot(
            scope,
            levels,
            rows,
            key="by_type",
            title="Schools by type of establishment",
            heading="Type of establishment",
            field="establishment_type",
            label=lambda r: r["establishment_type"] or "Unknown",
            list_param="type",
        ),
        pivot(
            scope,
            levels,
            rows,
            key="by_phase",
            title="Schools by phase",
            heading="Phase",
            field="phase",
            label=lambda r: phases.get(r["phase"], r["phase"]),
            list_param="phase",
        ),
        movements(scope, levels),
        due(scope, levels, rows),
        *local_crime.tables(scope, levels),
    ]


def headlines(scope) -> list[tuple[str, int]]:
    """Key figures at the end of the scope's period, for the steering-group report."""
    approved = Assessment.objects.filter(
        school=OuterRef("pk"), status=Assessment.Status.APPROVED, approved_on__lte=scope.end
    ).order_by("-approved_on", "-pk")
    rows = (
        scope.schools()
        .annotate(
            tier=Subquery(
                approved.values(level=Coalesce("proposed_level_id", "computed_level_id"))[:1]
            )
        )
        .annotate(review_due=Subquery(approved.values("review_due_on")[:1]))
        .values("tier")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(review_due__lt=scope.end)))
        .order_by()
    )
    levels = levels_of(scope)
    counts = {row["tier"]: row["n"] for row in rows}
    known = {level.pk for level in levels}
    figures = [(f"Schools at {level.name}", counts.get(level.pk, 0)) for level in levels]
    figures.append(
        ("Schools not assessed", sum(n for tier, n in counts.items() if tier not in known))
    )
    figures.append(
        ("Tier changes in the period", sum(plain(r[2]) for r in movements(scope, levels).rows))
    )
    figures.append(("Assessment reviews overdue at the end", sum(r["overdue"] for r in rows)))
    return figures
