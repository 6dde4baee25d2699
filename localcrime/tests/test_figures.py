"""Crime near each school: the distance on the grid, the LSOA, the year against the year before."""

import datetime

import pytest
from django.test import TestCase
from pyproj import Geod

from localcrime.figures import refresh_figures, school_figures
from localcrime.models import CrimeType, LocalCrimeSettings, SchoolCrimeCount, StreetCrime
from localcrime.streetcrime import load_upload
from localcrime.tests.factories import LoadedMonthFactory, StreetCrimeFactory
from localcrime.tests.support import as_zip, crime_line, csv_of, dorset_month, lon_lat
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

SCHOOL_EN = (408_900, 96_400)  # Bournemouth
FEB_2021 = datetime.date(2021, 2, 1)


def _school(force, **fields):
    lon, lat = lon_lat(*SCHOOL_EN)
    return SchoolFactory(
        force=force,
        easting=SCHOOL_EN[0],
        northing=SCHOOL_EN[1],
        longitude=lon,
        latitude=lat,
        lsoa_code="E01015301",
        **fields,
    )


def _crimes_at(force, offsets, month="2021-02", **fields):
    """Load one crime at each (east, north) offset in metres from the school, through the
    import: longitude and latitude as the file has them, to the grid by pyproj."""
    lines = [
        crime_line(
            f"{n:064x}",
            month,
            *lon_lat(SCHOOL_EN[0] + de, SCHOOL_EN[1] + dn),
            lsoa="E01099999",
            **fields,
        )
        for n, (de, dn) in enumerate(offsets, start=1)
    ]
    # The figures are refreshed by a task queued when the load commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        summary = load_upload(as_zip({"m.csv": csv_of(lines)}), force=force)
    assert summary.error_count == 0, summary.errors


def _near(school):
    return sum(SchoolCrimeCount.objects.filter(school=school).values_list("near", flat=True))


def test_counts_the_crimes_within_the_radius_exactly(world):
    force = world.forces["a"]
    school = _school(force)
    inside = [(0, 499), (-499, 0), (353, 353), (0, 0)]
    outside = [(0, 501), (502, 0), (356, 356), (-600, -600), (5000, 0)]

    _crimes_at(force, inside + outside)

    assert _near(school) == len(inside)


def test_the_grid_distance_agrees_with_the_geodesic_on_the_ellipsoid(world):
    """Known points: whatever the grid says is within 500 m, the WGS84 geodesic agrees, for
    points 20 m either side of the radius in eight directions."""
    force = world.forces["a"]
    school = _school(force)
    geod = Geod(ellps="WGS84")
    directions = [
        (1, 0),
        (0, 1),
        (-1, 0),
        (0, -1),
        (0.6, 0.8),
        (-0.8, 0.6),
        (0.6, -0.8),
        (-0.6, -0.8),
    ]
    offsets = [(dx * r, dy * r) for dx, dy in directions for r in (480, 520)]
    expected = 0
    for de, dn in offsets:
        distance = geod.inv(
            school.longitude, school.latitude, *lon_lat(SCHOOL_EN[0] + de, SCHOOL_EN[1] + dn)
        )[2]
        assert abs(distance - (de**2 + dn**2) ** 0.5) < 1  # the grid's scale is within 0.04% here
        expected += distance <= 500

    _crimes_at(force, offsets)

    assert expected == 8
    assert _near(school) == expected


def test_the_force_sets_the_radius(world):
    force = world.forces["a"]
    school = _school(force)
    LocalCrimeSettings.objects.create(force=force, radius_m=1000)

    _crimes_at(force, [(0, 700), (0, 1200)])

    assert _near(school) == 1


def test_counts_the_schools_lsoa_and_another_forces_rows_not_at_all(world):
    force = world.forces["a"]
    school = _school(force)
    other_school = _school(world.forces["b"], name="Far School")

    load_upload(as_zip({"feb.csv": dorset_month()}), force=force)
    refresh_figures(force.pk)

    in_lsoa = SchoolCrimeCount.objects.filter(school=school)
    assert (
        sum(c.in_lsoa for c in in_lsoa)
        == StreetCrime.objects.filter(lsoa_code="E01015301").count()
        > 0
    )
    assert not SchoolCrimeCount.objects.filter(school=other_school).exists()


def test_the_latest_twelve_months_against_the_twelve_before(world):
    force = world.forces["a"]
    school = _school(force)
    near = {"easting": SCHOOL_EN[0] + 10, "northing": SCHOOL_EN[1] + 10, "force": force}
    months = [datetime.date(2019, 3, 1) + datetime.timedelta(days=31 * n) for n in range(24)]
    months = [m.replace(day=1) for m in months]
    for month in months:
        LoadedMonthFactory(force=force, month=month)
    latest_year, year_before = months[12:], months[:12]
    for month in latest_year:
        StreetCrimeFactory(month=month, crime_type=CrimeType.ROBBERY, **near)
        StreetCrimeFactory(month=month, crime_type=CrimeType.ROBBERY, **near)
    for month in year_before:
        StreetCrimeFactory(month=month, crime_type=CrimeType.ROBBERY, **near)
    StreetCrimeFactory(month=months[-1], crime_type=CrimeType.BURGLARY, **near)
    StreetCrimeFactory(month=months[-1], crime_type=CrimeType.ASB, **near)
    # Older than the 24 months: not counted.
    StreetCrimeFactory(month=datetime.date(2018, 1, 1), crime_type=CrimeType.ROBBERY, **near)
    refresh_figures(force.pk)

    figures = school_figures(school)

    assert str(figures["period"]) == "March 2020 to February 2021"
    assert [row.crime_type for row in figures["rows"]] == [
        CrimeType.ROBBERY,
        CrimeType.ASB,
        CrimeType.BURGLARY,
    ]
    robbery = figures["rows"][0]
    assert (robbery.near, robbery.near_before, robbery.change, robbery.change_percent) == (
        24,
        12,
        12,
        100,
    )
    assert figures["total"].near == 26
    assert figures["month_rows"][-1][1] == 4
    assert figures["chart"]["labels"][0] == "Mar 2020"


def test_no_figures_before_any_month_is_loaded(world):
    assert school_figures(_school(world.forces["a"])) is None
