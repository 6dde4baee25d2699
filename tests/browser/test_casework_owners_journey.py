"""#22's last gaps in a browser: an officer gives an action to a person of a partner agency,
chosen from the force's people, who finds it under their own actions; a referral made from an
incident asks the referral's consent and lawful-basis questions."""

import datetime

import pytest
from django.utils import timezone

from conftest import build_world
from referrals.models import Action, ConsentRecord, Referral
from referrals.tests.conftest import make_case

from .conftest import assert_accessible, fill_date, sign_in
from .test_narrow_screens import too_wide

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_action_owned_by_a_partner_agency_worker_reaches_their_actions(
    page, browser, live_server
):
    world = build_world()
    case = make_case(world)

    sign_in(page, world.neighbourhood)
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Short term").check()
    page.get_by_label("What needs doing").fill("Weekly mentoring with the youth justice worker")
    page.get_by_label("A partner agency").check()
    # Nobody chosen and no name typed: an error, what was typed kept.
    fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=40))
    page.get_by_role("button", name="Add the action").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("What needs doing").input_value().startswith("Weekly mentoring")
    assert_accessible(page)
    page.get_by_label("A partner agency").check()
    page.get_by_label("Who at the partner agency").select_option(
        label=f"{world.agency.display_name}, partner agency worker"
    )
    page.get_by_role("button", name="Add the action").click()
    assert page.get_by_text("Action added to the plan").is_visible()
    assert_accessible(page)
    action = Action.objects.get()
    assert action.owner_user == world.agency
    # The form, its people's names and all, fits a 320 px phone.
    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("A partner agency").check()
    assert too_wide(page) is None

    agency = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    agency.set_default_timeout(15_000)
    sign_in(agency, world.agency)
    agency.get_by_role("link", name="Casework actions", exact=True).first.click()
    assert_accessible(agency)
    assert agency.get_by_role(
        "link", name="Weekly mentoring with the youth justice worker"
    ).is_visible()
    assert case.young_person.last_name not in agency.content()
    agency.context.close()


def test_a_referral_from_an_incident_asks_consent(page, live_server):
    from incidents.tests.factories import IncidentFactory, IncidentPersonFactory

    world = build_world()
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)

    sign_in(page, world.neighbourhood)
    page.goto(incident.get_absolute_url())
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Referred into casework").check()
    page.get_by_role("button", name="Record the outcome").click()
    assert page.get_by_text("Now make the referral").is_visible()
    assert page.get_by_text("Does the young person know about this referral").is_visible()
    assert_accessible(page)
    fill_date(page, "Date of birth", datetime.date(2011, 3, 27))
    page.get_by_label("At risk of high-harm offences").check()
    page.get_by_role("button", name="Send referral").click()
    # The consent questions are asked like any referral's.
    assert page.get_by_text("Say whether the young person knows and agrees").first.is_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Does the young person know about this referral").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("group", name="Do the parents or carers know").get_by_label(
        "Knows and agrees"
    ).check()
    page.get_by_role("button", name="Send referral").click()
    assert page.get_by_text("made from incident").first.is_visible()
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.incident == incident
    assert ConsentRecord.objects.get().referral == referral
