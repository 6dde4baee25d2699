"""Loading street-level files: the real Dorset month, bad files, re-imports, zips, retention."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEntry
from localcrime.models import CrimeType, LoadedMonth, LocalCrimeSettings, StreetCrime
from localcrime.streetcrime import check_upload, load_upload, pack_upload
from localcrime.tests.support import (
    DORSET_FEB_2021,
    as_zip,
    crime_line,
    csv_of,
    dorset_month,
    stored_state,
)

pytestmark = pytest.mark.django_db

FEB_2021 = datetime.date(2021, 2, 1)


def _load(force, files: dict[str, bytes]):
    return load_upload(as_zip(files), force=force)


def test_the_real_dorset_month_reads_with_no_errors():
    summary = check_upload(as_zip({"2021-02-dorset-street.csv": dorset_month()}))

    assert summary.error_count == 0, summary.errors
    assert summary.rows == 1614
    assert summary.months == {"2021-02": {"crimes": 1055, "asb": 559}}
    assert summary.without_location == 17
    assert summary.types[CrimeType.VIOLENCE] == 431
    assert summary.files == [["2021-02-dorset-street.csv", 1614]]


def test_the_real_dorset_month_loads_every_row(world):
    force = world.forces["a"]

    summary = _load(force, {"2021-02-dorset-street.csv": dorset_month()})

    assert (summary.error_count, summary.rows, summary.added) == (0, 1614, 1614)
    crimes = StreetCrime.objects.filter(force=force)
    # The file repeats identical ASB rows (74 here) for separate reports: all are kept.
    assert crimes.filter(crime_type=CrimeType.ASB, crime_id__isnull=True).count() == 559
    assert crimes.filter(crime_id__isnull=False).count() == 1055
    month = LoadedMonth.objects.get(force=force)
    assert (month.month, month.crimes, month.asb) == (FEB_2021, 1055, 559)
    burglary = crimes.get(
        crime_id="b11ceaeb7df21338ac3a808b5e78b48e5c7417f9e92aa94992b703c7385524df"
    )
    assert (burglary.longitude, burglary.latitude, burglary.lsoa_code) == (
        -1.894945,
        50.767338,
        "E01015301",
    )
    # Bournemouth, on the grid (pyproj): about 408,900 E, 96,400 N.
    assert 405_000 < burglary.easting < 412_000 and 93_000 < burglary.northing < 100_000
    assert crimes.filter(longitude__isnull=True, easting__isnull=True).count() == 17
    assert AuditEntry.objects.filter(action="localcrime.street_crime.imported").count() == 1


def test_loading_the_same_month_again_adds_nothing(world):
    force = world.forces["a"]
    _load(force, {"a.csv": dorset_month()})
    before = stored_state()

    summary = _load(force, {"again.csv": dorset_month()})

    assert (summary.rows, summary.added, summary.already_loaded) == (1614, 0, 1614)
    assert stored_state() == before


def test_another_force_loads_the_same_rows_as_its_own(world):
    _load(world.forces["a"], {"a.csv": dorset_month()})

    summary = _load(world.forces["b"], {"a.csv": dorset_month()})

    assert summary.added == 1614
    assert StreetCrime.objects.filter(force=world.forces["b"]).count() == 1614


def test_a_zip_of_the_archive_takes_the_street_files_and_skips_the_others(world):
    archive = {
        "2021-02/2021-02-dorset-street.csv": dorset_month(),
        "2021-02/2021-02-dorset-outcomes.csv": b"Crime ID,Month\n",
        "2021-02/2021-02-dorset-stop-and-search.csv": b"Type,Date\n",
    }

    summary = _load(world.forces["a"], archive)

    assert summary.error_count == 0
    assert summary.files == [["2021-02/2021-02-dorset-street.csv", 1614]]
    assert len(summary.skipped_files) == 2


def test_several_csv_files_are_packed_into_one_upload(world):
    march = csv_of([crime_line("c" * 64, "2021-03", -1.9, 50.72)])
    packed = pack_upload([("2021-02-dorset-street.csv", dorset_month()), ("m.csv", march)])

    summary = check_upload(__import__("io").BytesIO(packed))

    assert summary.error_count == 0
    assert summary.files == [["2021-02-dorset-street.csv", 1614], ["m.csv", 1]]
    assert set(summary.months) == {"2021-02", "2021-03"}


def test_a_wrong_header_is_reported_and_nothing_is_saved(world):
    force = world.forces["a"]
    _load(force, {"good.csv": dorset_month()})
    before = stored_state()
    wrong = dorset_month().replace(b"Crime type,", b"Category,", 1)

    summary = _load(force, {"2021-02-dorset-street.csv": dorset_month(), "wrong.csv": wrong})

    assert summary.errors == [
        'wrong.csv, row 1: the file has no column called "Crime type". Use the street-level '
        "files of data.police.uk, which have it."
    ]
    assert stored_state() == before


def test_bad_months_and_positions_are_reported_by_row_and_nothing_is_saved(world):
    force = world.forces["a"]
    lines = dorset_month().decode().splitlines()
    # Row 3 gets a bad month, row 5 a longitude that is not a number, row 7 a latitude in
    # the sea off Africa, row 9 a longitude without its latitude.
    lines[2] = lines[2].replace(",2021-02,", ",2021-13,", 1)
    lines[4] = lines[4].replace(",-1.", ",west", 1)
    cells = lines[6].split(",")
    cells[5] = "20.5"
    lines[6] = ",".join(cells)
    cells = lines[8].split(",")
    cells[5] = ""
    lines[8] = ",".join(cells)
    bad = ("\n".join(lines) + "\n").encode()

    summary = _load(force, {"bad.csv": bad})

    assert summary.errors == [
        "bad.csv, row 3, column Month: '2021-13' is not a month in the form YYYY-MM",
        f"bad.csv, row 5, column Longitude: '{lines[4].split(',')[4]}' is not a number",
        "bad.csv, row 7, column Latitude: '20.5' is outside the United Kingdom",
        "bad.csv, row 9, column Latitude: the value is missing (a row has both a longitude "
        "and a latitude, or neither)",
    ]
    assert stored_state() == ((0, []))
    assert not AuditEntry.objects.filter(action="localcrime.street_crime.imported").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "m.csv: the file is empty."),
        (csv_of([]), "The files have a header row but no crimes under it."),
        (
            csv_of([crime_line("x", "2021-02", -1.9, 50.7, crime_type="Jaywalking")]),
            "m.csv, row 2, column Crime type: 'Jaywalking' is not a police.uk crime type",
        ),
        (
            csv_of([crime_line("x", "2021-02", -1.9, 50.7) + ",extra"]),
            "m.csv, row 2: it has 13 values but the header row has 12 columns.",
        ),
        (
            b"PK\x03\x04not really",
            "m.csv: The file is a spreadsheet workbook (like .xlsx), not "
            'a CSV file. Save it again as "CSV UTF-8 (comma delimited)" and upload that.',
        ),
    ],
)
def test_files_that_cannot_be_loaded_say_why(world, data, message):
    summary = _load(world.forces["a"], {"m.csv": data})

    assert summary.errors == [message]
    assert StreetCrime.objects.count() == 0


def test_a_file_that_is_not_a_zip_or_csv_is_refused():
    summary = check_upload(__import__("io").BytesIO(b"not a zip"))

    assert summary.errors == ["The file is not a CSV file or a zip of CSV files."]


def test_months_older_than_the_force_keeps_are_removed(world):
    force = world.forces["a"]
    LocalCrimeSettings.objects.create(force=force, retention_months=24)
    _load(force, {"feb.csv": dorset_month()})
    later = csv_of(
        [
            crime_line("d" * 64, "2023-01", -1.9, 50.72),
            crime_line("e" * 64, "2023-02", -1.9, 50.72),
        ]
    )

    summary = _load(force, {"later.csv": later})

    # 24 months back from February 2023 starts in March 2021: February 2021 goes.
    assert summary.pruned_months == ["2021-02"]
    assert list(LoadedMonth.objects.filter(force=force).values_list("month", flat=True)) == [
        datetime.date(2023, 2, 1),
        datetime.date(2023, 1, 1),
    ]
    assert StreetCrime.objects.filter(force=force).count() == 2


def test_the_command_loads_files_and_is_safe_to_run_again(world, capsys):
    force = world.forces["a"]

    call_command("import_street_crime", str(DORSET_FEB_2021), "--force", force.slug)
    call_command("import_street_crime", str(DORSET_FEB_2021), "--force", force.slug)

    out = capsys.readouterr().out
    assert "1614 rows read (2021-02): 1614 added, 0 loaded before." in out
    assert "1614 rows read (2021-02): 0 added, 1614 loaded before." in out
    assert StreetCrime.objects.filter(force=force).count() == 1614


def test_the_command_saves_nothing_from_a_bad_file(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_of([crime_line("x", "21-02", -1.9, 50.7)]))

    with pytest.raises(CommandError, match="1 problems: nothing was saved"):
        call_command("import_street_crime", str(bad), "--force", world.forces["a"].slug)

    assert StreetCrime.objects.count() == 0


def test_the_command_reads_a_zip_of_the_archive(world, tmp_path):
    archive = tmp_path / "archive.zip"
    archive.write_bytes(as_zip({"2021-02/2021-02-dorset-street.csv": dorset_month()}).read())

    call_command("import_street_crime", str(archive), "--force", world.forces["a"].slug)

    assert StreetCrime.objects.count() == 1614
