"""Figures of local crime that fill a framework's indicators, as evidence with the months covered.

A framework's indicator whose key is named here takes its value from the figures when an
assessment starts; the force's thresholds on that indicator then rate its factor (location),
and the assessor may still rate the factor by hand, with their evidence, or type another value.

Local crime has keys of its own: "incidents_per_week" is the incidents the school reported
(needs_assessment.computed), never police.uk crime around it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Sum

from schools.models import School

from .figures import Period, latest_month, rate
from .models import LocalCrimeSettings, SchoolCrimeCount

SOURCE = "data.police.uk street-level crime and ASB"


@dataclass(frozen=True)
class Evidence:
    value: Decimal
    note: str


def _near(school_ids, first: datetime.date, last: datetime.date) -> dict:
    counts = SchoolCrimeCount.objects.filter(
        school_id__in=school_ids, month__gte=first, month__lte=last
    )
    return dict(counts.values("school_id").annotate(n=Sum("near")).values_list("school_id", "n"))


def _weekly_reports(school: School, latest, radius) -> Evidence:
    """Crime and ASB within the radius, a week, over the latest six loaded months."""
    first = latest - relativedelta(months=5)
    weeks = ((latest + relativedelta(months=1)) - first).days / 7
    near = _near([school.pk], first, latest).get(school.pk, 0)
    return Evidence(
        Decimal(str(round(near / weeks, 2))),
        f"{near} crimes and ASB reports within {radius} m, {first:%B %Y} to {latest:%B %Y} "
        f"({SOURCE})",
    )


def _per_1000_pupils(school: School, latest, radius) -> Evidence | None:
    period = Period.ending(latest)
    near = _near([school.pk], period.first, period.last).get(school.pk, 0)
    value = rate(near, school.number_of_pupils)
    if value is None:
        return None
    return Evidence(
        Decimal(str(value)),
        f"{near} crimes and ASB reports within {radius} m for {school.number_of_pupils} pupils, "
        f"{period} ({SOURCE})",
    )


def _against_force_median(school: School, latest, radius) -> Evidence | None:
    """The school's count as a percentage of the median of the force's placed open schools."""
    period = Period.ending(latest)
    schools = list(
        School.objects.filter(force_id=school.force_id, easting__isnull=False)
        .open()
        .values_list("pk", flat=True)
    )
    counts = _near(schools, period.first, period.last)
    values = sorted(counts.get(pk, 0) for pk in schools)
    if not values:
        return None
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    if not median:
        return None
    near = counts.get(school.pk, 0)
    return Evidence(
        Decimal(str(round(100 * near / median, 1))),
        f"{near} crimes and ASB reports within {radius} m against the force's median of "
        f"{median:g}, {period} ({SOURCE})",
    )


LOCAL_CRIME_PER_WEEK = "local_crime_per_week"

# Indicator key -> how its value is worked out.
INDICATORS = {
    LOCAL_CRIME_PER_WEEK: _weekly_reports,
    "local_crime_per_1000_pupils": _per_1000_pupils,
    "local_crime_against_median": _against_force_median,
}


def indicator_evidence(school: School, keys) -> dict[str, Evidence]:
    """Return the evidence for each indicator key the figures can fill (none before a month
    is loaded, or for a school without a grid reference)."""
    keys = [key for key in keys if key in INDICATORS]
    if not keys or school.easting is None or school.northing is None:
        return {}
    latest = latest_month(school.force_id)
    if latest is None:
        return {}
    radius = LocalCrimeSettings.of(school.force_id).radius_m
    found = {key: INDICATORS[key](school, latest, radius) for key in keys}
    return {key: evidence for key, evidence in found.items() if evidence is not None}


_UNSET = object()


def indicator_values(force_id: int, key: str, schools, *, latest=_UNSET) -> dict[int, Decimal]:
    """Return {school id: the indicator's value} for many schools at once (dashboards); a
    caller that has the force's latest loaded month passes it."""
    if key not in INDICATORS:
        return {}
    if latest is _UNSET:
        latest = latest_month(force_id)
    if latest is None:
        return {}
    placed = [s for s in schools if s.easting is not None and s.northing is not None]
    ids = [s.pk for s in placed]
    if key == LOCAL_CRIME_PER_WEEK:
        first = latest - relativedelta(months=5)
        weeks = ((latest + relativedelta(months=1)) - first).days / 7
        near = _near(ids, first, latest)
        return {pk: Decimal(str(round(near.get(pk, 0) / weeks, 2))) for pk in ids}
    period = Period.ending(latest)
    near = _near(ids, period.first, period.last)
    if key == "local_crime_per_1000_pupils":
        rates = {s.pk: rate(near.get(s.pk, 0), s.number_of_pupils) for s in placed}
        return {pk: Decimal(str(value)) for pk, value in rates.items() if value is not None}
    values = sorted(near.get(pk, 0) for pk in ids)
    if not values:
        return {}
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    if not median:
        return {}
    return {pk: Decimal(str(round(100 * near.get(pk, 0) / median, 1))) for pk in ids}
