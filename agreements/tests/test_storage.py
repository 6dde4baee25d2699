"""The sealed PDF lives in the configured storage (local files or S3, see `file_storage`), is
downloaded only through the permission-checked view, and is checked from its bytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import sha256_hex

pytestmark = pytest.mark.django_db


def test_the_sealed_pdf_is_stored_downloaded_and_checked_through_the_storage(
    file_storage, active, client, world
):
    name = active.sealed_pdf.name
    assert file_storage.exists(name)
    with file_storage.open(name, "rb") as stored:
        data = stored.read()
    assert sha256_hex(data) == active.sealed_sha256

    client.force_login(world.headteacher)
    response = client.get(reverse("agreements:pdf", args=[active.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data

    response = client.post(
        reverse("agreements:verify"),
        {"pdf": SimpleUploadedFile("copy.pdf", data, "application/pdf")},
    )
    assert "This PDF is genuine" in response.content.decode()

    client.force_login(world.other_force_headteacher)
    assert client.get(reverse("agreements:pdf", args=[active.pk])).status_code in (403, 404)


def test_no_url_serves_stored_files_directly(file_storage, active, client, world):
    client.force_login(world.headteacher)
    assert client.get(f"/media/{active.sealed_pdf.name}").status_code == 404
