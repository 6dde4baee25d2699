"""A DSL refers a pupil; a sergeant allocates with high risk; the officer logs a home visit and
a short-term action; the DSL sees "accepted, allocated to PC …" and never the log."""

import datetime

import pytest

from conftest import build_world
from referrals.models import Case, Referral

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _new_page(browser, live_server):
    page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_referral_from_school_to_case_and_back(page, browser, live_server):
    world = build_world()
    school = world.schools["a1"]
    officer = world.sso
    officer.rank, officer.collar_number = "PC", "4521"
    officer.save()

    # The DSL refers a pupil from the school's page.
    sign_in(page, world.dsl)
    page.goto(school.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Refer a young person").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Riley")
    page.get_by_label("Last name").fill("Okafor")
    fill_date(page, "Date of birth", datetime.date(2011, 3, 27))
    page.get_by_label("Year group (optional)").select_option(label="Year 9")
    page.get_by_label("At risk of exploitation").check()
    page.get_by_label("Describe the concern").fill(
        "Seen with older males after school; new phone; missing twice."
    )
    page.get_by_role("button", name="Send referral").click()
    # The MASH referral comes first: the form says so and keeps what was typed.
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("First name").input_value() == "Riley"
    assert_accessible(page)
    page.get_by_label("The school has made its referral").check()
    page.get_by_label("MASH referral reference").fill("MASH-2026-0042")
    # Who knows and agrees (#22): with their agreement, no lawful basis is asked.
    page.get_by_role("group", name="Does the young person know about this referral").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("group", name="Do the parents or carers know").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("button", name="Send referral").click()
    assert page.get_by_text("Referral", exact=False).first.is_visible()
    assert "Riley" not in page.url and "Okafor" not in page.url
    assert page.locator("#status").inner_text().strip() == "Status: Received"
    assert_accessible(page)
    referral = Referral.objects.get()

    # The sergeant accepts it from the inbox, high risk, allocated to the Safer Schools officer.
    sergeant = _new_page(browser, live_server)
    sign_in(sergeant, world.sergeant)
    assert sergeant.get_by_text("1 referral waiting for triage").is_visible()
    assert_accessible(sergeant)
    sergeant.get_by_role("link", name="Referrals", exact=True).first.click()
    assert_accessible(sergeant)
    sergeant.get_by_role("link", name="Riley Okafor").click()
    assert_accessible(sergeant)
    sergeant.get_by_label("High").check()
    sergeant.get_by_label("Team").select_option(label="Safer Schools")
    sergeant.get_by_label("Officer").select_option(label=officer.display_name)
    sergeant.get_by_role("button", name="Accept and allocate").click()
    assert sergeant.get_by_text("Referral accepted").is_visible()
    assert_accessible(sergeant)
    case = Case.objects.get()
    assert case.risk_level == "high" and case.officer == officer
    sergeant.context.close()

    # The officer logs a home visit and a short-term action.
    sso = _new_page(browser, live_server)
    sign_in(sso, officer)
    assert_accessible(sso)
    sso.get_by_role("link", name="Cases", exact=True).first.click()
    assert_accessible(sso)
    with sso.expect_response(lambda r: str(case.public_id) in r.url) as opened:
        sso.get_by_role("link", name="Riley Okafor").click()
    assert "no-store" in opened.value.headers["cache-control"]
    assert_accessible(sso)
    sso.get_by_role("link", name="Add to the case log").click()
    assert_accessible(sso)
    sso.get_by_label("Home visit").check()
    sso.get_by_label("Summary").fill("Home visit with mum. Riley quiet; agreed weekly check-ins.")
    sso.get_by_role("button", name="Add to the case log").click()
    assert sso.get_by_text("Added to the case log.").is_visible()
    assert sso.get_by_text("agreed weekly check-ins").is_visible()
    assert_accessible(sso)
    sso.get_by_role("link", name="Add an action").click()
    assert_accessible(sso)
    sso.get_by_label("Short term (under 6 months, reviewed monthly)").check()
    sso.get_by_label("What needs doing").fill("Refer to the youth mentoring programme")
    sso.get_by_role("radio", name="An officer").check()
    fill_date(sso, "Due date", datetime.date.today() + datetime.timedelta(days=30))
    sso.get_by_role("button", name="Add the action").click()
    assert sso.get_by_text("Action added to the plan.").is_visible()
    assert sso.get_by_role("cell", name="Refer to the youth mentoring programme").first.is_visible()
    assert_accessible(sso)
    sso.context.close()

    # The DSL sees the outcome and the officer's name, and nothing of the police's work.
    page.goto(school.get_absolute_url())
    panel = page.locator("#referrals ~ table").first
    assert "Accepted, allocated to PC Sso (4521)" in " ".join(panel.inner_text().split())
    assert_accessible(page)
    page.get_by_role("link", name="Riley Okafor").click()
    assert_accessible(page)
    status = " ".join(page.locator("#status").inner_text().split())
    assert status == "Status: Accepted, allocated to PC Sso (4521)"
    body = page.locator("main").inner_text()
    assert "weekly check-ins" not in body and "mentoring" not in body and "High" not in body
    response = page.goto(case.get_absolute_url())
    assert response.status == 404
    assert referral.pk
