"""Documents both sides attach: uploaded on the agreement by the right side, checked by their
content and size, stored privately, served only to the parties (logged), listed with their
SHA-256 in the content people sign and seal, and chased once per document and stage."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry, OutboxEmail
from accounts.tests.factories import UserFactory
from agreements import documents
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    DocumentKind,
    DocumentReminder,
    sha256_hex,
)
from demo.agreement_documents import tiny_pdf

from .conftest import sign

pytestmark = pytest.mark.django_db

RISK = DocumentKind.SCHOOL_RISK_ASSESSMENT
PDF_BYTES = tiny_pdf("School risk assessment", ["Alder Academy"])
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program"


def upload_url(agreement, kind=RISK):
    return reverse("agreements:document_upload", args=[agreement.pk, kind])


def pdf_file(name="risk-assessment.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, "application/pdf")


def office_file(name, entries: dict, *, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(*first)
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return buffer.getvalue()


DOCX = office_file(
    "policy.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
)
ODT = office_file(
    "policy.odt",
    {"content.xml": "<office:document-content/>"},
    first=("mimetype", "application/vnd.oasis.opendocument.text"),
)


def upload(agreement, user, kind=RISK, data=PDF_BYTES, name="risk-assessment.pdf", **extra):
    school = agreement.school if documents.side_of(kind) == "school" else None
    return documents.document_upload(
        force=agreement.force,
        school=school,
        kind=kind,
        upload=SimpleUploadedFile(name, data),
        by=user,
        **extra,
    )


# Uploading ---------------------------------------------------------------------------------


def test_the_headteacher_uploads_the_risk_assessment_stored_privately_with_its_hash(
    client, world, sent, file_storage
):
    client.force_login(world.headteacher)
    response = client.post(upload_url(sent), {"file": pdf_file()})
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert (document.school, document.kind, document.uploaded_by) == (
        sent.school,
        RISK,
        world.headteacher,
    )
    assert document.sha256 == sha256_hex(PDF_BYTES)
    assert document.content_type == "application/pdf"
    with file_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == PDF_BYTES
    # Nothing serves the storage's files by URL: only the permission-checked view.
    assert client.get(f"/media/{document.file.name}").status_code == 404

    page = client.get(sent.get_absolute_url()).content.decode()
    assert "risk-assessment.pdf" in page
    assert document.get_absolute_url() in page


@pytest.mark.parametrize("who", ["dsl", "school_link"])
def test_every_school_role_uploads_the_schools_documents(client, world, sent, who):
    client.force_login(world.users[who])
    assert client.post(upload_url(sent), {"file": pdf_file()}).status_code == 302


@pytest.mark.parametrize("who", ["neighbourhood", "manager", "other_school_headteacher"])
def test_nobody_else_uploads_the_schools_documents(client, world, sent, who):
    client.force_login(world.users[who])
    assert client.post(upload_url(sent), {"file": pdf_file()}).status_code in (403, 404)
    assert not AgreementDocument.objects.exists()


def test_the_police_upload_the_forces_documents_once_for_every_school(client, world, sent):
    client.force_login(world.neighbourhood)
    kind = DocumentKind.POLICE_INSURANCE
    expires = timezone.localdate() + datetime.timedelta(days=200)
    response = client.post(
        upload_url(sent, kind),
        {
            "file": pdf_file("insurance.pdf"),
            "expires_on_0": expires.day,
            "expires_on_1": expires.month,
            "expires_on_2": expires.year,
        },
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert document.school is None and document.force == world.forces["a"]
    assert document.expires_on == expires
    # The other school's agreement lists the same document.
    other = documents.slots_for(world.schools["a2"])
    assert next(s for s in other if s.kind == kind).document == document
    # The school's staff do not upload the police's documents.
    client.force_login(world.headteacher)
    assert client.post(upload_url(sent, kind), {"file": pdf_file()}).status_code == 403


def test_an_insurance_certificate_needs_its_expiry_date(client, world, sent):
    client.force_login(world.headteacher)
    response = client.post(
        upload_url(sent, DocumentKind.SCHOOL_INSURANCE), {"file": pdf_file("insurance.pdf")}
    )
    assert response.status_code == 200
    assert "Enter the date the certificate expires" in response.content.decode()
    assert not AgreementDocument.objects.exists()


def test_a_new_upload_replaces_the_old_which_is_kept(world, sent):
    first = upload(sent, world.headteacher)
    second = upload(sent, world.dsl, data=tiny_pdf("Risk assessment, revised"))
    first.refresh_from_db()
    assert first.replaced_at is not None and second.replaced_at is None
    assert list(AgreementDocument.objects.for_school(sent.school)) == [second]
    assert first.file.storage.exists(first.file.name)


# Bad inputs: checked by content, limited in size ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("risk-assessment.pdf", EXECUTABLE, "This file is a program, not a document"),
        ("risk-assessment.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "is a program"),
        ("risk-assessment.pdf", b"Just some text, not a PDF at all", "This file is not a PDF"),
        ("risk-assessment.docx", PDF_BYTES, "This file is not a .docx document"),
        ("risk-assessment.docx", office_file("x", {"a.txt": "x"}), "not a .docx document"),
        ("risk-assessment.odt", DOCX, "This file is not a .odt document"),
        ("risk-assessment.exe", EXECUTABLE, "The file must be a PDF, or a Word"),
        ("risk-assessment", PDF_BYTES, "The file must be a PDF, or a Word"),
        (
            "risk-assessment.docx",
            office_file(
                "x",
                {
                    "[Content_Types].xml": "<Types/>",
                    "word/document.xml": "<w:document/>",
                    "word/vbaProject.bin": "macro",
                },
            ),
            "This document contains macros",
        ),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_in_plain_english(
    client, world, sent, name, data, message
):
    client.force_login(world.headteacher)
    response = client.post(upload_url(sent), {"file": SimpleUploadedFile(name, data, "x/y")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgreementDocument.objects.exists()


@pytest.mark.parametrize(("name", "data"), [("policy.docx", DOCX), ("policy.odt", ODT)])
def test_office_documents_are_accepted_by_their_content(world, sent, name, data):
    document = upload(
        sent, world.headteacher, kind=DocumentKind.BEHAVIOUR_POLICY, data=data, name=name
    )
    assert document.content_type.startswith("application/vnd.")
    assert document.original_name == name


def test_a_50_mb_upload_gets_a_plain_english_error_not_a_500(client, world, sent):
    client.force_login(world.headteacher)
    big = PDF_BYTES[:-7] + b"\x00" * (50 * 1024 * 1024) + b"%%EOF\n"
    response = client.post(upload_url(sent), {"file": pdf_file(data=big)})
    assert response.status_code == 200
    assert "The file must be smaller than 10 MB" in response.content.decode()
    assert not AgreementDocument.objects.exists()


def test_a_huge_form_field_instead_of_a_file_is_a_400_not_a_500(client, world, sent):
    client.force_login(world.headteacher)
    response = client.post(upload_url(sent), {"file": "x" * (3 * 1024 * 1024)})
    assert response.status_code in (200, 400)
    assert not AgreementDocument.objects.exists()


def test_the_size_limit_is_a_setting(world, sent, settings):
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        upload(sent, world.headteacher, data=PDF_BYTES + b"\x00" * (1024 * 1024))


def test_an_empty_file_is_refused(client, world, sent):
    client.force_login(world.headteacher)
    response = client.post(upload_url(sent), {"file": pdf_file(data=b"")})
    assert "The file is empty" in response.content.decode()


def test_an_unknown_kind_is_a_404(client, world, sent):
    client.force_login(world.headteacher)
    assert client.get(upload_url(sent, "passport")).status_code == 404


# Served only to the parties, logged ------------------------------------------------------------


def test_the_parties_download_it_and_each_download_is_logged(client, world, sent, file_storage):
    document = upload(sent, world.headteacher)
    url = document.get_absolute_url()
    for who in ("dsl", "neighbourhood", "manager"):
        client.force_login(world.users[who])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    logged = AccessLogEntry.objects.filter(target_id=str(document.pk), action="exported")
    assert sorted(logged.values_list("actor__email", flat=True)) == [
        "dsl@example.org",
        "manager@example.org",
        "neighbourhood@example.org",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_school_headteacher", 404),
        ("other_school_dsl", 404),
        ("other_force_headteacher", 404),
        ("other_force_admin", 404),
        ("partner", 404),
        ("coordinator", 403),
    ],
)
def test_another_school_or_force_cannot_download_it(client, world, sent, who, status):
    document = upload(sent, world.headteacher)
    client.force_login(world.users[who])
    assert client.get(document.get_absolute_url()).status_code == status
    assert not AccessLogEntry.objects.filter(target_id=str(document.pk)).exists()


def test_the_forces_documents_are_read_by_schools_that_are_a_party(client, world, sent):
    document = upload(sent, world.manager, kind=DocumentKind.POLICE_RISK_ASSESSMENT)
    client.force_login(world.headteacher)  # Alder Academy: its agreement was sent
    assert client.get(document.get_absolute_url()).status_code == 200
    client.force_login(world.other_school_headteacher)  # Birch Primary: no agreement
    assert client.get(document.get_absolute_url()).status_code == 404


# Listed with its SHA-256 in what is signed and sealed ------------------------------------------


def _latest(agreement):
    return agreement.versions.order_by("-number").first()


def test_documents_uploaded_before_sending_are_listed_in_the_signed_content(world, draft):
    police = upload(draft, world.manager, kind=DocumentKind.POLICE_RISK_ASSESSMENT)
    from agreements import services

    agreement = services.agreement_send(agreement=draft, by=world.neighbourhood)
    content = _latest(agreement).content_html
    assert "Documents attached" in content
    assert police.sha256 in content and police.original_name in content
    assert "Fire plan</strong> (supplied by The school):\n        not yet provided" in content


def test_an_upload_while_unsigned_makes_a_new_version_without_asking_again(world, sent):
    before = _latest(sent)
    mail.outbox.clear()
    document = upload(sent, world.headteacher)
    sent.refresh_from_db()
    version = _latest(sent)
    assert version.number == before.number + 1
    assert document.sha256 in version.content_html
    assert sha256_hex(version.content_html) == version.content_sha256
    assert sent.awaiting_party == Agreement.Party.SCHOOL
    assert (
        not OutboxEmail.objects.filter(template="agreements/email/please_sign")
        .exclude(created__lt=document.created)
        .exists()
    )
    event = sent.events.filter(kind=AgreementEvent.Kind.NEW_VERSION).get()
    assert "School risk assessment uploaded" in event.detail


def test_an_upload_after_a_signature_makes_everyone_sign_again(world, sent):
    sign(sent, world.headteacher)
    sent.refresh_from_db()
    assert sent.awaiting_party == Agreement.Party.POLICE
    document = upload(sent, world.dsl, kind=DocumentKind.FIRE_PLAN)
    sent.refresh_from_db()
    assert (sent.state, sent.awaiting_party) == (Agreement.State.SENT, Agreement.Party.SCHOOL)
    assert not _latest(sent).signatures.exists()
    assert document.sha256 in _latest(sent).content_html
    assert (
        OutboxEmail.objects.filter(
            to=world.headteacher.email, template="agreements/email/please_sign"
        ).count()
        == 2
    )


def test_the_sealed_pdf_lists_every_document_by_its_hash(
    world, sent, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    uploaded = [
        upload(sent, world.manager, kind=DocumentKind.POLICE_RISK_ASSESSMENT),
        upload(sent, world.headteacher),
        upload(
            sent, world.headteacher, kind=DocumentKind.BEHAVIOUR_POLICY, data=DOCX, name="b.docx"
        ),
    ]
    sign(sent, world.headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        sign(sent, world.neighbourhood)
    sent.refresh_from_db()
    assert sent.is_sealed
    signed = _latest(sent)
    assert all(doc.sha256 in signed.content_html for doc in uploaded)
    assert {s.content_sha256 for s in signed.signatures.all()} == {signed.content_sha256}
    with sent.sealed_pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    flat = "".join(text.split())
    assert all(doc.sha256 in flat for doc in uploaded)

    # A document uploaded after signing is kept, but the signed content stays as signed.
    later = upload(
        sent, world.headteacher, kind=DocumentKind.FIRE_PLAN, data=tiny_pdf("Fire plan, later")
    )
    assert later.sha256 not in _latest(sent).content_html
    assert sent.versions.count() == signed.number


# Shown and chased ---------------------------------------------------------------------------------


def test_missing_and_expiring_documents_show_on_the_page_and_the_waiting_list(client, world, sent):
    upload(
        sent,
        world.headteacher,
        kind=DocumentKind.SCHOOL_INSURANCE,
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(world.neighbourhood)
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "8 documents missing, expired or expiring within 30 days" in page
    assert "Expires within 30 days" in page
    waiting = client.get(reverse("agreements:waiting")).content.decode()
    assert "Documents to chase" in waiting
    assert "school liability insurance certificate expiring" in waiting
    assert "fire plan missing" in waiting


def test_the_waiting_lists_documents_take_the_same_queries_however_many_agreements(
    client, world, count_queries
):
    from agreements import services

    client.force_login(world.sergeant)
    services.agreement_send(
        agreement=services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood),
        by=world.neighbourhood,
    )
    count_queries(client, reverse("agreements:waiting"))  # the session's first request
    one = count_queries(client, reverse("agreements:waiting"))
    from schools.tests.factories import SchoolFactory

    for _ in range(3):
        school = SchoolFactory(force=world.forces["a"])
        UserFactory(organisation=school.organisation, role="headteacher")
        services.agreement_send(
            agreement=services.agreement_prepare(
                school=school, by=world.neighbourhood, named_officer=world.neighbourhood
            ),
            by=world.neighbourhood,
        )
    assert count_queries(client, reverse("agreements:waiting")) == one


def _chase_emails():
    return OutboxEmail.objects.filter(template="agreements/documents/email/chase")


def test_chasing_emails_the_side_that_supplies_it_once_per_document_and_stage(world, sent):
    today = timezone.localdate()
    assert documents.send_document_reminders(today=today) == 8
    school_mail = _chase_emails().filter(to=world.headteacher.email)
    assert school_mail.count() == 6
    assert _chase_emails().filter(to=world.school_link.email).count() == 6
    assert _chase_emails().filter(to=world.manager.email).count() == 2
    assert _chase_emails().filter(to=world.admin.email).count() == 2
    assert not _chase_emails().filter(to__in=[world.dsl.email, world.neighbourhood.email])
    assert school_mail.filter(subject="The fire plan of Alder Academy is missing").exists()
    # Not again the next day, nor the day after.
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=1)) == 0
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=2)) == 0
    assert _chase_emails().count() == 16

    # Its insurance, uploaded, is chased again when it comes within 30 days of expiry, and
    # when it has expired: once each.
    insurance = upload(
        sent,
        world.headteacher,
        kind=DocumentKind.SCHOOL_INSURANCE,
        expires_on=today + datetime.timedelta(days=40),
    )
    assert documents.send_document_reminders(today=today) == 0
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=15)) == 1
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=16)) == 0
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=41)) == 1
    assert documents.send_document_reminders(today=today + datetime.timedelta(days=42)) == 0
    stages = DocumentReminder.objects.filter(document_ref=insurance.pk)
    assert sorted(stages.values_list("stage", flat=True)) == ["expired", "expiring"]
    expired = (
        _chase_emails().filter(subject__endswith="has expired").get(to=world.headteacher.email)
    )
    assert "Alder Academy" in expired.subject
    assert "/agreements/" in expired.body_text


def test_no_chasing_for_drafts_or_ended_agreements(world, draft):
    assert documents.send_document_reminders() == 0


def test_the_chasing_job_is_declared_for_beat(periodic_tasks):
    assert periodic_tasks.filter(task="agreements.tasks.chase_documents", enabled=True).exists()


def test_the_chasing_task_runs(world, sent):
    from agreements.tasks import chase_documents

    assert chase_documents() == 8
    assert chase_documents() == 0
