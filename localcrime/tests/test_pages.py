"""The pages of local crime: who may open them, the upload journey, the school panel, the map."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from localcrime.models import CrimeImport, CrimeType, LoadedMonth, LocalCrimeSettings, StreetCrime
from localcrime.tests.factories import LoadedMonthFactory, StreetCrimeFactory
from localcrime.tests.support import dorset_month, lon_lat
from schools.tests.factories import SchoolFactory
from tests.matrix import ANONYMOUS, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

POLICE_SIDE = (
    "sso",
    "neighbourhood",
    "sergeant",
    "manager",
    "coordinator",
    "admin",
    "other_force_admin",
)
IMPORTERS = ("manager", "admin", "other_force_admin")


def _upload(client, data=None, name="2021-02-dorset-street.csv"):
    """Upload a file (the check runs in-process) and return its import."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("localcrime:import_upload"),
            {"files": SimpleUploadedFile(name, data or dorset_month(), content_type="text/csv")},
        )
    assert response.status_code == 302, response.content[:2000]
    return CrimeImport.objects.latest("pk")


def test_permission_rows_of_every_page(client, world):
    crime_import = CrimeImport.objects.create(
        force=world.forces["a"], uploaded_by=world.manager, original_name="a.csv", status="failed"
    )
    preview = reverse("localcrime:import_preview", args=[crime_import.pk])
    status = reverse("localcrime:import_status", args=[crime_import.pk])
    rows = (
        rows_for("GET", reverse("localcrime:map"), dict.fromkeys(POLICE_SIDE, OK), DENIED)
        + rows_for(
            "GET", reverse("localcrime:unplaced_schools"), dict.fromkeys(POLICE_SIDE, OK), DENIED
        )
        + rows_for("GET", reverse("localcrime:import_upload"), dict.fromkeys(IMPORTERS, OK), DENIED)
        + rows_for("GET", reverse("localcrime:settings"), dict.fromkeys(IMPORTERS, OK), DENIED)
        + rows_for(
            "GET", preview, {"manager": OK, "admin": OK, "other_force_admin": HIDDEN}, DENIED
        )
        + rows_for("GET", status, {"manager": OK, "admin": OK, "other_force_admin": HIDDEN}, DENIED)
        + [
            Row("sso", "POST", reverse("localcrime:settings"), DENIED, {"radius_m": "800"}),
            Row("sso", "POST", preview, DENIED),
            Row("other_force_admin", "POST", preview, HIDDEN),
            Row(ANONYMOUS, "POST", preview, LOGIN),
            Row(
                "manager",
                "POST",
                reverse("localcrime:settings"),
                REDIRECT,
                {"radius_m": "800", "retention_months": "36"},
            ),
        ]
    )
    check(client, world, rows)


def test_a_manager_uploads_checks_and_imports_the_dorset_month(client, world):
    client.force_login(world.manager)

    crime_import = _upload(client)

    assert crime_import.status == CrimeImport.Status.PREVIEWED
    assert StreetCrime.objects.count() == 0
    page = client.get(reverse("localcrime:import_preview", args=[crime_import.pk])).content.decode()
    assert "Check the import" in page and "1,614" in page and "Confirm and import" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("localcrime:import_preview", args=[crime_import.pk]))
    crime_import.refresh_from_db()
    assert crime_import.status == CrimeImport.Status.APPLIED
    assert crime_import.summary["added"] == 1614
    assert not crime_import.file
    assert StreetCrime.objects.filter(force=world.forces["a"]).count() == 1614
    page = client.get(reverse("localcrime:import_upload")).content.decode()
    assert "February 2021" in page  # the months loaded
    status = client.get(reverse("localcrime:import_status", args=[crime_import.pk])).json()
    assert status == {"status": "applied", "finished": True, "progress": None}

    # Confirming again changes nothing.
    client.post(reverse("localcrime:import_preview", args=[crime_import.pk]))
    assert StreetCrime.objects.count() == 1614


def test_a_bad_upload_lists_its_problems_and_cannot_be_confirmed(client, world):
    client.force_login(world.manager)
    bad = dorset_month().replace(b",2021-02,", b",Feb 2021,", 1)

    crime_import = _upload(client, bad)

    assert crime_import.status == CrimeImport.Status.FAILED
    page = client.get(reverse("localcrime:import_preview", args=[crime_import.pk])).content.decode()
    assert "row 2, column Month: &#x27;Feb 2021&#x27; is not a month" in page
    assert "Confirm and import" not in page
    client.post(reverse("localcrime:import_preview", args=[crime_import.pk]))
    assert StreetCrime.objects.count() == 0


def test_the_upload_form_refuses_other_kinds_of_file(client, world):
    client.force_login(world.manager)

    response = client.post(
        reverse("localcrime:import_upload"),
        {"files": SimpleUploadedFile("crime.xlsx", b"PK\x03\x04", content_type="application/zip")},
    )

    assert response.status_code == 200
    assert "crime.xlsx must be a CSV file or a zip file" in response.content.decode()
    assert not CrimeImport.objects.exists()


def test_settings_keep_what_was_typed_and_explain_errors(client, world):
    client.force_login(world.manager)

    response = client.post(
        reverse("localcrime:settings"),
        {"radius_m": "50", "retention_months": "12"},
    )

    page = response.content.decode()
    assert "The radius must be at least 100 metres" in page
    assert "Keep at least 24 months" in page
    assert 'value="50"' in page
    assert not LocalCrimeSettings.objects.exists()


