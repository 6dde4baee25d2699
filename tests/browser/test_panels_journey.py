"""A sergeant sets up a multi-agency panel, adds a youth justice worker and a case; the worker
reads the case (read-only, logged with the meeting), is given an action and updates it."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AccessLogEntry
from conftest import build_world
from referrals.models import Action, PanelMeeting
from referrals.tests.conftest import make_case

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _new_page(browser, live_server):
    page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_panel_from_set_up_to_a_partner_reading_its_case(page, browser, live_server):
    world = build_world()
    case = make_case(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    # The sergeant sets up the meeting, with a typo in the time first.
    sign_in(page, world.sergeant)
    page.get_by_role("link", name="Panels", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a panel meeting").click()
    assert_accessible(page)
    page.get_by_label("Name of the panel").fill("North youth panel")
    fill_date(page, "Date", tomorrow)
    page.get_by_label("Start time").fill("1o:00")
    page.get_by_label("Where").fill("Dorchester police station")
    page.get_by_role("button", name="Set up the panel meeting").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("Name of the panel").input_value() == "North youth panel"
    assert_accessible(page)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Set up the panel meeting").click()
    assert page.get_by_text("Panel meeting set up").is_visible()
    assert_accessible(page)
    meeting = PanelMeeting.objects.get()

    page.get_by_role("link", name="Add a member").click()
    assert_accessible(page)
    page.get_by_label("Who sits on the panel").select_option(
        label=f"{world.agency.display_name}, partner agency worker"
    )
    page.get_by_role("button", name="Add to the panel").click()
    assert page.get_by_text(f"{world.agency.display_name} added").is_visible()

    page.get_by_role("link", name="Add a case to the agenda").click()
    assert_accessible(page)
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_role("button", name="Add to the agenda").click()
    assert page.get_by_text(f"Case {case.reference} added to the agenda").is_visible()
    assert case.young_person.first_name not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name=f"Add an action to case {case.reference}").click()
    assert_accessible(page)
    page.get_by_label("Short term").check()
    page.get_by_label("What needs doing").fill("Offer the prevention programme")
    page.get_by_label("Who owns it").select_option(
        label=f"{world.agency.display_name}, partner agency worker"
    )
    fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=40))
    page.get_by_role("button", name="Add the action").click()
    assert page.get_by_text(f"Action added to case {case.reference}").is_visible()
    action = Action.objects.get(owner_user=world.agency)

    # The youth justice worker (two factors) reads the case from the meeting's agenda.
    agency = _new_page(browser, live_server)
    sign_in(agency, world.agency)
    agency.get_by_role("link", name="Panels", exact=True).first.click()
    assert_accessible(agency)
    agency.get_by_role("link", name="North youth panel").click()
    assert_accessible(agency)
    agency.get_by_role("link", name=f"Case {case.reference}").click()
    assert agency.get_by_text(case.young_person.full_name).first.is_visible()
    assert agency.get_by_text("You cannot change it").is_visible()
    assert agency.get_by_role("link", name="Add to the case log").count() == 0
    assert_accessible(agency)
    logged = AccessLogEntry.objects.filter(actor=world.agency, target_id=str(case.pk))
    assert logged.filter(reason=meeting.access_reason).exists()

    # Their own action, without the case, updated with a note.
    agency.get_by_role("link", name="Casework actions", exact=True).first.click()
    assert_accessible(agency)
    assert case.young_person.last_name not in agency.content()
    agency.get_by_role("link", name="Offer the prevention programme").click()
    assert_accessible(agency)
    agency.get_by_label("What has happened").fill("First session booked for Monday.")
    agency.get_by_label("Not yet: this is a progress update").check()
    agency.get_by_role("button", name="Save the update").click()
    assert agency.get_by_text("Update saved").is_visible()
    assert case.log_entries.filter(kind="action_update", author=world.agency).exists()
    action.refresh_from_db()
    assert action.status == "open"
