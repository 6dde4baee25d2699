"""Street-level crime at force and national size: a year's load, and the figures near schools.

A year of one force's street-level files (about 200,000 rows, twelve monthly CSV files in a zip
as the archive gives them) is generated, checked and loaded; then 25,000 schools are placed in
the same area and the counts near each school are worked out. Everything happens inside a
transaction that is rolled back, so the benchmark's database is left as it was.
"""

import csv
import io
import random
import time
import zipfile
from dataclasses import dataclass

from django.db import transaction
from pyproj import Transformer

from accounts.models import Force, Organisation
from localcrime.figures import refresh_figures
from localcrime.models import CrimeType
from localcrime.streetcrime import check_upload, load_upload
from schools.models import School

YEAR_ROWS = 200_000
SCHOOLS = 25_000
# A force area of 120 by 120 km around Dorset's, in British National Grid metres.
WEST, SOUTH, SIDE = 330_000, 60_000, 120_000
HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def year_of_files(rows: int = YEAR_ROWS) -> bytes:
    """Return a zip of twelve monthly street-level files holding `rows` rows in all."""
    rng = random.Random("crime-bench")  # noqa: S311 - made-up data
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    types = list(CrimeType.values[:14])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        per_month = rows // 12
        for month in range(1, 13):
            eastings = [WEST + rng.random() * SIDE for _ in range(per_month)]
            northings = [SOUTH + rng.random() * SIDE for _ in range(per_month)]
            lons, lats = to_wgs84.transform(eastings, northings)
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(HEADER)
            for n in range(per_month):
                kind = rng.choice(types)
                crime_id = "" if kind == CrimeType.ASB else f"{month:02d}{n:062x}"
                lsoa = f"E0101{rng.randrange(5000):04d}"
                writer.writerow(
                    [crime_id, f"2024-{month:02d}", "Bench Police", "Bench Police",
                     f"{lons[n]:.6f}", f"{lats[n]:.6f}", "On or near Bench Street", lsoa,
                     f"Bench {lsoa[-4:]}", kind, "" if kind == CrimeType.ASB else
                     "Under investigation", ""]
                )  # fmt: skip
            archive.writestr(f"2024-{month:02d}/2024-{month:02d}-bench-street.csv", text.getvalue())
    return buffer.getvalue()


def _place_schools(force: Force, count: int) -> None:
    rng = random.Random("crime-bench-schools")  # noqa: S311 - made-up data
    orgs = Organisation.objects.bulk_create(
        Organisation(force=force, kind=Organisation.Kind.SCHOOL, name=f"Bench school {n}")
        for n in range(count)
    )
    School.objects.bulk_create(
        (
            School(
                force=force,
                organisation=org,
                urn=9_000_000 + n,
                name=org.name,
                establishment_type="Community school",
                phase=School.Phase.PRIMARY,
                la_code="999",
                la_name="Bench",
                easting=WEST + rng.randrange(SIDE),
                northing=SOUTH + rng.randrange(SIDE),
                lsoa_code=f"E0101{rng.randrange(5000):04d}",
            )
            for n, org in enumerate(orgs)
        ),
        batch_size=2000,
    )


class _Rollback(Exception):
    pass


@dataclass
class CrimeTimes:
    rows: int
    schools: int
    generate: float
    check: float
    load: float
    reload: float
    refresh: float
    counted_rows: int


def _timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def benchmark(rows: int = YEAR_ROWS, schools: int = SCHOOLS) -> CrimeTimes:
    """Time a year's check and load, its re-load, and the refresh near `schools` schools."""
    data, generate = _timed(lambda: year_of_files(rows))
    times = {}
    try:
        with transaction.atomic():
            force = Force.objects.create(name="Bench crime force", slug="bench-crime-force")
            summary, times["check"] = _timed(lambda: check_upload(io.BytesIO(data)))
            assert summary.error_count == 0, summary.errors[:5]
            _, times["load"] = _timed(
                lambda: load_upload(io.BytesIO(data), force=force, total=summary.rows)
            )
            _, times["reload"] = _timed(
                lambda: load_upload(io.BytesIO(data), force=force, total=summary.rows)
            )
            _place_schools(force, schools)
            counted, times["refresh"] = _timed(lambda: refresh_figures(force.pk))
            raise _Rollback
    except _Rollback:
        pass
    return CrimeTimes(
        rows=summary.rows,
        schools=schools,
        generate=generate,
        check=times["check"],
        load=times["load"],
        reload=times["reload"],
        refresh=times["refresh"],
        counted_rows=counted,
    )
