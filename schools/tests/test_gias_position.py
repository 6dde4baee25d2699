"""Where each school is: the grid reference and LSOA from GIAS, and pyproj's latitude/longitude."""

from pathlib import Path

import pytest
from pyproj import Geod

from schools.gias import apply_gias, read_gias
from schools.models import School

DATA = Path(__file__).parent / "data"
EXTRACT_2021 = DATA / "gias_establishments_2021_sample_npq-registration.csv"
RAW_2018 = DATA / "gias_edubasealldata_2018-10_raw_1row_claim-additional-payments.csv"


def test_reads_the_grid_reference_and_lsoa_and_converts_them():
    rows = read_gias(EXTRACT_2021.read_bytes())

    aldgate = rows[0]
    assert (aldgate.fields["easting"], aldgate.fields["northing"]) == (533498, 181201)
    assert aldgate.fields["lsoa_code"] == "E01032739"
    # The Aldgate School is by Mitre Street in the City of London (about 51.5135 N, 0.0774 W).
    distance = Geod(ellps="WGS84").inv(
        aldgate.fields["longitude"], aldgate.fields["latitude"], -0.0774, 51.5135
    )[2]
    assert distance < 150
    without = [row for row in rows if row.fields["easting"] is None]
    assert without and all(row.fields["latitude"] is None for row in without)


def test_reads_the_published_2018_quoting():
    (row,) = read_gias(RAW_2018.read_bytes())

    assert (row.fields["easting"], row.fields["northing"], row.fields["lsoa_code"]) == (
        424232,
        404138,
        "E01007425",
    )
    # Penistone Grammar School is on the north side of Penistone (town centre 53.5253 N, 1.6288 W).
    distance = Geod(ellps="WGS84").inv(
        row.fields["longitude"], row.fields["latitude"], -1.6288, 53.5253
    )[2]
    assert distance < 1500


def test_the_conversion_matches_the_ordnance_surveys_worked_example():
    """OS "A guide to coordinate systems in Great Britain": 52 39 28.8282 N, 1 42 57.8663 E is
    651409.903 E, 313177.270 N (within the few metres the Helmert fallback allows)."""
    data = EXTRACT_2021.read_bytes().replace(b",533498,181201,", b",651410,313177,", 1)

    aldgate = read_gias(data)[0]

    latitude = 52 + 39 / 60 + 28.8282 / 3600
    longitude = 1 + 42 / 60 + 57.8663 / 3600
    distance = Geod(ellps="WGS84").inv(
        aldgate.fields["longitude"], aldgate.fields["latitude"], longitude, latitude
    )[2]
    assert distance < 10


def test_an_unreadable_grid_reference_is_a_warning_and_left_out():
    data = EXTRACT_2021.read_bytes().replace(b",533498,181201,", b",53x498,181201,", 1)

    aldgate = read_gias(data)[0]

    assert "easting" not in aldgate.fields and "latitude" not in aldgate.fields
    assert any("Easting" in warning for warning in aldgate.warnings)


def test_a_second_import_fills_the_positions_of_schools_imported_without(camden_force):
    rows = read_gias(EXTRACT_2021.read_bytes())
    apply_gias(rows, force=camden_force)
    School.objects.update(easting=None, northing=None, lsoa_code="", latitude=None, longitude=None)
    assert School.objects.without_position().count() == 44

    summary = apply_gias(rows, force=camden_force)

    placed = School.objects.exclude(easting__isnull=True)
    assert summary.updated == placed.count() > 30
    assert School.objects.without_position().count() == 44 - placed.count()
    assert all(school.latitude and school.lsoa_code for school in placed)


@pytest.mark.parametrize("easting", [b"0", b"9999999"])
def test_a_grid_reference_outside_great_britain_is_left_out(easting):
    data = EXTRACT_2021.read_bytes().replace(b",533498,181201,", b"," + easting + b",181201,", 1)

    aldgate = read_gias(data)[0]

    assert "easting" not in aldgate.fields