def _placed_school(force, n=0, **fields):
    easting, northing = 408_900 + 2000 * n, 96_400
    lon, lat = lon_lat(easting, northing)
    return SchoolFactory(
        force=force,
        easting=easting,
        northing=northing,
        longitude=lon,
        latitude=lat,
        lsoa_code="E01015301",
        **fields,
    )


def _crime_near(school, month, crime_type=CrimeType.VIOLENCE):
    StreetCrimeFactory(
        force=school.force,
        month=month,
        crime_type=crime_type,
        easting=school.easting + 5,
        northing=school.northing,
    )


def test_the_school_page_shows_the_figures_partnership_types_first(client, world):
    from localcrime.figures import refresh_figures

    school = _placed_school(world.forces["a"])
    LoadedMonthFactory(force=school.force, month=datetime.date(2021, 2, 1))
    _crime_near(school, datetime.date(2021, 2, 1), CrimeType.BURGLARY)
    _crime_near(school, datetime.date(2021, 2, 1), CrimeType.ASB)
    _crime_near(school, datetime.date(2021, 2, 1), CrimeType.ROBBERY)
    refresh_figures(school.force_id)
    client.force_login(world.sso)

    page = client.get(school.get_absolute_url()).content.decode()

    assert "Local crime and anti-social behaviour" in page
    assert (
        page.index(">Robbery<") < page.index(">Anti-social behaviour<") < page.index(">Burglary<")
    )
    assert "Month by month as a table" in page and 'id="local-crime-chart"' in page


def test_the_school_page_panel_costs_the_same_with_more_crime(client, world, count_queries):
    from localcrime.figures import refresh_figures

    school = _placed_school(world.forces["a"])
    client.force_login(world.sso)
    url = school.get_absolute_url()
    LoadedMonthFactory(force=school.force, month=datetime.date(2021, 2, 1))
    _crime_near(school, datetime.date(2021, 2, 1))
    refresh_figures(school.force_id)
    client.get(url)
    few = count_queries(client, url)
    for n, crime_type in enumerate(CrimeType.values):
        month = datetime.date(2020, 3 + n % 10, 1)
        LoadedMonth.objects.get_or_create(
            force=school.force, month=month, defaults={"loaded_at": timezone.now()}
        )
        _crime_near(school, month, crime_type)
    refresh_figures(school.force_id)

    many = count_queries(client, url)

    assert few == many


def test_the_map_lists_the_schools_with_the_crime_near_them(client, world):
    from localcrime.figures import refresh_figures

    force = world.forces["a"]
    busy = _placed_school(force, 0, name="Busy School", number_of_pupils=1200)
    quiet = _placed_school(force, 1, name="Quiet School")
    LoadedMonthFactory(force=force, month=datetime.date(2021, 2, 1))
    _crime_near(busy, datetime.date(2021, 2, 1))
    _crime_near(busy, datetime.date(2021, 2, 1), CrimeType.DRUGS)
    refresh_figures(force.pk)
    client.force_login(world.sso)

    page = client.get(reverse("localcrime:map")).content.decode()
    drugs = client.get(
        reverse("localcrime:map"), {"crime_type": "Drugs", "months": "3"}
    ).content.decode()

    assert page.index("Busy School") < page.index("Quiet School")
    assert '"near": 2' in page and "local-crime-map-data" in page
    assert "Drugs within 500 metres" in drugs and '"near": 1' in drugs
    # world's two schools have no grid reference: they are listed apart.
    assert "2 open schools without a position" in page
    assert quiet.name in page
    assert "tile" not in page.split("local-crime-map-data")[1].split("</script>")[0].replace(
        '"tiles": ""', ""
    )


def test_the_map_and_the_unplaced_list_cost_the_same_with_more_schools(
    client, world, count_queries
):
    client.force_login(world.sso)
    LoadedMonthFactory(force=world.forces["a"], month=datetime.date(2021, 2, 1))
    _placed_school(world.forces["a"], 0)
    urls = [reverse("localcrime:map"), reverse("localcrime:unplaced_schools")]
    for url in urls:
        client.get(url)
    few = [count_queries(client, url) for url in urls]
    for n in range(1, 8):
        school = _placed_school(world.forces["a"], n)
        _crime_near(school, datetime.date(2021, 2, 1))
        SchoolFactory(force=world.forces["a"])

    many = [count_queries(client, url) for url in urls]

    assert few == many


def test_a_new_radius_counts_the_figures_again(client, world):
    from localcrime.figures import refresh_figures
    from localcrime.models import SchoolCrimeCount

    school = _placed_school(world.forces["a"])
    LoadedMonthFactory(force=school.force, month=datetime.date(2021, 2, 1))
    StreetCrimeFactory(
        force=school.force,
        month=datetime.date(2021, 2, 1),
        easting=school.easting + 800,
        northing=school.northing,
    )
    refresh_figures(school.force_id)
    assert not SchoolCrimeCount.objects.filter(school=school, near__gt=0).exists()
    client.force_login(world.manager)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("localcrime:settings"), {"radius_m": "1000", "retention_months": "36"})

    assert LocalCrimeSettings.objects.get(force=school.force).radius_m == 1000
    assert SchoolCrimeCount.objects.get(school=school).near == 1
