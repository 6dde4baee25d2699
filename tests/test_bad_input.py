"""Bad input is refused with a plain-English message, never a 500: NUL characters in queries
and forms, and files that are not CSV text on the GIAS and indicator uploads."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEntry
from needs_assessment.models import Assessment, IndicatorValue
from schools.models import GiasImport, School

GIAS_EXTRACT = (
    Path(__file__).parent.parent
    / "schools/tests/data/gias_establishments_2021_sample_npq-registration.csv"
)
NUL_MESSAGE = "contains a character that is not allowed (a null character)"


def test_a_nul_in_the_audit_lists_query_is_refused_with_a_400(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("accounts:audit_list"), {"action": "\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    # The same page answers normally without it.
    assert client.get(reverse("accounts:audit_list"), {"action": "x"}).status_code == 200


def test_a_nul_in_a_query_key_or_a_posted_form_is_refused(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("accounts:audit_list") + "?a%00=1").status_code == 400
    before = AuditEntry.objects.count()
    response = client.post(reverse("accounts:my_account"), {"full_name": "Ann\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert AuditEntry.objects.count() == before


# GIAS extracts that are not CSV text.


@pytest.fixture
def gias_client(client, world):
    world.forces["a"].home_la_codes = ["202"]
    world.forces["a"].save()
    client.force_login(world.admin)
    return client


def _gias_upload(client, data: bytes):
    return client.post(
        reverse("schools:import_upload"),
        {
            "file": SimpleUploadedFile("edubasealldata.csv", data, content_type="text/csv"),
            "la_codes": "202",
        },
    )


def _utf16(data: bytes) -> bytes:
    return data.decode("cp1252").encode("utf-16")  # with its byte-order mark, as Excel saves


def _utf16_without_bom(data: bytes) -> bytes:
    return data.decode("cp1252").encode("utf-16-le")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_utf16, "The file is saved as UTF-16"),
        (_utf16_without_bom, "The file is saved as UTF-16"),
        (lambda data: b"PK\x03\x04" + bytes(range(256)) * 8, "spreadsheet workbook"),
        (lambda data: bytes(range(256)) * 16, "it holds binary data"),
        (lambda data: b"%PDF-1.7\n" + data, "The file is a PDF"),
    ],
)
def test_a_gias_file_that_is_not_csv_text_is_named_for_what_it_is(gias_client, make, message):
    response = _gias_upload(gias_client, make(GIAS_EXTRACT.read_bytes()))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "has no column called" not in body  # not mistaken for missing columns
    assert not GiasImport.objects.exists()


def test_a_nul_byte_in_a_gias_cell_is_refused_at_the_upload_not_at_confirm(gias_client, world):
    data = GIAS_EXTRACT.read_bytes()
    lines = data.split(b"\r\n")
    lines[3] = lines[3].replace(b",", b",\x00", 1)
    before = School.objects.count()
    response = _gias_upload(gias_client, b"\r\n".join(lines))
    assert response.status_code == 200
    assert "Row 4: the file contains a null character" in response.content.decode()
    assert not GiasImport.objects.exists()
    assert School.objects.count() == before


# The indicator upload.


def _indicator_upload(client, data: bytes):
    return client.post(
        reverse("needs_assessment:indicator_upload"),
        {"file": SimpleUploadedFile("values.csv", data, "text/csv")},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("URN,fsm_percent\n1,5\n".encode("utf-16"), "The file is saved as UTF-16"),
        ("URN,fsm_percent\n1,5\n".encode("utf-16-be"), "The file is saved as UTF-16"),
        (bytes(range(256)) * 4, "it holds binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "spreadsheet workbook"),
        (b"URN,fsm_percent\n1,5\x00\n", "Row 2: the file contains a null character"),
        (b'URN,fsm_percent\n"1' + b"x" * 140_000 + b'",5\n', "cannot be read as CSV"),
    ],
)
def test_an_indicator_file_that_is_not_csv_text_is_refused(client, world, data, message):
    client.force_login(world.sso)
    response = _indicator_upload(client, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body, body[body.find("govuk-error-summary") :][:1000]
    assert "Nothing was saved" in body
    assert not Assessment.objects.exists()
    assert not IndicatorValue.objects.exists()
