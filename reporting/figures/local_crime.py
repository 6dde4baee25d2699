"""Local crime on the tiers dashboard: schools it puts above their tier, and crime by area."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, JSONField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import Force
from localcrime.evidence import INDICATORS, indicator_values
from localcrime.figures import Period
from localcrime.models import LoadedMonth, LocalCrimeSettings
from needs_assessment.models import Indicator, Level
from needs_assessment.queries import with_tiers
from needs_assessment.tiering import indicator_level

from ..tables import Table

ABOVE_BAND = "above_band"


@dataclass(frozen=True)
class CrimeContext:
    """What the local crime figures of a force start from, read in one query."""

    indicator: Indicator | None  # the chosen framework's local-crime indicator with thresholds
    latest: object  # the latest loaded month (a date), or None before any is loaded
    radius_m: int


def crime_context(force_id) -> CrimeContext:
    """Return the force's local-crime indicator (its key, thresholds and framework), its
    latest loaded month and its radius: one query, each read by a subquery of the force."""
    force = OuterRef("pk")
    indicator = (
        Indicator.objects.filter(
            framework__force_id=force,
            framework__is_chosen=True,
            key__in=list(INDICATORS),
            factor__isnull=False,
        )
        .exclude(thresholds=[])
        .order_by("order", "pk")
    )
    row = (
        Force.objects.filter(pk=force_id)
        .values(
            latest=Subquery(
                LoadedMonth.objects.filter(force_id=force).order_by("-month").values("month")[:1]
            ),
            radius_m=Subquery(
                LocalCrimeSettings.objects.filter(force_id=force)
                .order_by("pk")
                .values("radius_m")[:1]
            ),
            indicator_pk=Subquery(indicator.values("pk")[:1]),
            indicator_key=Subquery(indicator.values("key")[:1]),
            indicator_framework_id=Subquery(indicator.values("framework_id")[:1]),
            indicator_thresholds=Subquery(
                indicator.values("thresholds")[:1], output_field=JSONField()
            ),
        )
        .first()
    ) or {"latest": None, "radius_m": None, "indicator_pk": None}
    found = None
    if row["indicator_pk"] is not None:
        found = Indicator(
            pk=row["indicator_pk"],
            key=row["indicator_key"],
            framework_id=row["indicator_framework_id"],
            thresholds=row["indicator_thresholds"],
        )
    radius_m = row["radius_m"] or LocalCrimeSettings(force_id=force_id).radius_m
    return CrimeContext(indicator=found, latest=row["latest"], radius_m=radius_m)


def above_band(force_id, schools, *, levels=None, context=None) -> dict[int, str]:
    """Return {school id: tier key} of the schools whose local crime, by the framework's
    thresholds on its local-crime indicator, rates location above their current tier.
    A caller that has the framework's levels or the force's crime context passes them."""
    context = context or crime_context(force_id)
    indicator, latest = context.indicator, context.latest
    if indicator is None:
        return {}
    if latest is None:
        return {}  # no crime loaded: nothing to rate
    if levels is None:
        levels = Level.objects.filter(framework_id=indicator.framework_id)
    ranks = {level.key: level.rank for level in levels}
    # Plain rows, not School instances: a large force has thousands of schools to rate.
    tiered = list(
        with_tiers(schools.filter(easting__isnull=False, northing__isnull=False))
        .filter(tier_key__isnull=False)
        .values_list("pk", "easting", "northing", "number_of_pupils", "tier_key", named=True)
    )
    values = indicator_values(force_id, indicator.key, tiered, latest=latest)
    found = {}
    for school in tiered:
        rated = indicator_level(indicator.thresholds, values.get(school.pk))
        if rated and ranks.get(rated, 0) > ranks.get(school.tier_key, 0):
            found[school.pk] = school.tier_key
    return found


def filter_above_band(schools, value, *, user):
    """The school list's "local crime" filter: schools it puts above their tier's band."""
    if value != ABOVE_BAND:
        return schools
    return schools.filter(pk__in=list(above_band(user.force_id, schools)))


def choices(user):
    return [(ABOVE_BAND, "Above their tier's band")]


def tables(scope, levels) -> list[Table]:
    """The tiers dashboard's local crime tables, sharing the force's crime context."""
    context = crime_context(scope.force_id)
    return [above_band_table(scope, levels, context=context), by_la_table(scope, context=context)]


def above_band_table(scope, levels, *, context=None) -> Table:
    # The dashboard's levels are the chosen framework's: ranks need no query of their own.
    found = above_band(scope.force_id, scope.schools(), levels=levels, context=context)
    counts = defaultdict(int)
    for tier_key in found.values():
        counts[tier_key] += 1
    query = scope.list_query()
    table = Table(
        "local_crime_above_band",
        "Schools whose local crime puts them above their tier's band",
        ["Tier", "Schools"],
        note="Local crime rated by the thresholds of the framework's local crime indicator, "
        "against each school's current tier.",
        footer=[
            "All tiers",
            scope.standing_link(len(found), "schools:list", local_crime=ABOVE_BAND, **query),
        ],
    )
    for level in levels:
        table.rows.append(
            [
                level.name,
                scope.standing_link(
                    counts.get(level.key, 0),
                    "schools:list",
                    local_crime=ABOVE_BAND,
                    tier=level.key,
                    **query,
                ),
            ]
        )
    return table


def by_la_table(scope, *, context=None) -> Table:
    context = context or crime_context(scope.force_id)
    latest, radius = context.latest, context.radius_m
    table = Table(
        "local_crime_by_la",
        "Crime near schools by local authority",
        ["Local authority", "Open schools with a position", f"Crime and ASB within {radius} m"],
        empty="No street-level crime has been loaded yet.",
    )
    if latest is None:
        return table
    period = Period.ending(latest)
    table.note = f"Crime and ASB within {radius} metres of each school, {period}."
    placed = scope.schools().filter(easting__isnull=False, northing__isnull=False)
    in_period = Q(crime_counts__month__gte=period.first, crime_counts__month__lte=period.last)
    # One query: the placed schools of each area and the crime near them in the period.
    schools = {
        row["la_code"]: row
        for row in placed.values("la_code", "la_name")
        .annotate(
            n=Count("pk", distinct=True),
            total=Coalesce(Sum("crime_counts__near", filter=in_period), 0),
        )
        .order_by()
    }
    for code, row in sorted(schools.items(), key=lambda item: item[1]["la_name"]):
        table.rows.append(
            [
                row["la_name"],
                scope.standing_link(row["n"], "localcrime:map", la=code),
                row["total"],
            ]
        )
    return table
