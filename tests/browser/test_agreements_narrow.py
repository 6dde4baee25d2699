"""Agreement pages on a 320 px phone: the sealed agreement (its timeline of signers' addresses
and browsers, its SHA-256 fingerprints) and the "check a signed agreement" results never make
the page wider than the screen, and stay accessible."""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import UserFactory
from agreements import services
from agreements.models import Agreement, AgreementSettings, AgreementTemplate
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}
# The worst a browser string can be: long, and with nowhere to break.
LONG_AGENT = "Mozilla/5.0(Linux;Android14;SM-S918B)AppleWebKit/537.36(KHTML,likeGecko)" * 4
LONG_ADDRESS = "2001:db8:85a3::8a2e:370:7334"


@pytest.fixture
def signing_dir(settings, tmp_path):
    settings.AGREEMENTS_SIGNING_DIR = tmp_path / "signing"
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True


def from_a_phone():
    return RequestFactory().post("/", HTTP_USER_AGENT=LONG_AGENT[:400], REMOTE_ADDR=LONG_ADDRESS)


def sealed_agreement(world):
    """Alder Academy's MoU, changed once after sending (so there is an earlier version),
    signed by the headteacher and the officer from a phone, and sealed."""
    school = world.schools["a1"]
    officer = world.neighbourhood
    agreement = services.agreement_prepare(school=school, by=officer, request=from_a_phone())
    services.agreement_send(agreement=agreement, by=officer, request=from_a_phone())
    services.agreement_update(
        agreement=agreement,
        by=officer,
        local_arrangements="Visits on Tuesdays.",
        request=from_a_phone(),
    )
    people = {"school": world.headteacher, "police": officer}
    for signer in (people[party] for party in agreement.signing_sequence()):
        services.agreement_sign(
            agreement=agreement,
            by=signer,
            typed_name=signer.full_name,
            confirmed=True,
            rank="PC",
            collar_number="4521",
            request=from_a_phone(),
        )
    agreement.refresh_from_db()
    assert agreement.is_sealed, "the seal runs in-process after the commit"
    return agreement


