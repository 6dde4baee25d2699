"""Street-level crime near schools for the national data set (`seed_demo --scale national`).

A step of benchmarks.national.LATER_STEPS. The national seed's schools come without a grid
reference (GIAS gives one; the made-up schools had none), so the local crime map would list no
school. For each added force this step places its schools in a made-up 40 km square of England
and Wales (British National Grid metres, converted to latitude and longitude with pyproj as the
GIAS import does), records the last 24 months as loaded (LoadedMonth, with their totals),
and writes the summary table the map and the school page read (SchoolCrimeCount): for each
school and month, the counts of one to three crime types near it, the partnership's types
(violence, robbery, weapons, drugs, anti-social behaviour) most often. About 1,200,000 rows.

The street-level rows themselves (StreetCrime) are not seeded: only the import reads them, and
benchmarks/local_crime.py times a year's import and the figures near 25,000 schools on its own.
The counts go in with COPY on PostgreSQL (benchmarks.national.rows); one transaction per
force, and a force with a loaded month already is skipped, so a second run adds nothing.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from benchmarks.national import rows as fast
from localcrime.models import PARTNERSHIP_TYPES, CrimeType, LoadedMonth, SchoolCrimeCount
from schools.models import School

MONTHS = 24  # the figures compare the latest twelve months with the twelve before
BATCH = 5000
SIDE = 40_000  # metres: each force's made-up square
TYPES = [t.value for t in PARTNERSHIP_TYPES] + [
    CrimeType.CRIMINAL_DAMAGE.value,
    CrimeType.OTHER_THEFT.value,
    CrimeType.SHOPLIFTING.value,
    CrimeType.VEHICLE_CRIME.value,
]
WEIGHTS = [3] * len(PARTNERSHIP_TYPES) + [1] * 4


def _square(slug: str) -> tuple[int, int]:
    """The south-west corner of the force's square, within England and Wales's grid."""
    rng = random.Random(f"crime-square-{slug}")  # noqa: S311 - demo data, no secret
    return 300_000 + rng.randrange(250_000), 100_000 + rng.randrange(350_000)


def place_schools(force, schools: list[School]) -> int:
    """Give the schools without a grid reference one in the force's square; return how many."""
    from pyproj import Transformer

    unplaced = [s for s in schools if s.easting is None or s.northing is None]
    if not unplaced:
        return 0
    rng = random.Random(f"crime-places-{force.slug}")  # noqa: S311 - demo data, no secret
    west, south = _square(force.slug)
    eastings = [west + rng.randrange(SIDE) for _ in unplaced]
    northings = [south + rng.randrange(SIDE) for _ in unplaced]
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    longitudes, latitudes = to_wgs84.transform(eastings, northings)
    for school, e, n, lon, lat in zip(
        unplaced, eastings, northings, longitudes, latitudes, strict=True
    ):
        school.easting, school.northing = e, n
        school.latitude, school.longitude = round(lat, 6), round(lon, 6)
    School.objects.bulk_update(
        unplaced, ["easting", "northing", "latitude", "longitude"], batch_size=BATCH
    )
    return len(unplaced)


def seed_force(national, *, today: datetime.date, months: int = MONTHS) -> int:
    """Place one force's schools and seed its months and counts near them; return the counts."""
    force = national.force
    rng = random.Random(f"crime-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        if LoadedMonth.objects.filter(force=force).exists():
            return 0
        schools = [s for s in national.schools.values() if s.status != "closed"]
        if not schools:
            return 0
        place_schools(force, schools)
        # police.uk publishes a month about two months after it ends.
        latest = today.replace(day=1) - relativedelta(months=2)
        counts, totals = [], {}
        for school in schools:
            busy = rng.uniform(0.3, 3.0)  # some schools sit in busier streets than others
            for back in range(months):
                month = latest - relativedelta(months=back)
                for crime_type in set(rng.choices(TYPES, WEIGHTS, k=rng.randint(1, 3))):
                    near = max(1, round(rng.expovariate(1 / (4 * busy))))
                    counts.append(
                        SchoolCrimeCount(
                            school=school,
                            month=month,
                            crime_type=crime_type,
                            near=near,
                            in_lsoa=max(0, near - rng.randint(0, near)),
                        )
                    )
                    crimes, asb = totals.get(month, (0, 0))
                    is_asb = crime_type == CrimeType.ASB
                    totals[month] = (
                        crimes + (0 if is_asb else near),
                        asb + (near if is_asb else 0),
                    )
        now = timezone.now()
        LoadedMonth.objects.bulk_create(
            LoadedMonth(force=force, month=month, crimes=crimes, asb=asb, loaded_at=now)
            for month, (crimes, asb) in sorted(totals.items())
        )
        fast.insert(SchoolCrimeCount, counts, batch_size=BATCH)
    return len(counts)


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: school positions, loaded months and crime counts near schools."""
    added = sum(seed_force(national, today=today) for national in forces)
    return f"crime near schools: {added} monthly counts added ({SchoolCrimeCount.objects.count()} in all)"
