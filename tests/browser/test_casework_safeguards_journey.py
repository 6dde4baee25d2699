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


def test_safety_plan_printed_and_closure_approved(page, browser, live_server):
    from referrals.models import CaseworkSettings

    world = build_world()
    CaseworkSettings.objects.create(force=world.forces["a"], closure_needs_approval=True)
    case = make_case(world, person={"first_name": "Jesse", "last_name": "Hollow"})

    sign_in(page, world.neighbourhood)
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Safety plan (none yet)").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a safety plan").click()
    fill_date(page, "Review date", datetime.date.today() + datetime.timedelta(days=28))
    page.get_by_role("button", name="Save the review date").click()
    page.get_by_role("link", name="Add a risk or protective factor").click()
    page.get_by_label("Risk", exact=True).check()
    page.get_by_label("Describe it").fill("Meeting older males at the park")
    page.get_by_role("button", name="Add to the plan").click()
    page.get_by_role("link", name="Add who does what").click()
    assert_accessible(page)
    page.get_by_label("Against which risk or protective factor?").select_option(index=1)
    page.get_by_label("Who").fill("Mum")
    page.get_by_label("Does what").fill("Collects Jesse from school on Fridays")
    page.get_by_role("button", name="Add who does what").click()
    assert_accessible(page)
    page.get_by_role("link", name="Printable plan for the young person and family").click()
    assert "Jesse Hollow's safety plan" in page.locator("h1").inner_text()
    assert page.get_by_text("Collects Jesse from school on Fridays").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").first.is_visible()
    page.emulate_media(media="screen")

    # Closing needs the sergeant's approval in this force.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Close the case").click()
    assert "Ask to close the case" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_label("Engaged and risk reduced").check()
    page.get_by_label("Closing summary").fill("Engaged with mentoring; no incidents for a term.")
    page.get_by_role("button", name="Ask a sergeant to close the case").click()
    assert page.get_by_text("Closure requested. A sergeant will approve").is_visible()
    assert_accessible(page)

    sergeant = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    sergeant.set_default_timeout(15_000)
    sign_in(sergeant, world.sergeant)
    sergeant.goto("/referrals/cases/closures/")
    assert_accessible(sergeant)
    sergeant.get_by_role("link", name=f"Case {case.reference}").click()
    assert_accessible(sergeant)
    sergeant.get_by_label("Approve: close the case").check()
    sergeant.get_by_role("button", name="Save the decision").click()
    assert sergeant.get_by_text("Closure approved. The case is closed.").is_visible()
    case.refresh_from_db()
    assert not case.is_open and case.closure_outcome == "risk_reduced"
    sergeant.context.close()


def test_a_hand_over_to_another_force_and_the_new_school_told(page, browser, live_server):
    from accounts.models import Team

    world = build_world()
    team_b = world.teams["npt_b"]
    team_b.kind, team_b.name = Team.Kind.SAFER_SCHOOLS, "Wessex Safer Schools"
    team_b.save()
    case = make_case(world, person={"first_name": "Rowan", "last_name": "Pike"})

    sign_in(page, world.neighbourhood)
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Hand the case over").click()
    assert_accessible(page)
    page.get_by_label("Another force's team").check()
    page.get_by_label("Team", exact=True).select_option(label="Wessex Safer Schools, Wessex Police")
    page.get_by_label("Why is the case handed over?").fill("Moves to Year 7 at Cedar School")
    page.get_by_label("A summary you write").check()
    page.get_by_label("Summary to share").fill("Engaging with mentoring; at risk of exploitation.")
    page.get_by_role("group", name="Does the young person know about the hand-over").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("group", name="Do the parents or carers know").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("button", name="Ask them to take the case on").click()
    assert page.get_by_text("The case is yours until accepted").is_visible()
    assert_accessible(page)

    wessex = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    wessex.set_default_timeout(15_000)
    sign_in(wessex, world.other_force_sso)
    assert wessex.get_by_text("1 hand-over to accept or decline").is_visible()
    wessex.get_by_role("link", name="1 hand-over to accept or decline").click()
    assert_accessible(wessex)
    wessex.locator("tbody a").first.click()
    assert wessex.get_by_text("Rowan Pike").is_visible()
    assert wessex.get_by_text("Engaging with mentoring").is_visible()
    assert_accessible(wessex)
    wessex.get_by_role("link", name="Accept").click()
    assert_accessible(wessex)
    wessex.get_by_label("Medium").check()
    wessex.get_by_label("The young person's new school").select_option(label="Cedar School")
    wessex.get_by_label("What should the new school's DSL be told?").fill(
        "Please tell us of any absence on Mondays."
    )
    wessex.get_by_role("button", name="Accept the hand-over").click()
    assert wessex.get_by_text("Hand-over accepted").is_visible()
    assert_accessible(wessex)
    wessex.context.close()

    head = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    head.set_default_timeout(15_000)
    sign_in(head, world.other_force_headteacher)
    head.get_by_role("link", name="From the police").first.click()
    assert_accessible(head)
    head.locator("main ul a").first.click()
    assert head.get_by_text("Please tell us of any absence on Mondays.").is_visible()
    assert "Rowan" not in head.locator("main").inner_text()
    assert_accessible(head)
    head.context.close()

    case.refresh_from_db()
    assert case.closure_outcome == "handed_over"