def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def assert_fits_a_phone(page):
    """Fail when the page scrolls sideways at the phone's width."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_the_sealed_agreement_and_the_check_page_fit_a_320_px_phone(
    browser, live_server, signing_dir
):
    world = build_world()
    # Sealing signs the PDF with asyncio.run, which cannot run in this thread beside
    # Playwright's event loop; the live server's thread does the same in the journey.
    with ThreadPoolExecutor(max_workers=1) as pool:
        agreement = pool.submit(sealed_agreement, world).result()
    page = phone_page(browser, live_server)
    try:
        sign_in(page, world.sergeant)

        page.goto(agreement.get_absolute_url())
        expect(page.get_by_role("link", name="Download the signed PDF")).to_be_visible()
        expect(page.get_by_text(agreement.sealed_sha256).first).to_be_attached()
        assert_fits_a_phone(page)
        assert_accessible(page)
        # The whole browser string is there, a tap away.
        browser_entry = page.locator("details.agreement-browser").first
        browser_entry.locator("summary").click()
        expect(browser_entry).to_contain_text(LONG_AGENT[:400])
        expect(page.get_by_text(f"IP address {LONG_ADDRESS}").first).to_be_visible()
        assert_fits_a_phone(page)

        page.goto("/agreements/")
        assert_fits_a_phone(page)
        assert_accessible(page)
        # Sending the signed copy on, and naming an acting headteacher.
        visit(page, reverse("agreements:share", args=[agreement.pk]))
        page.get_by_label("Email addresses").fill("clerk@example.org, not-an-address")
        page.get_by_role("button", name="Send the signed copy").click()
        expect(page.get_by_text("is not an email address").first).to_be_visible()
        assert_fits_a_phone(page)
        assert_accessible(page)
        visit(page, reverse("agreements:acting_head", args=[agreement.school_id]))

        # Checking the genuine PDF shows its fingerprint...
        pdf = agreement.sealed_pdf.open("rb").read()
        page.goto("/agreements/verify/")
        assert_fits_a_phone(page)
        page.get_by_label("Upload the agreement PDF").set_input_files(
            {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": pdf}
        )
        page.get_by_role("button", name="Check the PDF").click()
        expect(page.get_by_role("heading", name="This PDF is genuine")).to_be_visible()
        expect(page.get_by_text(agreement.sealed_sha256)).to_be_visible()
        assert_fits_a_phone(page)
        assert_accessible(page)

        # ...and so does a changed copy with a long file name.
        changed = bytearray(pdf)
        changed[len(changed) // 2] ^= 0x01
        page.get_by_label("Upload the agreement PDF").set_input_files(
            {
                "name": "signed-agreement-alder-academy-" + "x" * 60 + ".pdf",
                "mimeType": "application/pdf",
                "buffer": bytes(changed),
            }
        )
        page.get_by_role("button", name="Check the PDF").click()
        expect(
            page.get_by_role("heading", name="This PDF is not a genuine agreement of Dorset Police")
        ).to_be_visible()
        assert_fits_a_phone(page)
        assert_accessible(page)
    finally:
        page.context.close()
    assert Agreement.objects.get(pk=agreement.pk).state == Agreement.State.ACTIVE


def visit(page, url):
    page.goto(url)
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_every_other_agreement_page_fits_a_320_px_phone(browser, live_server, signing_dir):
    world = build_world()
    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        signing_order="police_first", sergeant_countersigns=True
    )
    # A second sergeant to countersign what the first signs as the officer.
    UserFactory(organisation=world.orgs["police_a"], role=Role.SERGEANT, team=world.teams["npt_a"])
    school = world.schools["a2"]
    page = phone_page(browser, live_server)
    try:
        # A sergeant prepares, changes, sends and signs an agreement with Birch Primary.
        sign_in(page, world.sergeant)
        visit(page, reverse("agreements:prepare", args=[school.pk]))
        page.get_by_role("button", name="Prepare the agreement").click()
        expect(page.get_by_role("heading", name="Preview of the agreement")).to_be_visible()
        assert_fits_a_phone(page)
        assert_accessible(page)
        agreement = Agreement.objects.get(school=school)
        visit(page, reverse("agreements:change", args=[agreement.pk]))
        page.goto(agreement.get_absolute_url())
        page.get_by_role("button", name="Send for signature").click()
        expect(page.get_by_text("Sent for signature.")).to_be_visible()
        assert_fits_a_phone(page)
        assert_accessible(page)
        visit(page, reverse("agreements:sign", args=[agreement.pk]))
        visit(page, reverse("agreements:end", args=[agreement.pk]))
        visit(page, reverse("agreements:request_changes", args=[agreement.pk]))
        visit(page, reverse("agreements:waiting"))
        # The link to sign has run out: the expired page, and the new link on the agreement.
        Agreement.objects.filter(pk=agreement.pk).update(
            sign_link_expires_at=timezone.now() - datetime.timedelta(days=1)
        )
        visit(page, reverse("agreements:sign", args=[agreement.pk]))
        expect(page.get_by_role("heading", name="The link to sign has expired")).to_be_visible()
        visit(page, agreement.get_absolute_url())
        expect(page.get_by_role("button", name="Send a new link")).to_be_visible()
        page.context.close()

        # The force's administrator reads and edits the wording and the settings.
        page = phone_page(browser, live_server)
        sign_in(page, world.admin)
        template = AgreementTemplate.objects.get(
            force=school.force, kind="safer_schools_officer", is_published=True
        )
        for url in (
            reverse("agreements:template_list"),
            reverse("agreements:template_detail", args=[template.pk]),
            reverse("agreements:template_edit", args=[template.pk]),
            reverse("agreements:settings"),
        ):
            visit(page, url)
    finally:
        page.context.close()
