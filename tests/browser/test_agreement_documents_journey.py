"""The documents both sides attach, in a real browser on a 320 px phone: the headteacher
uploads the school's risk assessment on the agreement, a file that is really a program is
refused, and the risk assessment is listed; the force's manager uploads its insurance
certificate; every page fits the phone and is axe-clean."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services
from agreements.models import AgreementDocument, AgreementSettings, DocumentKind
from conftest import build_world
from demo.agreement_documents import tiny_pdf

from .conftest import assert_accessible, fill_date, sign_in
from .test_agreements_narrow import assert_fits_a_phone, phone_page, signing_dir  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _check(page):
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_the_headteacher_uploads_the_risk_assessment_and_sees_it_listed(
    browser,
    live_server,
    signing_dir,  # noqa: F811
):
    world = build_world()
    AgreementSettings.objects.filter(force=world.forces["a"]).update(signing_order="school_first")
    agreement = services.agreement_send(
        agreement=services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood),
        by=world.neighbourhood,
    )
    page = phone_page(browser, live_server)
    try:
        sign_in(page, world.headteacher)
        page.goto(agreement.get_absolute_url())
        expect(page.get_by_text("8 documents missing, expired or expiring")).to_be_visible()
        _check(page)
        page.get_by_role("link", name="Upload the school risk assessment").click()
        expect(
            page.get_by_role("heading", name="Upload the school risk assessment")
        ).to_be_visible()
        _check(page)

        # A program renamed .pdf is refused, in plain English.
        page.get_by_label("Choose the file").set_input_files(
            {
                "name": "risk-assessment.pdf",
                "mimeType": "application/pdf",
                "buffer": b"MZ\x90\x00" + b"\x00" * 400,
            }
        )
        page.get_by_role("button", name="Upload the document").click()
        expect(
            page.get_by_role("link", name="This file is a program, not a document")
        ).to_be_visible()
        _check(page)

        # The real one is uploaded and listed, a link the parties download.
        page.get_by_label("Choose the file").set_input_files(
            {
                "name": "alder-risk-assessment-2026.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("School risk assessment", ["Alder Academy"]),
            }
        )
        page.get_by_role("button", name="Upload the document").click()
        expect(page.get_by_text("School risk assessment uploaded.")).to_be_visible()
        expect(page.get_by_role("link", name="alder-risk-assessment-2026.pdf")).to_be_visible()
        expect(page.get_by_text("7 documents missing, expired or expiring")).to_be_visible()
        _check(page)
        document = AgreementDocument.objects.get(kind=DocumentKind.SCHOOL_RISK_ASSESSMENT)
        # The agreement to sign lists it by its fingerprint.
        expect(page.get_by_text(document.sha256).first).to_be_attached()
        page.context.close()

        # The force's manager uploads its insurance certificate, with its expiry date.
        page = phone_page(browser, live_server)
        sign_in(page, world.manager)
        page.goto(reverse("agreements:force_documents"))
        _check(page)
        page.get_by_role("link", name="Upload the police liability insurance certificate").click()
        _check(page)
        page.get_by_label("Choose the file").set_input_files(
            {
                "name": "insurance.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("Police liability insurance certificate"),
            }
        )
        fill_date(
            page,
            "Date the certificate expires",
            timezone.localdate() + datetime.timedelta(days=20),
        )
        page.get_by_role("button", name="Upload the document").click()
        expect(page.get_by_text("Police liability insurance certificate uploaded.")).to_be_visible()
        expect(page.get_by_role("link", name="insurance.pdf")).to_be_visible()
        _check(page)
        page.goto(agreement.get_absolute_url())
        expect(page.get_by_text("Expires within 30 days")).to_be_visible()
        _check(page)
        page.context.close()

        # The officer sees what to chase on the waiting list.
        page = phone_page(browser, live_server)
        sign_in(page, world.neighbourhood)
        page.goto(reverse("agreements:waiting"))
        expect(page.get_by_role("heading", name="Documents to chase")).to_be_visible()
        _check(page)
    finally:
        page.context.close()
