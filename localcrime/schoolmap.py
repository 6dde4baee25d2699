"""The map of the force's schools: each placed school with its tier and the crime near it."""

from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from schools.models import School

from .figures import Period, latest_month, near_counts
from .models import LocalCrimeSettings
from .panels import tiers_of


@dataclass
class SchoolMap:
    rows: list = field(default_factory=list)  # {"school", "tier", "near"}, most crime first
    period: Period | None = None
    la_name: str = ""

    def map_data(self, force_id: int) -> dict:
        """What the page's script draws: a point a school, the radius and the tile layer."""
        return {
            "points": [
                {
                    "name": row["school"].name,
                    "url": row["url"],
                    "lat": row["school"].latitude,
                    "lon": row["school"].longitude,
                    "pupils": row["school"].number_of_pupils or 0,
                    "tier": row["tier"][1],
                    "colour": row["tier"][2],
                    "near": row["near"],
                }
                for row in self.rows
            ],
            "radius_m": LocalCrimeSettings.of(force_id).radius_m,
            "tiles": settings.LOCAL_CRIME_TILE_URL,
            "attribution": settings.LOCAL_CRIME_TILE_ATTRIBUTION,
        }

    def table_html(self):
        """The table beside the map, a row a school (thousands at a large force): built in one
        pass, as the template engine would take most of the page's time over them."""
        if not self.rows:
            return format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="4">{}</td>'
                "</tr>",
                "No open school has a position yet.",
            )
        return format_html_join(
            "\n",
            '<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" '
            'href="{}#local-crime">{}</a></td><td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>',
            (
                (
                    row["url"],
                    row["school"].name,
                    row["tier"][1],
                    "–"
                    if row["school"].number_of_pupils is None
                    else row["school"].number_of_pupils,
                    intcomma(row["near"]),
                )
                for row in self.rows
            ),
        )


def _school_urls():
    """A function from a school's id to its page's address, reversing the route once."""
    sample = reverse("schools:detail", args=[2_147_483_647])
    before, after = sample.split("2147483647", 1)
    return lambda pk: f"{before}{pk}{after}"


def school_map(user, *, crime_type: str, months: int, la: str) -> SchoolMap:
    """The open schools the user may see that have a position, in the chosen area and months."""
    schools = School.objects.visible_to(user).open().exclude(latitude__isnull=True)
    if la:
        schools = schools.in_local_authority(la)
    schools = list(
        schools.only("pk", "name", "number_of_pupils", "latitude", "longitude", "la_name")
    )
    latest = latest_month(user.force_id)
    counts, period = {}, None
    if latest:
        period = Period(first=latest - relativedelta(months=months - 1), last=latest)
        counts = near_counts(schools, first=period.first, last=period.last, crime_type=crime_type)
    tiers = tiers_of(user, [school.pk for school in schools])
    url = _school_urls()
    rows = [
        {
            "school": school,
            "url": url(school.pk),
            "tier": tiers[school.pk],
            "near": counts.get(school.pk, 0),
        }
        for school in schools
    ]
    rows.sort(key=lambda row: (-row["near"], row["school"].name))
    return SchoolMap(rows=rows, period=period, la_name=schools[0].la_name if la and schools else la)
