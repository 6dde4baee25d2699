"""On a 320 px phone: the education coordinator prepares a provider agreement with the Fire
Service, signs it and sends it; the partner signs it from its home page; the PDF is sealed; a
headteacher sees in the catalogue that the Fire Service has a current provider agreement.
Every page axe-clean and no wider than the screen."""

import pytest
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from agreements.models import ProviderAgreement
from bookings.tests.factories import SessionFactory
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def signing_dir(settings, tmp_path):
    settings.AGREEMENTS_SIGNING_DIR = tmp_path / "signing"
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True


def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def check_page(page):
    assert_accessible(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 320 px phone"


def test_coordinator_sends_partner_signs_and_the_catalogue_shows_it(
    browser, live_server, signing_dir
):
    world = build_world()
    SessionFactory(provider=world.orgs["partner_a"], title="Fire safety for year 5")

    # The coordinator prepares the agreement, reads it, signs it and sends it.
    page = phone_page(browser, live_server)
    sign_in(page, world.coordinator)
    page.goto("/agreements/providers/")
    check_page(page)
    page.get_by_role("link", name="Prepare a provider agreement").click()
    check_page(page)
    page.get_by_role("button", name="Prepare the agreement").click()
    expect(page.get_by_text("Choose the education partner").first).to_be_visible()
    check_page(page)
    page.get_by_label("Education partner").select_option(label="Fire Service")
    page.get_by_label("What the partner delivers").fill(
        "- Fire safety assemblies for years 3 to 6\n- Arson and hoax-call workshops for year 8"
    )
    page.get_by_role("button", name="Prepare the agreement").click()
    expect(page.get_by_role("heading", name="Preview of the agreement")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Sign and send to the partner").click()
    check_page(page)
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_text("Confirm that you sign for the partnership").first).to_be_visible()
    check_page(page)
    page.get_by_label("Your full name").fill("Coordinator A")
    page.get_by_label("I have read this agreement and sign it for the partnership").check()
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_text("Signed and sent. The partner has been emailed.")).to_be_visible()
    check_page(page)
    agreement = ProviderAgreement.objects.get(provider=world.orgs["partner_a"])
    assert agreement.state == "sent"
    assert OutboxEmail.objects.filter(
        to=world.partner.email, template="agreements/email/provider_please_sign"
    ).exists()

    # The partner finds it on its home page, reads it and signs.
    partner = phone_page(browser, live_server)
    sign_in(partner, world.partner)
    partner.goto("/")
    check_page(partner)
    partner.get_by_role("link", name="Sign the provider agreement with the partnership").click()
    expect(partner.get_by_text("Arson and hoax-call workshops for year 8")).to_be_visible()
    check_page(partner)
    partner.get_by_label("Your full name").fill("Partner A")
    partner.get_by_label("I have read this agreement and sign it for Fire Service").check()
    partner.get_by_role("button", name="Sign the agreement").click()
    expect(partner.get_by_text("Signed. The agreement is now current.")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.state == "active" and agreement.is_sealed
    partner.reload()
    expect(partner.get_by_role("link", name="Download the signed PDF")).to_be_visible()
    check_page(partner)

    # A headteacher sees the partner's current agreement in the catalogue.
    head = phone_page(browser, live_server)
    sign_in(head, world.headteacher)
    head.goto("/bookings/")
    expect(head.get_by_text("Current provider agreement")).to_be_visible()
    check_page(head)


def test_partner_asks_for_changes_and_the_coordinator_sends_it_again(
    browser, live_server, signing_dir
):
    """On a phone: the partner asks for changes instead of signing; the coordinator reads the
    reason on the agreement, changes what the partner delivers, signs it and sends it again."""
    from agreements import provider_services

    world = build_world()
    draft = provider_services.provider_agreement_prepare(
        provider=world.orgs["partner_a"], by=world.coordinator, delivers="- Fire safety talks"
    )
    provider_services.provider_agreement_send(
        agreement=draft, by=world.coordinator, typed_name="Coordinator A", confirmed=True
    )

    partner = phone_page(browser, live_server)
    sign_in(partner, world.partner)
    partner.goto(f"/agreements/providers/{draft.pk}/sign/")
    partner.get_by_role("link", name="Ask for changes instead of signing").click()
    check_page(partner)
    partner.get_by_role("button", name="Return it to the coordinator").click()
    expect(partner.get_by_text("Say what should change").first).to_be_visible()
    check_page(partner)
    partner.get_by_label("What should change?").fill("Please name our safeguarding lead.")
    partner.get_by_role("button", name="Return it to the coordinator").click()
    expect(partner.get_by_text("Returned to the coordinator with your reason.")).to_be_visible()
    check_page(partner)
    assert OutboxEmail.objects.filter(
        to=world.coordinator.email, template="agreements/email/provider_changes_requested"
    ).exists()

    page = phone_page(browser, live_server)
    sign_in(page, world.coordinator)
    page.goto(f"/agreements/providers/{draft.pk}/")
    expect(page.get_by_text("Please name our safeguarding lead.").first).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Change what the partner delivers").click()
    page.get_by_label("What the partner delivers").fill("- Fire safety talks, lead: J Smith")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("lead: J Smith").first).to_be_visible()
    page.get_by_role("link", name="Sign and send to the partner").click()
    page.get_by_label("Your full name").fill("Coordinator A")
    page.get_by_label("I have read this agreement and sign it for the partnership").check()
    page.get_by_role("button", name="Sign and send").click()
    expect(page.get_by_text("Signed and sent. The partner has been emailed.")).to_be_visible()
    draft.refresh_from_db()
    assert draft.state == "sent" and draft.versions.count() == 2
