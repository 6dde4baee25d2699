"""Local crime on the tiers dashboard: schools it puts above their tier, and crime by area."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from localcrime.evidence import INDICATORS, indicator_values
from localcrime.figures import Period, latest_month
from localcrime.models import LocalCrimeSettings
from needs_assessment.models import Indicator
from needs_assessment.queries import with_tiers
from needs_assessment.tiering import indicator_level

from ..tables import Table

ABOVE_BAND = "above_band"


def _location_indicator(force_id):
    """Return the chosen framework and its local-crime indicator that has thresholds, if any
    (one query)."""
    indicator = (
        Indicator.objects.filter(
            framework__force_id=force_id,
            framework__is_chosen=True,
            key__in=list(INDICATORS),
            factor__isnull=False,
        )
        .exclude(thresholds=[])
        .select_related("framework")
        .order_by("order", "pk")
        .first()
    )
    if indicator is None:
        return None, None
    return indicator.framework, indicator


_UNSET = object()


def above_band(force_id, schools, *, levels=None, latest=_UNSET) -> dict[int, str]:
    """Return {school id: tier key} of the schools whose local crime, by the framework's
    thresholds on its local-crime indicator, rates location above their current tier.
    A caller that has the framework's levels or the latest loaded month passes them."""
    framework, indicator = _location_indicator(force_id)
    if indicator is None:
        return {}
    if latest is _UNSET:
        latest = latest_month(force_id)
    if latest is None:
        return {}  # no crime loaded: nothing to rate
    levels = framework.levels.all() if levels is None else levels
    ranks = {level.key: level.rank for level in levels}
    tiered = list(
        with_tiers(schools.filter(easting__isnull=False, northing__isnull=False))
        .filter(tier_key__isnull=False)
        .only("pk", "easting", "northing", "number_of_pupils")
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
    """The tiers dashboard's local crime tables, sharing the latest loaded month."""
    latest = latest_month(scope.force_id)
    return [above_band_table(scope, levels, latest=latest), by_la_table(scope, latest=latest)]


def above_band_table(scope, levels, *, latest=_UNSET) -> Table:
    # The dashboard's levels are the chosen framework's: ranks need no query of their own.
    found = above_band(scope.force_id, scope.schools(), levels=levels, latest=latest)
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


def by_la_table(scope, *, latest=_UNSET) -> Table:
    if latest is _UNSET:
        latest = latest_month(scope.force_id)
    radius = LocalCrimeSettings.of(scope.force_id).radius_m
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
