"""A DSL reports a weapon found, on a phone, one question a page, through check your answers;
the named officer acknowledges and records the outcome; the DSL sees the status and the
outcome, never the police-only note."""

import datetime

import pytest
from django.utils import timezone

from conftest import build_world
from incidents.models import Incident

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 720}


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _next(page, button="Save and continue"):
    page.get_by_role("button", name=button).click()


def test_a_weapon_found_reported_on_a_phone_handled_and_seen_by_the_school(browser, live_server):
    world = build_world()
    school = world.schools["a1"]
    officer = world.neighbourhood  # the school's named officer
    officer.rank, officer.collar_number = "PC", "1234"
    officer.save()

    dsl = _phone(browser, live_server)
    sign_in(dsl, world.dsl)
    dsl.get_by_role("link", name="Report an incident").first.click()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    _next(dsl)  # nothing chosen
    assert dsl.get_by_text("There is a problem").is_visible()
    assert_accessible(dsl)
    dsl.get_by_label("Weapon seized or found").check()
    _next(dsl)

    # An urgent kind: call 999 or the control room now; the report goes on and is saved.
    assert dsl.get_by_text("call 999 now", exact=False).is_visible()
    assert dsl.get_by_text("What the protocol asks for weapon seized or found").is_visible()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    fill_date(dsl, "Date of the incident", timezone.localdate() + datetime.timedelta(days=3))
    _next(dsl)
    assert dsl.get_by_text("must be today or in the past").first.is_visible()
    assert_accessible(dsl)
    fill_date(dsl, "Date of the incident", timezone.localdate() - datetime.timedelta(days=1))
    dsl.get_by_label("Time (optional)").fill("8:50am")
    _next(dsl)

    dsl.get_by_label("In school", exact=True).check()
    dsl.get_by_label("Where exactly (optional)").fill("Form room 10B")
    assert_accessible(dsl)
    _next(dsl)
    dsl.get_by_label("What happened?").fill(
        "The tutor found a kitchen knife in a bag at registration and took it to the head."
    )
    assert_accessible(dsl)
    _next(dsl)

    # People involved: a pupil by name and year, and a witness whose name is not known.
    assert_accessible(dsl)
    dsl.get_by_role("link", name="Add a person").click()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    dsl.get_by_label("Suspect").check()
    dsl.get_by_label("A pupil").check()
    dsl.get_by_role("button", name="Add this person").click()
    assert dsl.get_by_text("Enter the pupil's first name, or tick").first.is_visible()
    assert dsl.get_by_label("Suspect").is_checked()
    assert_accessible(dsl)
    dsl.get_by_label("First name").fill("Riley")
    dsl.get_by_label("Last name").fill("Okafor")
    dsl.get_by_label("Year group (pupils)").select_option(label="Year 10")
    dsl.get_by_role("button", name="Add this person").click()
    dsl.get_by_role("link", name="Add a person").click()
    dsl.get_by_label("Witness").check()
    dsl.get_by_label("A pupil").check()
    dsl.get_by_label("Name not known").check()
    dsl.get_by_role("button", name="Add this person").click()
    assert dsl.get_by_role("cell", name="Riley Okafor, pupil, Year 10").is_visible()
    dsl.get_by_role("link", name="Continue").click()

    dsl.get_by_label("No", exact=True).check()
    _next(dsl)
    dsl.get_by_label("Yes", exact=True).check()
    dsl.get_by_label("What has been kept").fill("The knife, bagged; the tutor's written account.")
    assert_accessible(dsl)
    _next(dsl)
    dsl.get_by_role("link", name="Add an exhibit").click()
    assert_accessible(dsl)
    dsl.get_by_label("What is it?").fill("Kitchen knife in a sealed bag")
    dsl.get_by_label("Where is it kept?").fill("The headteacher's safe")
    dsl.get_by_label("Who holds it?").fill("The headteacher")
    dsl.get_by_role("button", name="Add this exhibit").click()
    assert_accessible(dsl)
    dsl.get_by_role("link", name="Continue").click()
    dsl.get_by_label("Yes", exact=True).check()
    assert_accessible(dsl)
    _next(dsl)

    # Check your answers, change one, and send.
    assert dsl.get_by_role(
        "heading", name="Check your answers before sending the report"
    ).is_visible()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    incident = Incident.objects.get()
    assert incident.status == Incident.Status.DRAFT  # saved as it went
    dsl.get_by_role("link", name="Change where it happened").click()
    dsl.get_by_label("Where exactly (optional)").fill("Form room 10B, science block")
    _next(dsl)
    assert dsl.get_by_text("Form room 10B, science block").is_visible()
    dsl.get_by_role("button", name="Send the report").click()
    assert dsl.get_by_role("heading", name="Report sent").is_visible()
    assert dsl.get_by_text("call 999 now", exact=False).is_visible()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    assert "Riley" not in dsl.url

    # The named officer: the home page counts it; acknowledge, then record the outcome.
    police = _phone(browser, live_server)
    sign_in(police, officer)
    assert police.get_by_text("1 new incident").is_visible()
    assert_accessible(police)
    police.get_by_text("1 new incident").click()
    assert_accessible(police)
    _no_sideways_scroll(police)
    police.get_by_role("link", name="Weapon seized or found").click()
    assert police.get_by_text("Riley Okafor", exact=False).first.is_visible()
    assert_accessible(police)
    _no_sideways_scroll(police)
    police.get_by_role("button", name="Acknowledge").click()
    assert police.get_by_text("Incident acknowledged").is_visible()
    assert_accessible(police)
    police.get_by_role("link", name="Record the outcome").click()
    assert_accessible(police)
    _no_sideways_scroll(police)
    police.get_by_label("Crime recorded").check()
    police.get_by_role("button", name="Record the outcome").click()
    assert police.get_by_text("Enter the crime reference").first.is_visible()
    assert_accessible(police)
    police.get_by_label("Crime reference").fill("55/12345/26")
    police.get_by_label("Note for the school (optional)").fill(
        "Knife seized. I will see the family at home this evening."
    )
    police.get_by_label("Police-only note (optional)").fill(
        "Older brother known to the gangs unit."
    )
    police.get_by_role("button", name="Record the outcome").click()
    assert police.get_by_text("Outcome recorded. The school can see it.").is_visible()
    assert_accessible(police)
    police.context.close()

    # The DSL sees the status and the outcome, and nothing police-only.
    dsl.goto(incident.get_absolute_url())
    status = " ".join(dsl.locator("#status").inner_text().split())
    assert "Outcome recorded" in status and "PC Neighbourhood (1234)" in status
    outcome = dsl.locator("#outcome").inner_text()
    assert "Crime recorded" in outcome and "55/12345/26" in outcome
    assert "see the family at home" in outcome
    assert "gangs unit" not in dsl.locator("main").inner_text()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    dsl.goto(school.get_absolute_url())
    assert dsl.get_by_text("1 incident in the last 26 weeks").is_visible()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
    dsl.get_by_role("link", name="1 incident in the last 26 weeks").click()
    assert dsl.get_by_text("1 incident in the 26 weeks").is_visible()
    assert_accessible(dsl)
    _no_sideways_scroll(dsl)
