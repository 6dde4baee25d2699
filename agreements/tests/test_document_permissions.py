"""Who may open each page of the documents both sides attach: allowed, denied (403) and
hidden (404) for other schools and forces. test_permissions.py checks every URL of the app
has rows here or there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import documents
from agreements.models import DocumentKind
from demo.agreement_documents import tiny_pdf
from tests.matrix import DENIED, HIDDEN, OK, REDIRECT, Row, check, rows_for

from .test_permissions import AGREEMENT_READERS, OTHERS, POLICE_READERS, _sent

pytestmark = pytest.mark.django_db

SCHOOL_STAFF = ("headteacher", "dsl", "school_link")


def _pdf(name="document.pdf"):
    return SimpleUploadedFile(name, tiny_pdf("A document"), "application/pdf")


def rows_document_upload(world, capture):
    sent = _sent(world)
    school_url = reverse("agreements:document_upload", args=[sent.pk, "fire_plan"])
    police_url = reverse("agreements:document_upload", args=[sent.pk, "police_risk_assessment"])
    return (
        rows_for(
            "GET",
            school_url,
            {**dict.fromkeys(SCHOOL_STAFF, OK), "partner": HIDDEN, **OTHERS},
            DENIED,
        )
        + rows_for(
            "GET",
            police_url,
            {**dict.fromkeys(POLICE_READERS, OK), "partner": HIDDEN, **OTHERS},
            DENIED,
        )
        + [
            Row("dsl", "POST", school_url, REDIRECT, {"file": _pdf()}),
            Row("manager", "POST", police_url, REDIRECT, {"file": _pdf()}),
            Row("sso", "POST", school_url, DENIED, {"file": _pdf()}),
            Row("other_school_headteacher", "POST", school_url, HIDDEN, {"file": _pdf()}),
            Row("other_force_sso", "POST", police_url, HIDDEN, {"file": _pdf()}),
            Row(
                "headteacher",
                "GET",
                reverse("agreements:document_upload", args=[sent.pk, "x"]),
                HIDDEN,
            ),
        ]
    )


def rows_document(world, capture):
    sent = _sent(world)
    document = documents.document_upload(
        force=sent.force,
        school=sent.school,
        kind=DocumentKind.FIRE_PLAN,
        upload=_pdf("fire-plan.pdf"),
        by=world.headteacher,
    )
    url = document.get_absolute_url()
    return rows_for("GET", url, {**AGREEMENT_READERS, "partner": HIDDEN, **OTHERS}, DENIED) + [
        Row("other_school_dsl", "GET", url, HIDDEN),
        Row("other_force_sso", "GET", url, HIDDEN),
    ]


def rows_force_documents(world, capture):
    return rows_for(
        "GET",
        reverse("agreements:force_documents"),
        {"manager": OK, "admin": OK, "other_force_admin": OK},
        DENIED,
    )


def rows_force_document_upload(world, capture):
    url = reverse("agreements:force_document_upload", args=["police_insurance"])
    return rows_for("GET", url, {"manager": OK, "admin": OK, "other_force_admin": OK}, DENIED) + [
        Row(
            "admin",
            "GET",
            reverse("agreements:force_document_upload", args=["fire_plan"]),
            DENIED,
        ),
        Row("sso", "POST", url, DENIED, {"file": _pdf()}),
    ]


DOCUMENT_MATRIX = {
    "document_upload": rows_document_upload,
    "document": rows_document,
    "force_documents": rows_force_documents,
    "force_document_upload": rows_force_document_upload,
}


@pytest.mark.parametrize("url_name", sorted(DOCUMENT_MATRIX))
def test_document_permission_rows(client, world, django_capture_on_commit_callbacks, url_name):
    check(client, world, DOCUMENT_MATRIX[url_name](world, django_capture_on_commit_callbacks))
