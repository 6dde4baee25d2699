"""Crime near each school: the summary table, worked out in the database, and what reads it.

Every crime row carries its British National Grid reference (metres), as GIAS gives each
school's, and the 250-metre grid square it lies in. "Within the radius" is first the squares
around the school (a box, by an equality join on the square's index), then an exact sum of
squares: no trigonometry, the same SQL on SQLite and PostgreSQL (PostGIS is not needed).
"""

import datetime
import statistics
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Max, Sum

from accounts import caching
from schools.models import School

from .models import (
    CELL_METRES,
    CELL_ROW,
    LoadedMonth,
    LocalCrimeSettings,
    SchoolCrimeCount,
    StreetCrime,
    ordered_types,
)

# The figures cover the latest 12 loaded months and compare them with the 12 before.
WINDOW = 12


def latest_month(force_id) -> datetime.date | None:
    return LoadedMonth.objects.filter(force_id=force_id).aggregate(latest=Max("month"))["latest"]


@dataclass(frozen=True)
class Period:
    """The latest 12 months a force has loaded and the 12 before them."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def ending(cls, last: datetime.date) -> "Period":
        return cls(first=last - relativedelta(months=WINDOW - 1), last=last)

    @property
    def before(self) -> "Period":
        return Period.ending(self.first - relativedelta(months=1))

    @property
    def months(self) -> list[datetime.date]:
        return [self.first + relativedelta(months=n) for n in range(WINDOW)]

    def __str__(self):
        return f"{self.first:%B %Y} to {self.last:%B %Y}"


def refresh_figures(force_id: int) -> int:
    """Replace the force's summary rows with counts of the latest 24 loaded months; return
    how many rows it holds."""
    latest = latest_month(force_id)
    radius = LocalCrimeSettings.of(force_id).radius_m
    school_table = School._meta.db_table
    crime_table = StreetCrime._meta.db_table
    count_table = SchoolCrimeCount._meta.db_table
    with transaction.atomic():
        # The dashboards count these rows: clear the force's cached figures with them.
        caching.invalidate_on_commit(caching.EVERYTHING, force_id)
        SchoolCrimeCount.objects.filter(school__force_id=force_id).delete()
        if latest is None:
            return 0
        since = Period.ending(latest).before.first
        # The 250-metre squares around each school first (an equality join on the cell
        # index), then the exact distance on the grid. CAST: the squares of differences of
        # metres overflow a 32-bit integer.
        reach = -(-radius // CELL_METRES)  # squares to either side, rounded up
        offsets = " UNION ALL ".join(f"SELECT {n} AS d" for n in range(-reach, reach + 1))
        sql = f"""
            INSERT INTO {count_table} (school_id, month, crime_type, near, in_lsoa)
            SELECT school_id, month, crime_type, SUM(near), SUM(in_lsoa) FROM (
                SELECT s.id AS school_id, c.month AS month, c.crime_type AS crime_type,
                       1 AS near, 0 AS in_lsoa
                FROM {school_table} s
                CROSS JOIN ({offsets}) dy
                CROSS JOIN ({offsets}) dx
                JOIN {crime_table} c ON c.force_id = s.force_id
                    AND c.cell = (s.northing / {CELL_METRES} + dy.d) * {CELL_ROW}
                               + (s.easting / {CELL_METRES} + dx.d)
                WHERE s.force_id = %s AND s.easting IS NOT NULL AND s.northing IS NOT NULL
                    AND c.month >= %s
                    AND CAST(c.easting - s.easting AS BIGINT) * CAST(c.easting - s.easting AS BIGINT)
                      + CAST(c.northing - s.northing AS BIGINT) * CAST(c.northing - s.northing AS BIGINT)
                      <= %s
                UNION ALL
                SELECT s.id, c.month, c.crime_type, 0, 1
                FROM {school_table} s
                JOIN {crime_table} c ON c.force_id = s.force_id AND c.lsoa_code = s.lsoa_code
                WHERE s.force_id = %s AND s.lsoa_code <> '' AND c.month >= %s
            ) AS counted
            GROUP BY school_id, month, crime_type
        """  # noqa: S608 - table names from the models, values as parameters
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows just loaded (this transaction's, or too new for autovacuum) would leave
                # the planner guessing the table is small, and scanning it once per school.
                cursor.execute(f"ANALYZE {crime_table}")
                cursor.execute(f"ANALYZE {school_table}")
            cursor.execute(
                sql,
                [force_id, since, radius * radius, force_id, since],
            )
    return SchoolCrimeCount.objects.filter(school__force_id=force_id).count()


@dataclass
class TypeFigures:
    crime_type: str
    near: int
    near_before: int
    in_lsoa: int
    in_lsoa_before: int

    @property
    def change(self) -> int:
        return self.near - self.near_before

    @property
    def change_percent(self) -> int | None:
        if not self.near_before:
            return None
        return round(100 * self.change / self.near_before)


_UNREAD = object()


def school_figures(school: School, *, latest=_UNREAD) -> dict | None:
    """Return a school's figures by type and by month (None before any month is loaded);
    `latest`, the force's latest loaded month, when the caller has read it already."""
    if latest is _UNREAD:
        latest = latest_month(school.force_id)
    if latest is None:
        return None
    period = Period.ending(latest)
    before = period.before
    counts = list(
        SchoolCrimeCount.objects.filter(school=school, month__gte=before.first).values_list(
            "month", "crime_type", "near", "in_lsoa"
        )
    )
    by_type, by_month = {}, {month: {} for month in period.months}
    for month, crime_type, near, in_lsoa in counts:
        figures = by_type.setdefault(crime_type, TypeFigures(crime_type, 0, 0, 0, 0))
        if month >= period.first:
            figures.near += near
            figures.in_lsoa += in_lsoa
            if month in by_month:
                by_month[month][crime_type] = near
        else:
            figures.near_before += near
            figures.in_lsoa_before += in_lsoa
    types = ordered_types(by_type)
    rows = [by_type[crime_type] for crime_type in types]
    total = TypeFigures(
        "All crime and ASB",
        sum(r.near for r in rows),
        sum(r.near_before for r in rows),
        sum(r.in_lsoa for r in rows),
        sum(r.in_lsoa_before for r in rows),
    )
    months = period.months
    chart = {
        "type": "stacked-columns",
        "labels": [f"{month:%b %Y}" for month in months],
        "datasets": [
            {"label": crime_type, "data": [by_month[month].get(crime_type, 0) for month in months]}
            for crime_type in types
        ],
    }
    month_rows = [
        (month, sum(by_month[month].values()), [by_month[month].get(t, 0) for t in types])
        for month in months
    ]
    return {
        "period": period,
        "before": before,
        "rows": rows,
        "total": total,
        "types": types,
        "chart": chart,
        "month_rows": month_rows,
        "has_position": school.easting is not None and school.northing is not None,
    }


def near_counts(schools, *, first: datetime.date, last: datetime.date, crime_type: str = ""):
    """Return {school id: crimes within the radius} over the months, of one type or all."""
    counts = SchoolCrimeCount.objects.filter(school__in=schools, month__gte=first, month__lte=last)
    if crime_type:
        counts = counts.filter(crime_type=crime_type)
    return dict(
        counts.values("school_id").annotate(total=Sum("near")).values_list("school_id", "total")
    )


def rate(near: int, pupils: int | None) -> float | None:
    """Return crimes near a school per 1,000 pupils (None without a pupil count)."""
    if not pupils:
        return None
    return round(1000 * near / pupils, 1)


def force_median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
