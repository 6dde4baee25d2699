"""The map of the force's schools: each placed school with its tier and the crime near it."""

from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings

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
                    "url": row["school"].get_absolute_url(),
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
    rows = [
        {"school": school, "tier": tiers[school.pk], "near": counts.get(school.pk, 0)}
        for school in schools
    ]
    rows.sort(key=lambda row: (-row["near"], row["school"].name))
    return SchoolMap(rows=rows, period=period, la_name=schools[0].la_name if la and schools else la)
