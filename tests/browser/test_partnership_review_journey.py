"""The agreement's joint review in the browser: the headteacher starts it from the agreement
page on a phone and answers; the officer answers and records the NMT meeting; the review is
decided. A member signs the group's terms of reference through the signing engine."""

import pytest
from django.utils import timezone

from conftest import build_world
from partnership.models import AgreementReview, NmtMeeting, TermsSignature
from partnership.tests.factories import active_agreement, management_group

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}


def _page(browser, live_server, **options):
    page = browser.new_context(base_url=live_server.url, bypass_csp=True, **options).new_page()
    page.set_default_timeout(15_000)
    return page


def assert_fits_a_phone(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_both_sides_review_the_agreement_together(browser, live_server):
    world = build_world()
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)

    # The headteacher starts the review from the agreement page, on a phone.
    head = _page(browser, live_server, viewport=PHONE)
    sign_in(head, world.headteacher)
    head.goto(agreement.get_absolute_url())
    head.get_by_role("link", name="Joint reviews and meetings with the neighbourhood").click()
    assert_accessible(head)
    assert_fits_a_phone(head)
    head.get_by_role("button", name="Start a joint review").click()
    assert head.get_by_role("heading", name="Joint review of the agreement").is_visible()
    head.get_by_role("button", name="Send your side's answers").click()
    assert head.get_by_role("link", name="Say whether the agreement is still current").is_visible()
    assert_accessible(head)
    assert_fits_a_phone(head)
    head.get_by_role("group", name="Is the agreement still current?").get_by_label(
        "Yes", exact=True
    ).check()
    head.get_by_role("group", name="Is it effective?").get_by_label("No", exact=True).check()
    head.get_by_label("What should improve?").fill("Agree the patrol times each term.")
    head.get_by_role("button", name="Send your side's answers").click()
    assert head.get_by_text("Your side's answers are saved.").is_visible()
    assert_accessible(head)
    assert_fits_a_phone(head)

    # The officer answers, decides with the school to renew it unchanged, and records the
    # termly meeting with the neighbourhood management team.
    officer = _page(browser, live_server)
    sign_in(officer, world.neighbourhood)
    review = AgreementReview.objects.get(agreement=agreement)
    officer.goto(review.get_absolute_url())
    officer.get_by_role("group", name="Is the agreement still current?").get_by_label(
        "Yes", exact=True
    ).check()
    officer.get_by_role("group", name="Is it effective?").get_by_label("Yes", exact=True).check()
    officer.get_by_label("What should improve?").fill("Nothing more.")
    officer.get_by_role("button", name="Send your side's answers").click()
    assert_accessible(officer)
    officer.get_by_label("Renew it unchanged").check()
    officer.get_by_role("button", name="Decide the review").click()
    assert officer.get_by_text("The review is decided: renew it unchanged.").is_visible()
    assert_accessible(officer)
    officer.get_by_role("link", name="Joint reviews and meetings").first.click()
    officer.get_by_role("link", name="Record a meeting").click()
    fill_date(officer, "Date held", timezone.localdate())
    officer.get_by_label("Who attended").fill("PC Neighbourhood; Inspector, North NPT")
    officer.get_by_label("Notes").fill("Patrols at home time agreed.")
    officer.get_by_role("button", name="Record the meeting").click()
    assert officer.get_by_text("The meeting is recorded against the agreement.").is_visible()
    assert_accessible(officer)
    review.refresh_from_db()
    assert review.outcome == "renew_unchanged"
    assert NmtMeeting.objects.filter(agreement=agreement).exists()


def test_a_member_signs_the_terms_of_reference_on_a_phone(browser, live_server):
    world = build_world()
    group = management_group(
        world.schools["a1"],
        by=world.manager,
        members={world.headteacher: "Senior leadership representative"},
    )
    head = _page(browser, live_server, viewport=PHONE)
    sign_in(head, world.headteacher)
    head.goto(group.get_absolute_url())
    assert_accessible(head)
    assert_fits_a_phone(head)
    head.get_by_label("Type your full name to sign").fill(world.headteacher.full_name)
    head.get_by_role("button", name="Sign the terms of reference").click()
    assert head.get_by_role("link", name="Confirm that you have read").is_visible()
    assert_accessible(head)
    head.get_by_label("I have read these terms of reference").check()
    head.get_by_role("button", name="Sign the terms of reference").click()
    assert head.get_by_text("You have signed the terms of reference.").is_visible()
    assert_accessible(head)
    assert_fits_a_phone(head)
    signature = TermsSignature.objects.get(user=world.headteacher)
    assert "Chrom" in signature.user_agent or "Headless" in signature.user_agent
