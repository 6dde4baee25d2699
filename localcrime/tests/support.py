"""What the local-crime tests share: the real Dorset month and ways to place things on the grid."""

import io
import zipfile
from pathlib import Path

from pyproj import Transformer

from localcrime.models import LoadedMonth, StreetCrime

DATA = Path(__file__).parent / "data"
DORSET_FEB_2021 = DATA / "police_uk_2021-02-dorset-street_sample.csv"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
_TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def dorset_month() -> bytes:
    return DORSET_FEB_2021.read_bytes()


def as_zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def lon_lat(easting: float, northing: float) -> tuple[float, float]:
    """Return the WGS84 longitude and latitude of a British National Grid reference."""
    return _TO_WGS84.transform(easting, northing)


def csv_of(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def crime_line(
    crime_id, month, lon, lat, crime_type="Violence and sexual offences", lsoa="E01015301"
):
    position = f"{lon:.6f},{lat:.6f}" if lon is not None else ","
    return (
        f"{crime_id},{month},Dorset Police,Dorset Police,{position},On or near Test Road,"
        f"{lsoa},Bournemouth 001A,{crime_type},Under investigation,"
    )


def stored_state():
    """Return what the database holds of crime, to prove a failed import saved nothing."""
    return (
        StreetCrime.objects.count(),
        list(LoadedMonth.objects.values_list("force_id", "month", "crimes", "asb")),
    )
