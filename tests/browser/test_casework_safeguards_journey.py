"""An officer shares a case without the family's consent, giving the force's lawful basis
with the ICO's questions on the page, and flags the case; the sergeant sees the case first
on the case list and in the list of cases shared without consent (#22 items 4 and 8)."""

import datetime

import pytest

from conftest import build_world
from referrals.models import CaseFlag, ConsentRecord
from referrals.tests.conftest import make_case

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_consent_basis_flag_and_the_sergeants_list(page, browser, live_server):
    world = build_world()
    low = make_case(world, risk_level="low", person={"first_name": "Ellis", "last_name": "Marsh"})
    make_case(world, risk_level="high", person={"first_name": "Avery", "last_name": "Stone"})

    sign_in(page, world.neighbourhood)
    page.goto(low.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Share the case with an officer").click()
    assert_accessible(page)
    page.get_by_label("Officer").select_option(label=world.sso.display_name)
    page.get_by_label("Why do they need to see it?").fill("Investigates the robbery he is named in")
    page.get_by_role(
        "group", name="Does the young person know about sharing the case"
    ).get_by_label("Knows but does not agree").check()
    page.get_by_role("group", name="Do the parents or carers know").get_by_label(
        "Has not been told"
    ).check()
    page.get_by_role("button", name="Share the case").click()
    # Without consent, the basis and the ICO's answers are needed; what was typed stays.
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("Why do they need to see it?").input_value().startswith("Investigates")
    assert_accessible(page)
    page.get_by_text("The Information Commissioner's questions before sharing").click()
    assert page.get_by_text("Is sharing necessary and proportionate?").is_visible()
    page.get_by_label("Lawful basis for sharing without their agreement").select_option(
        label="Preventing or detecting crime"
    )
    page.get_by_label("Sharing is necessary and proportionate").check()
    page.get_by_label("What is the minimum you share?").fill("The case summary only")
    page.get_by_label("How is it shared securely?").fill("In this system only")
    page.get_by_label("Why share without consent?").fill("Asking would alert the suspects")
    page.get_by_role("button", name="Share the case").click()
    assert page.get_by_text(f"Shared with {world.sso.display_name}").first.is_visible()
    assert page.get_by_text("Without consent").first.is_visible()
    assert_accessible(page)
    assert ConsentRecord.objects.get().lawful_basis.name == "Preventing or detecting crime"

    page.get_by_role("link", name="Flag the case").click()
    assert_accessible(page)
    page.get_by_label("Message").fill("Court date for the robbery")
    fill_date(page, "Date", datetime.date.today() + datetime.timedelta(days=10))
    page.get_by_role("button", name="Flag the case").click()
    assert "Court date for the robbery" in page.locator("#flags").inner_text()
    assert_accessible(page)
    assert CaseFlag.objects.get().case == low

    sergeant = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    sergeant.set_default_timeout(15_000)
    sign_in(sergeant, world.sergeant)
    sergeant.goto("/referrals/cases/")
    assert_accessible(sergeant)
    rows = sergeant.locator("tbody tr")
    assert "Ellis Marsh" in rows.first.inner_text() and "Flagged" in rows.first.inner_text()
    sergeant.goto("/referrals/cases/without-consent/")
    assert_accessible(sergeant)
    assert sergeant.get_by_role("cell", name="Preventing or detecting crime").is_visible()
    sergeant.get_by_role("link", name=f"Case {low.reference}").click()
    assert "Ellis Marsh" in sergeant.locator("h1").inner_text()
    sergeant.set_viewport_size({"width": 320, "height": 800})
    sergeant.goto("/referrals/cases/without-consent/")
    assert_accessible(sergeant)
    sergeant.context.close()
