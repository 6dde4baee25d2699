"""The sealed PDF: what it says, that its seal validates, and that the verify page tells a
genuine copy from one changed by a single byte."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import sha256_hex
from agreements.seal import seal_is_valid, signing_material

pytestmark = pytest.mark.django_db


def pdf_bytes(agreement):
    with agreement.sealed_pdf.open("rb") as handle:
        return handle.read()


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flip_one_byte(data):
    changed = bytearray(data)
    middle = len(changed) // 2
    changed[middle] = (changed[middle] + 1) % 256
    return bytes(changed)


def test_the_pdf_names_the_school_the_signers_and_the_hash(active, world):
    data = pdf_bytes(active)
    assert sha256_hex(data) == active.sealed_sha256
    text = " ".join(pdf_text(data).split())
    version = active.versions.get()
    assert "Alder Academy" in text
    assert world.headteacher.full_name in text
    assert world.neighbourhood.full_name in text
    assert "Certificate of signature" in text
    # The hash may wrap across lines in the table; compare without whitespace.
    assert version.content_sha256 in "".join(pdf_text(data).split())
    assert "Information sharing agreement" in text


def test_the_seal_validates_with_pyhanko_and_a_changed_byte_breaks_it(active):
    data = pdf_bytes(active)
    certificate = signing_material(active.force).certificate_pem
    assert active.seal_certificate == certificate
    assert seal_is_valid(data, [certificate])
    assert not seal_is_valid(flip_one_byte(data), [certificate])


def test_the_seal_is_not_trusted_with_another_forces_certificate(active, world):
    other = signing_material(world.forces["b"]).certificate_pem
    assert not seal_is_valid(pdf_bytes(active), [other])


def test_the_pyhanko_report_is_intact_valid_and_trusted(active):
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = list(load_certs_from_pemder_data(active.seal_certificate.encode()))
    reader = PdfFileReader(io.BytesIO(pdf_bytes(active)))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=roots)
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line


def upload(client, user, data, name="agreement.pdf"):
    client.force_login(user)
    return client.post(
        reverse("agreements:verify"),
        {"pdf": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_verify_page_accepts_the_pdf_and_says_which_agreement(client, active, world):
    response = upload(client, world.headteacher, pdf_bytes(active))
    content = response.content.decode()
    assert "This PDF is genuine" in content
    assert "Memorandum of Understanding with Alder Academy" in content
    assert active.get_absolute_url() in content


def test_verify_page_rejects_a_copy_with_one_byte_changed(client, active, world):
    response = upload(client, world.sergeant, flip_one_byte(pdf_bytes(active)))
    content = response.content.decode()
    assert "This PDF is genuine" not in content
    assert "is not a genuine agreement" in content


def test_another_force_cannot_verify_it_as_theirs(client, active, world):
    response = upload(client, world.other_force_admin, pdf_bytes(active))
    assert "is not a genuine agreement of Wessex Police" in response.content.decode()


def test_verify_needs_a_file(client, world):
    client.force_login(world.sso)
    response = client.post(reverse("agreements:verify"), {})
    assert "Choose the PDF to check" in response.content.decode()


def test_the_pdf_download_is_the_sealed_file(client, active, world):
    client.force_login(world.headteacher)
    response = client.get(reverse("agreements:pdf", args=[active.pk]))
    assert response.status_code == 200
    assert sha256_hex(b"".join(response.streaming_content)) == active.sealed_sha256
