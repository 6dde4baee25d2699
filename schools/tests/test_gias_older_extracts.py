"""Older and other-year GIAS extracts: other spellings of labels, withheld numbers as warnings.

The fixtures are slices of real extracts with older spellings written in (see data/README.md).
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEntry, Organisation
from schools.gias import PHASES, STATUSES, InvalidGiasFile, apply_gias, normalise_label, read_gias
from schools.models import GiasImport, School
from schools.tests.gias_support import record_counts

DATA = Path(__file__).parent / "data"
SLICE_2021 = DATA / "gias_2021_camden_slice_older_spellings.csv"
ROW_2018 = DATA / "edubase_2018_row_older_spellings.csv"
CAMDEN = "202"


@pytest.mark.parametrize(
    ("label", "table", "code"),
    [
        ("All Through", PHASES, School.Phase.ALL_THROUGH),
        ("all-through", PHASES, School.Phase.ALL_THROUGH),
        ("ALL  THROUGH", PHASES, School.Phase.ALL_THROUGH),
        ("16 Plus", PHASES, School.Phase.SIXTEEN_PLUS),
        ("16-plus", PHASES, School.Phase.SIXTEEN_PLUS),
        ("Middle Deemed Secondary", PHASES, School.Phase.MIDDLE_SECONDARY),
        ("Not Applicable", PHASES, School.Phase.NOT_APPLICABLE),
        ("Open but proposed to close", STATUSES, School.Status.PROPOSED_TO_CLOSE),
        ("OPEN, BUT PROPOSED TO CLOSE", STATUSES, School.Status.PROPOSED_TO_CLOSE),
        ("Proposed To Open", STATUSES, School.Status.PROPOSED_TO_OPEN),
    ],
)
def test_label_variants_map_to_todays_codes(label, table, code):
    assert table[normalise_label(label)] == code


def test_reads_the_2021_slice_with_older_spellings_and_withheld_numbers():
    rows = {row.urn: row for row in read_gias(SLICE_2021.read_bytes())}

    assert len(rows) == 8
    assert rows[100005].fields["phase"] == School.Phase.NURSERY
    assert rows[100006].fields["status"] == School.Status.OPEN
    assert rows[100008].fields["status"] == School.Status.OPEN
    assert rows[100008].fields["phase"] == School.Phase.PRIMARY
    assert rows[100009].fields["phase"] == School.Phase.ALL_THROUGH
    assert rows[100010].fields["phase"] == School.Phase.SIXTEEN_PLUS
    assert rows[100011].fields["status"] == School.Status.PROPOSED_TO_CLOSE
    assert rows[100012].fields["phase"] == School.Phase.MIDDLE_PRIMARY
    # Withheld numbers: a warning for the row, the value left out, the rest read.
    assert rows[100005].warnings == (
        "Row 3, column NumberOfPupils: 'x' marks a value withheld in the extract, "
        "so it is left out",
    )
    assert "number_of_pupils" not in rows[100005].fields
    assert rows[100005].fields["name"] == "Thomas Coram Centre"
    assert rows[100006].warnings == (
        "Row 4, column StatutoryHighAge: 'x' marks a value withheld in the extract, "
        "so it is left out",
    )
    assert rows[100004].warnings == ()


def test_reads_the_2018_row_in_published_quoting_and_windows_1252():
    (row,) = read_gias(ROW_2018.read_bytes())

    assert (row.urn, row.la_code) == (106653, "370")
    assert row.fields["phase"] == School.Phase.ALL_THROUGH
    assert row.fields["status"] == School.Status.OPEN
    assert "number_of_pupils" not in row.fields
    assert row.fields["headteacher_name"] == "Mr Paul Crook"
    assert len(row.warnings) == 1


def test_a_withheld_number_keeps_the_value_we_hold_and_empties_a_new_school(camden_force):
    real = (DATA / "gias_establishments_2021_sample_npq-registration.csv").read_bytes()
    apply_gias(read_gias(real), force=camden_force)
    assert School.objects.get(urn=100005).number_of_pupils == 131
    School.objects.filter(urn=100009).delete()
    Organisation.objects.filter(school__isnull=True, name="Beckford Primary School").delete()

    summary = apply_gias(read_gias(SLICE_2021.read_bytes()), force=camden_force)

    assert summary.warnings == [
        "Row 3, column NumberOfPupils: 'x' marks a value withheld in the extract, "
        "so it is left out",
        "Row 4, column StatutoryHighAge: 'x' marks a value withheld in the extract, "
        "so it is left out",
    ]
    assert summary.counts()["warnings"] == 2
    assert School.objects.get(urn=100005).number_of_pupils == 131
    pru = School.objects.get(urn=100006)
    assert (pru.statutory_low_age, pru.statutory_high_age) == (14, 16)
    assert School.objects.get(urn=100009).phase == School.Phase.ALL_THROUGH
    assert School.objects.get(urn=100010).phase == School.Phase.SIXTEEN_PLUS
    assert School.objects.get(urn=100011).status == School.Status.PROPOSED_TO_CLOSE
    entry = AuditEntry.objects.filter(action="schools.gias.imported").latest("pk")
    assert entry.changes["warnings"] == 2


def test_a_new_school_with_a_withheld_number_has_none(camden_force):
    apply_gias(read_gias(SLICE_2021.read_bytes()), force=camden_force)

    assert School.objects.get(urn=100005).number_of_pupils is None
    pru = School.objects.get(urn=100006)
    assert (pru.statutory_low_age, pru.statutory_high_age) == (None, None)


def _slice_with(old: bytes, new: bytes) -> bytes:
    data = SLICE_2021.read_bytes()
    assert data.count(old) == 1
    return data.replace(old, new)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            _slice_with(b"100008,202,", b",202,"),
            "Row 5, column URN: the URN is missing",
        ),
        (
            # A row cut short: everything after the phase is lost.
            _slice_with(b",2,primary,3,11,", b",2,primary\r\n"),
            "Row 5: it has 19 values but the header row has 139 columns.",
        ),
        (
            _slice_with(b"EstablishmentStatus (name)", b"Status"),
            'Row 1: the file has no column called "EstablishmentStatus (name)".',
        ),
    ],
    ids=["missing URN", "cut-short row", "wrong columns"],
)
def test_structural_problems_stay_errors(camden_force, data, error):
    with pytest.raises(InvalidGiasFile) as raised:
        read_gias(data)
    assert any(message.startswith(error) for message in raised.value.errors)


def test_the_command_prints_the_warnings(camden_force):
    out = io.StringIO()

    call_command("import_gias", str(SLICE_2021), stdout=out)

    assert out.getvalue().splitlines() == [
        "created 8, updated 0, closed 0, unchanged 0, skipped 0, errors 0, warnings 2",
        "Warning: Row 3, column NumberOfPupils: 'x' marks a value withheld in the extract, "
        "so it is left out",
        "Warning: Row 4, column StatutoryHighAge: 'x' marks a value withheld in the extract, "
        "so it is left out",
    ]


@pytest.fixture
def admin_client(client, world):
    world.forces["a"].home_la_codes = [CAMDEN]
    world.forces["a"].save()
    client.force_login(world.admin)
    return client


def _upload(client, data, la_codes=CAMDEN):
    return client.post(
        reverse("schools:import_upload"),
        {
            "file": SimpleUploadedFile("edubasealldata2018.csv", data, content_type="text/csv"),
            "la_codes": la_codes,
        },
    )


def test_the_preview_and_the_summary_list_the_warnings(
    admin_client, world, django_capture_on_commit_callbacks
):
    response = _upload(admin_client, SLICE_2021.read_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]

    page = admin_client.get(preview_url).content.decode()

    assert "Values that could not be read" in page
    assert (
        "Row 3, column NumberOfPupils: &#x27;x&#x27; marks a value withheld in the extract, "
        "so it is left out"
    ) in page
    assert "Confirm and import" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(preview_url)
    assert response["Location"] == preview_url
    gias_import = GiasImport.objects.get()
    assert gias_import.status == GiasImport.Status.APPLIED
    assert gias_import.summary["warnings"] == 2
    assert len(gias_import.summary["warning_messages"]) == 2
    assert School.objects.filter(force=world.forces["a"], la_code=CAMDEN).count() == 8

    page = admin_client.get(preview_url).content.decode()
    assert "This file has been imported" in page
    assert "Row 4, column StatutoryHighAge: &#x27;x&#x27; marks a value withheld" in page


def test_an_upload_with_a_missing_urn_saves_nothing(admin_client, world):
    before = record_counts()

    response = _upload(admin_client, _slice_with(b"100008,202,", b",202,"))

    assert response.status_code == 200
    assert "Row 5, column URN: the URN is missing" in response.content.decode()
    assert not GiasImport.objects.exists()
    assert record_counts() == before


def test_an_unknown_label_is_an_error_naming_todays_labels_once():
    with pytest.raises(InvalidGiasFile) as raised:
        read_gias(_slice_with(b",7,All Through,", b",7,Through school,"))

    assert raised.value.errors == [
        "Row 6, column PhaseOfEducation (name): 'Through school' is not a phase of education "
        "we know (expected one of 'Nursery', 'Primary', 'Middle deemed primary', "
        "'Middle deemed secondary', 'Secondary', 'All-through', '16 plus', 'Not applicable')"
    ]
