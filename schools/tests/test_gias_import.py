"""The GIAS import: reading real extracts, applying them idempotently, the command and the pages."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import AuditEntry, Organisation
from accounts.tests.factories import OrganisationFactory
from schools import gias_forms
from schools.gias import (
    InvalidGiasFile,
    apply_gias,
    gias_import_upload,
    read_gias,
)
from schools.models import GiasImport, School
from schools.tests.factories import SchoolFactory
from schools.tests.gias_support import record_counts
from tests.matrix import DENIED, HIDDEN, OK, REDIRECT, check, rows_for

DATA = Path(__file__).parent / "data"
EXTRACT_2021 = DATA / "gias_establishments_2021_sample_npq-registration.csv"
RAW_2018 = DATA / "gias_edubasealldata_2018-10_raw_1row_claim-additional-payments.csv"
CAMDEN = "202"
# Every local authority of the 2021 extract: Camden, the City of London and twenty in Wales.
ALL_2021_CODES = [CAMDEN, "201", *(str(code) for code in range(660, 682))]


@pytest.fixture
def extract_2021() -> bytes:
    return EXTRACT_2021.read_bytes()


def _replace_in_row(data: bytes, urn: int, old: bytes, new: bytes) -> bytes:
    """Return a copy of a CRLF extract with one value changed in the row of `urn`."""
    lines = data.split(b"\r\n")
    for i, line in enumerate(lines):
        if line.startswith(f"{urn},".encode()):
            assert old in line
            lines[i] = line.replace(old, new, 1)
            return b"\r\n".join(lines)
    raise AssertionError(f"URN {urn} is not in the extract")


# Reading.


def test_reads_every_row_of_the_2021_extract(extract_2021):
    rows = read_gias(extract_2021)

    assert len(rows) == 99
    first = rows[0]
    assert (first.row_number, first.urn, first.la_code) == (2, 100000, "201")
    assert first.fields["name"] == "The Aldgate School"
    assert first.fields["phase"] == School.Phase.PRIMARY
    assert first.fields["status"] == School.Status.OPEN
    assert first.fields["statutory_low_age"] == 3
    assert first.fields["locality"] == "Duke's Place"
    statuses = [row.fields["status"] for row in rows]
    assert statuses.count(School.Status.OPEN) == 88
    assert statuses.count(School.Status.CLOSED) == 9
    assert statuses.count(School.Status.PROPOSED_TO_CLOSE) == 1
    assert statuses.count(School.Status.PROPOSED_TO_OPEN) == 1
    closed = next(row for row in rows if row.urn == 100004)
    assert closed.fields["closed_on"] == datetime.date(1992, 8, 31)


def test_reads_the_published_quoting_and_keeps_leading_zeros():
    (row,) = read_gias(RAW_2018.read_bytes())

    assert row.urn == 106653
    assert row.la_code == "370"
    assert row.fields["telephone"] == "01226762114"
    assert row.fields["headteacher_name"] == "Mr Paul Crook"
    assert row.fields["statutory_high_age"] == 18
    assert row.fields["number_of_pupils"] == 1565


def test_reads_windows_1252_as_published(extract_2021):
    text = extract_2021.decode("utf-8").replace("St Dominic's", "St Dominic\u2019s")
    data = text.encode("cp1252")
    assert b"St Dominic\x92s" in data

    rows = read_gias(data)

    assert next(row for row in rows if row.urn == 100039).name == (
        "St Dominic\u2019s Catholic Primary School"
    )


def test_reads_a_utf8_file_with_a_byte_order_mark(extract_2021):
    assert len(read_gias(b"\xef\xbb\xbf" + extract_2021)) == 99


def test_reads_the_current_quoted_header_in_windows_1252():
    header = [
        "URN",
        "LA (code)",
        "LA (name)",
        "EstablishmentNumber",
        "EstablishmentName",
        "TypeOfEstablishment (name)",
        "EstablishmentStatus (name)",
        "PhaseOfEducation (name)",
        "OpenDate",
        "TelephoneNum",
        "FSM",
    ]
    row = [
        "113000",
        "838",
        "Dorset",
        "2001",
        "St Mary\u2019s, \u201cthe\u201d Primary",
        "Voluntary aided school",
        "Open",
        "Primary",
        "01-09-1990",
        "01305123456",
        "12",
    ]
    line = ",".join(
        f'"{cell}"' if not cell.isdigit() or cell.startswith("0") else cell for cell in row
    )
    data = (",".join(f'"{name}"' for name in header) + "\r\n" + line + "\r\n").encode("cp1252")

    (school,) = read_gias(data)

    assert school.name == "St Mary\u2019s, \u201cthe\u201d Primary"
    assert school.fields["telephone"] == "01305123456"
    assert school.fields["opened_on"] == datetime.date(1990, 9, 1)
    # Columns this file lacks are not read as blanks, so they never overwrite what we hold.
    assert "headteacher_name" not in school.fields
    assert "number_of_pupils" not in school.fields


def test_a_broken_file_lists_every_problem_with_its_row_and_column(extract_2021):
    data = _replace_in_row(extract_2021, 100012, b"100012,", b"ABC,")
    data = _replace_in_row(data, 100004, b"31-08-1992", b"31-02-2020")
    data = _replace_in_row(data, 100008, b",Primary,", b",Primry,")
    data = _replace_in_row(data, 100006, b",14,16,", b",14,1x,")
    data = _replace_in_row(data, 100007, b"100007,", b"100000,")

    with pytest.raises(InvalidGiasFile) as raised:
        read_gias(data)

    errors = raised.value.errors
    assert "Row 14, column URN: 'ABC' is not a number" in errors
    assert any(
        e.startswith("Row 10, column PhaseOfEducation (name): 'Primry' is not") for e in errors
    )
    assert "Row 9, column URN: URN 100000 is also in row 2" in errors
    # A date or age that cannot be read is an optional value: a warning, not an error.
    assert len(errors) == 3


def test_unreadable_optional_values_are_warnings_and_left_out(extract_2021):
    data = _replace_in_row(extract_2021, 100004, b"31-08-1992", b"31-02-2020")
    data = _replace_in_row(data, 100006, b",14,16,", b",14,1x,")
    data = _replace_in_row(data, 100001, b"01-01-1920", b"1920-01-01")
    data = _replace_in_row(data, 100005, b",16-01-2020,131,", b",16-01-2020,x,")
    data = _replace_in_row(data, 100008, b",Primary,3,11,", b",Primary,13,11,")

    rows = {row.urn: row for row in read_gias(data)}

    assert len(rows) == 99
    assert rows[100004].warnings == (
        "Row 6, column CloseDate: '31-02-2020' is not a real date, so it is left out",
    )
    assert "closed_on" not in rows[100004].fields
    assert rows[100006].warnings == (
        "Row 8, column StatutoryHighAge: '1x' is not a whole number, so it is left out",
    )
    # The ages go together, so neither is taken from a row where one is unreadable.
    assert "statutory_low_age" not in rows[100006].fields
    assert "statutory_high_age" not in rows[100006].fields
    assert rows[100001].warnings == (
        "Row 3, column OpenDate: '1920-01-01' is not a date in the form dd-mm-yyyy, "
        "so it is left out",
    )
    assert rows[100005].warnings == (
        "Row 7, column NumberOfPupils: 'x' marks a value withheld in the extract, "
        "so it is left out",
    )
    assert "number_of_pupils" not in rows[100005].fields
    assert rows[100005].fields["statutory_high_age"] == 5
    assert rows[100008].warnings == (
        "Row 10, column StatutoryHighAge: the highest age (11) is lower than the lowest age "
        "(13), so it is left out",
    )
    assert rows[100000].warnings == ()


def test_a_missing_required_column_is_named(extract_2021):
    data = extract_2021.replace(b"PhaseOfEducation (name)", b"Phase", 1)

    with pytest.raises(InvalidGiasFile) as raised:
        read_gias(data)

    assert raised.value.errors == [
        'Row 1: the file has no column called "PhaseOfEducation (name)". Use the establishment '
        "extract from Get Information about Schools, which has it."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),"
            b"EstablishmentStatus (name),PhaseOfEducation (name)\r\n",
            "The file has a header row but no schools under it.",
        ),
    ],
)
def test_an_empty_file_is_an_error(data, message):
    with pytest.raises(InvalidGiasFile) as raised:
        read_gias(data)
    assert raised.value.errors == [message]


# Applying.


def test_imports_camden_from_the_2021_extract(camden_force, extract_2021):
    summary = apply_gias(read_gias(extract_2021), force=camden_force, actor=None)

    assert summary.counts() == {
        "created": 44,
        "updated": 0,
        "closed": 0,
        "unchanged": 0,
        "skipped": 55,
        "errors": 0,
        "warnings": 0,
    }
    schools = School.objects.filter(force=camden_force)
    assert schools.count() == 44
    assert set(schools.values_list("la_code", flat=True)) == {CAMDEN}
    assert schools.filter(status=School.Status.OPEN).count() == 37
    assert schools.filter(status=School.Status.PROPOSED_TO_CLOSE).count() == 1
    closed = schools.filter(status=School.Status.CLOSED)
    assert closed.count() == 6
    assert closed.get(urn=100004).closed_on == datetime.date(1992, 8, 31)
    school = schools.get(urn=100039)
    assert school.organisation.kind == Organisation.Kind.SCHOOL
    assert school.organisation.force == camden_force
    assert school.organisation.name == school.name == "St Dominic's Catholic Primary School"
    entry = AuditEntry.objects.get(action="schools.gias.imported")
    assert entry.force_id == camden_force.pk
    assert entry.changes["created"] == 44
    assert entry.changes["la_codes"] == [CAMDEN]


def test_a_second_run_changes_nothing(camden_force, extract_2021):
    rows = read_gias(extract_2021)
    apply_gias(rows, force=camden_force)
    before = record_counts()[:2], list(School.objects.values_list("pk", "updated"))

    summary = apply_gias(rows, force=camden_force)

    assert (summary.created, summary.updated, summary.closed, summary.unchanged) == (0, 0, 0, 44)
    assert (record_counts()[:2], list(School.objects.values_list("pk", "updated"))) == (
        before[0],
        before[1],
    )


def test_a_changed_field_updates_exactly_that_school(camden_force, extract_2021):
    apply_gias(read_gias(extract_2021), force=camden_force)
    before = dict(School.objects.values_list("urn", "updated"))
    data = _replace_in_row(extract_2021, 100005, b",131,", b",140,")

    summary = apply_gias(read_gias(data), force=camden_force)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 43)
    (change,) = summary.changes
    assert change.urn == 100005
    assert change.fields == (("Number of pupils", "131", "140"),)
    after = dict(School.objects.values_list("urn", "updated"))
    assert [urn for urn in after if after[urn] != before[urn]] == [100005]
    assert School.objects.get(urn=100005).number_of_pupils == 140


def test_a_closure_marks_the_school_closed_and_never_deletes(camden_force, extract_2021):
    apply_gias(read_gias(extract_2021), force=camden_force)
    data = _replace_in_row(extract_2021, 100005, b",Open,", b",Closed,")
    data = _replace_in_row(data, 100005, b",,1,Nursery,", b",31-08-2024,1,Nursery,")

    summary = apply_gias(read_gias(data), force=camden_force)

    assert (summary.closed, summary.updated, summary.unchanged) == (1, 0, 43)
    school = School.objects.get(urn=100005)
    assert school.status == School.Status.CLOSED
    assert school.closed_on == datetime.date(2024, 8, 31)
    assert School.objects.filter(force=camden_force).count() == 44


def test_a_closed_school_without_a_date_is_closed_today(camden_force, extract_2021):
    apply_gias(read_gias(extract_2021), force=camden_force)
    data = _replace_in_row(extract_2021, 100005, b",Open,", b",Closed,")

    summary = apply_gias(read_gias(data), force=camden_force)
    again = apply_gias(read_gias(data), force=camden_force)

    assert summary.closed == 1
    assert School.objects.get(urn=100005).closed_on is not None
    assert (again.closed, again.updated, again.unchanged) == (0, 0, 44)


def test_a_school_missing_from_the_file_is_left_alone(camden_force, extract_2021):
    apply_gias(read_gias(extract_2021), force=camden_force)
    data = b"\r\n".join(
        line for line in extract_2021.split(b"\r\n") if not line.startswith(b"100005,")
    )

    summary = apply_gias(read_gias(data), force=camden_force)

    assert summary.unchanged == 43
    assert School.objects.get(urn=100005).status == School.Status.OPEN


def test_imports_every_local_authority_of_the_extract(camden_force, extract_2021):
    summary = apply_gias(read_gias(extract_2021), force=camden_force, la_codes=ALL_2021_CODES)

    assert (summary.created, summary.skipped) == (99, 0)
    assert School.objects.filter(status=School.Status.CLOSED).count() == 9
    assert Organisation.objects.filter(force=camden_force, kind="school").count() == 99


def test_schools_of_the_same_name_get_distinct_organisations(camden_force, extract_2021):
    data = _replace_in_row(
        extract_2021, 100005, b"Thomas Coram Centre", b"St Dominic's Catholic Primary School"
    )
    OrganisationFactory(force=camden_force, kind="school", name="Thomas Coram Centre, London")
    data = _replace_in_row(data, 100000, b"The Aldgate School", b"Thomas Coram Centre")
    # A second school whose name and name-with-town are both taken falls back to its URN.
    data = _replace_in_row(data, 100001, b"City of London School for Girls", b"Thomas Coram Centre")

    apply_gias(read_gias(data), force=camden_force, la_codes=[CAMDEN, "201"])

    names = dict(School.objects.values_list("urn", "organisation__name"))
    # The first in the file keeps the plain name.
    assert names[100005] == "St Dominic's Catholic Primary School"
    assert names[100039] == "St Dominic's Catholic Primary School, London"
    assert names[100000] == "Thomas Coram Centre"
    assert names[100001] == "Thomas Coram Centre (URN 100001)"


def test_a_renamed_school_renames_its_organisation(camden_force, extract_2021):
    apply_gias(read_gias(extract_2021), force=camden_force)
    data = _replace_in_row(extract_2021, 100005, b"Thomas Coram Centre", b"Thomas Coram School")

    summary = apply_gias(read_gias(data), force=camden_force)

    assert summary.updated == 1
    school = School.objects.select_related("organisation").get(urn=100005)
    assert school.name == school.organisation.name == "Thomas Coram School"


def test_an_organisation_set_up_before_its_school_is_linked(camden_force, extract_2021):
    org = OrganisationFactory(force=camden_force, kind="school", name="Thomas Coram Centre")

    apply_gias(read_gias(extract_2021), force=camden_force)

    assert School.objects.get(urn=100005).organisation == org


def test_a_urn_of_another_force_is_an_error_and_nothing_is_saved(world, extract_2021):
    force = world.forces["a"]
    SchoolFactory(force=world.forces["b"], urn=100005, name="Wessex copy")
    before = record_counts()

    summary = apply_gias(read_gias(extract_2021), force=force, la_codes=[CAMDEN], actor=world.admin)

    assert summary.errors == [
        "Row 7, column URN: URN 100005 belongs to a school of another force, "
        "so it cannot be imported here"
    ]
    assert summary.created == 43  # what would have happened; none of it was saved
    assert record_counts() == before
    assert School.objects.get(urn=100005).force == world.forces["b"]


def test_rows_outside_the_local_authorities_never_touch_other_forces(world, extract_2021):
    SchoolFactory(force=world.forces["b"], urn=100005, name="Wessex copy")

    summary = apply_gias(read_gias(extract_2021), force=world.forces["a"], la_codes=["201"])

    assert (summary.created, summary.skipped, summary.errors) == (4, 95, [])


# The command.


def test_command_prints_its_summary(camden_force):
    out = io.StringIO()

    call_command("import_gias", str(EXTRACT_2021), stdout=out)

    assert out.getvalue().strip() == (
        "created 44, updated 0, closed 0, unchanged 0, skipped 55, errors 0, warnings 0"
    )


def test_command_imports_the_2018_row_with_an_la_code(world):
    out = io.StringIO()

    call_command("import_gias", str(RAW_2018), "--la", "370", "--force", "a-force", stdout=out)

    assert out.getvalue().strip() == (
        "created 1, updated 0, closed 0, unchanged 0, skipped 0, errors 0, warnings 0"
    )
    school = School.objects.get(urn=106653)
    assert school.force == world.forces["a"]
    assert school.telephone == "01226762114"
    assert school.headteacher_name == "Mr Paul Crook"
    assert (school.la_code, school.la_name) == ("370", "Barnsley")
    assert school.phase == School.Phase.SECONDARY


def test_command_dry_run_saves_nothing(camden_force):
    out = io.StringIO()
    before = record_counts()

    call_command("import_gias", str(EXTRACT_2021), "--dry-run", stdout=out)

    assert "created 44" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert record_counts() == before


def test_command_fails_on_errors_and_prints_each(camden_force, extract_2021, tmp_path):
    path = tmp_path / "broken.csv"
    data = _replace_in_row(extract_2021, 100012, b"100012,", b"ABC,")
    path.write_bytes(_replace_in_row(data, 100004, b",Sherborne Nursery School,", b",,"))
    out, err = io.StringIO(), io.StringIO()
    before = record_counts()

    with pytest.raises(CommandError, match="2 errors: nothing was saved"):
        call_command("import_gias", str(path), stdout=out, stderr=err)

    assert out.getvalue().strip() == (
        "created 0, updated 0, closed 0, unchanged 0, skipped 0, errors 2, warnings 0"
    )
    assert "Row 14, column URN: 'ABC' is not a number" in err.getvalue()
    assert "Row 6, column EstablishmentName: the value is missing" in err.getvalue()
    assert record_counts() == before


def test_command_needs_a_force_when_there_are_several(world):
    with pytest.raises(CommandError, match="choose one with --force"):
        call_command("import_gias", str(RAW_2018), "--la", "370")


# The pages.


def _upload(client, data: bytes, *, name="edubasealldata.csv", la_codes="202"):
    return client.post(
        reverse("schools:import_upload"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "la_codes": la_codes},
    )


@pytest.fixture
def admin_client(client, world):
    world.forces["a"].home_la_codes = [CAMDEN, "201"]
    world.forces["a"].save()
    client.force_login(world.admin)
    return client


def test_upload_page_prefills_the_forces_local_authorities(admin_client):
    response = admin_client.get(reverse("schools:import_upload"))

    assert response.status_code == 200
    assert response.context["form"]["la_codes"].value() == "202, 201"
    assert b'enctype="multipart/form-data"' in response.content


def test_upload_preview_confirm(
    file_storage, admin_client, world, extract_2021, django_capture_on_commit_callbacks
):
    before = record_counts()

    response = _upload(admin_client, extract_2021)

    gias_import = GiasImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:import_preview", args=[gias_import.pk])
    assert gias_import.status == GiasImport.Status.PREVIEWED
    assert gias_import.la_codes == [CAMDEN]
    assert gias_import.original_name == "edubasealldata.csv"
    assert gias_import.file.read() == extract_2021
    assert file_storage.open(gias_import.file.name).read() == extract_2021
    assert record_counts() == before

    response = admin_client.get(response["Location"])
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.created, summary.skipped) == (44, 55)
    assert len(response.context["changes"]) == 44
    assert b"Confirm and import" in response.content
    assert b"Rows of other local authorities (skipped)" in response.content
    assert record_counts() == before

    stored = gias_import.file.name
    preview_url = reverse("schools:import_preview", args=[gias_import.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(preview_url)
    # The import ran as a task after the commit; the page now shows its result.
    assert response.status_code == 302
    assert response["Location"] == preview_url
    gias_import.refresh_from_db()
    # Once applied, the uploaded extract (it names head teachers) is deleted; the summary stays.
    assert not gias_import.file
    assert not file_storage.exists(stored)
    assert gias_import.status == GiasImport.Status.APPLIED
    assert gias_import.applied_at is not None
    assert gias_import.summary["created"] == 44
    assert School.objects.filter(force=world.forces["a"], la_code=CAMDEN).count() == 44
    page = admin_client.get(preview_url).content.decode()
    assert "This file has been imported" in page
    assert "New schools" in page
    entry = AuditEntry.objects.get(action="schools.gias.imported")
    assert entry.actor == world.admin
    assert entry.target_id == str(gias_import.pk)
    confirmed = AuditEntry.objects.get(action="schools.gias.confirmed")
    assert (confirmed.actor, confirmed.target_id) == (world.admin, str(gias_import.pk))

    after = record_counts()
    response = admin_client.post(
        reverse("schools:import_preview", args=[gias_import.pk]), follow=True
    )
    assert record_counts() == after
    assert b"This file has already been imported. Nothing was changed." in response.content
    assert b"Confirm and import" not in response.content


def test_the_preview_lists_updates_old_and_new(admin_client, world, extract_2021):
    apply_gias(read_gias(extract_2021), force=world.forces["a"], la_codes=[CAMDEN])
    data = _replace_in_row(extract_2021, 100005, b",131,", b",140,")
    _upload(admin_client, data)

    response = admin_client.get(
        reverse("schools:import_preview", args=[GiasImport.objects.get().pk])
    )

    assert response.context["summary"].updated == 1
    assert "Number of pupils: 131 → 140" in response.content.decode()


def test_upload_with_problems_reshows_the_form_and_saves_nothing(admin_client, world, extract_2021):
    data = _replace_in_row(extract_2021, 100012, b"100012,", b"ABC,")
    data = _replace_in_row(data, 100004, b",Sherborne Nursery School,", b",,")
    before = record_counts()

    response = _upload(admin_client, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Row 14, column URN: &#x27;ABC&#x27; is not a number" in content
    assert "Row 6, column EstablishmentName: the value is missing" in content
    assert not GiasImport.objects.exists()
    assert record_counts() == before


@pytest.mark.parametrize(
    ("name", "la_codes", "message"),
    [
        ("schools.xlsx", "202", "The selected file must be a CSV"),
        ("schools.csv", "", "Enter at least one local authority code"),
        ("schools.csv", "202, Camden", "Enter local authority codes as 3-digit numbers"),
    ],
)
def test_upload_checks_the_file_and_codes(admin_client, extract_2021, name, la_codes, message):
    response = _upload(admin_client, extract_2021, name=name, la_codes=la_codes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GiasImport.objects.exists()


def test_upload_limits_the_size(admin_client, extract_2021, monkeypatch):
    monkeypatch.setattr(gias_forms, "MAX_UPLOAD_BYTES", 1000)

    response = _upload(admin_client, extract_2021)

    assert "The selected file must be smaller than 100MB" in response.content.decode()
    assert not GiasImport.objects.exists()


def test_preview_shows_a_conflict_with_another_force(
    admin_client, world, extract_2021, django_capture_on_commit_callbacks
):
    SchoolFactory(force=world.forces["b"], urn=100005)
    _upload(admin_client, extract_2021)
    url = reverse("schools:import_preview", args=[GiasImport.objects.get().pk])

    response = admin_client.get(url)

    assert "belongs to a school of another force" in response.content.decode()
    assert b"Confirm and import" not in response.content
    before = record_counts()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    assert record_counts()[:2] == before[:2] and record_counts()[3] == before[3]
    assert not AuditEntry.objects.filter(action="schools.gias.imported").exists()
    assert GiasImport.objects.get().status == GiasImport.Status.FAILED


def _stored_import(world, *, force_key="a", uploader="admin"):
    return gias_import_upload(
        force=world.forces[force_key],
        uploaded_by=world.users[uploader],
        data=RAW_2018.read_bytes(),
        original_name="penistone.csv",
        la_codes=["370"],
    )


def test_another_forces_admin_gets_404_on_the_preview(client, world):
    gias_import = _stored_import(world)
    client.force_login(world.other_force_admin)
    url = reverse("schools:import_preview", args=[gias_import.pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    gias_import.refresh_from_db()
    assert gias_import.status == GiasImport.Status.PREVIEWED


@pytest.mark.parametrize("who", ["manager", "sergeant", "headteacher", "coordinator"])
def test_only_administrators_may_import(client, world, who):
    gias_import = _stored_import(world)
    client.force_login(world.users[who])

    assert client.get(reverse("schools:import_upload")).status_code == 403
    assert client.post(reverse("schools:import_preview", args=[gias_import.pk])).status_code == 403
    assert not School.objects.filter(urn=106653).exists()


# Permission rows.

ADMINS = {"admin": OK, "other_force_admin": OK}


def gias_matrix(world):
    """Return {url name: rows} for the GIAS import pages."""
    upload = reverse("schools:import_upload")
    preview = reverse("schools:import_preview", args=[_stored_import(world).pk])
    return {
        "schools:import_upload": rows_for("GET", upload, ADMINS, DENIED)
        + rows_for("POST", upload, ADMINS, DENIED, data={"la_codes": "838"}),
        "schools:import_preview": rows_for(
            "GET", preview, {"admin": OK, "other_force_admin": HIDDEN}, DENIED
        )
        + rows_for("POST", preview, {"admin": REDIRECT, "other_force_admin": HIDDEN}, DENIED),
        "schools:import_status": rows_for(
            "GET",
            reverse("schools:import_status", args=[_stored_import(world).pk]),
            {"admin": OK, "other_force_admin": HIDDEN},
            DENIED,
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["schools:import_upload", "schools:import_preview", "schools:import_status"]
)
def test_permission_matrix(client, world, url_name):
    check(client, world, gias_matrix(world)[url_name])
