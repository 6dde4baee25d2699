"""A school link asks its officer for a talk on a phone; the officer answers and logs the
engagement; the school sees the answer; the headteacher's home page shows the partnership and
the termly summary downloads as a PDF."""

import datetime

import pytest
from django.utils import timezone

from conftest import build_world
from help_requests.models import HelpRequest
from needs_assessment.tests.factories import ApprovedAssessmentFactory
from schools.models import Engagement

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


def test_a_school_asks_for_a_talk_and_sees_the_officers_answer(browser, live_server):
    world = build_world()
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    ApprovedAssessmentFactory(school=school, level="universal")
    needed_by = timezone.localdate() + datetime.timedelta(days=14)

    # The school link asks on a phone.
    phone = _page(browser, live_server, viewport=PHONE)
    sign_in(phone, world.school_link)
    assert_accessible(phone)
    phone.get_by_role("link", name="Ask your police officer for help").click()
    assert_accessible(phone)
    assert_fits_a_phone(phone)
    assert phone.get_by_text("Do not write pupils' names").first.is_visible()
    phone.get_by_label("A talk to a class or assembly").check()
    phone.get_by_role("button", name="Send to your officer").click()
    # Nothing said about what is needed: the page says so and keeps the choice.
    assert phone.get_by_role("link", name="Say what you need").is_visible()
    assert phone.get_by_label("A talk to a class or assembly").is_checked()
    assert_accessible(phone)
    assert_fits_a_phone(phone)
    phone.get_by_label("What do you need?").fill("A talk to the Year 8 assembly on online safety")
    fill_date(phone, "When is it needed? (optional)", needed_by)
    phone.get_by_role("button", name="Send to your officer").click()
    assert phone.get_by_text("Waiting for an answer").first.is_visible()
    assert_accessible(phone)
    assert_fits_a_phone(phone)
    help_request = HelpRequest.objects.get()
    assert help_request.needed_by == needed_by and help_request.officer == world.neighbourhood

    # The officer answers and logs the engagement it became.
    officer = _page(browser, live_server)
    sign_in(officer, world.neighbourhood)
    assert_accessible(officer)
    officer.get_by_role("link", name="A talk to a class or assembly").first.click()
    assert_accessible(officer)
    officer.get_by_label("Your answer to the school").fill("I will give the assembly on Friday.")
    officer.get_by_role("button", name="Send answer").click()
    assert officer.get_by_text("Your answer has been sent to the school.").is_visible()
    officer.get_by_role("link", name="An engagement in the school's log").click()
    assert_accessible(officer)
    assert officer.get_by_label("What did you do?").input_value() == Engagement.Kind.INPUT
    officer.get_by_role("button", name="Save engagement").click()
    assert officer.get_by_text("Engagement saved and linked to the request.").is_visible()
    assert_accessible(officer)
    help_request.refresh_from_db()
    assert help_request.engagement.kind == Engagement.Kind.INPUT

    # The school sees the answer and what was done.
    phone.reload()
    assert phone.get_by_text("Answered", exact=True).is_visible()
    assert phone.get_by_text("I will give the assembly on Friday.").is_visible()
    assert phone.get_by_text("Input to a class or assembly on").is_visible()
    assert_accessible(phone)
    assert_fits_a_phone(phone)

    # The headteacher's home page shows the partnership; the termly summary downloads.
    head = _page(browser, live_server)
    sign_in(head, world.headteacher)
    assert head.get_by_role("heading", name="Your partnership with the police").is_visible()
    assert head.get_by_text("Input to a class or assembly: 1").is_visible()
    assert_accessible(head)
    head.get_by_role("link", name="See the termly summary").click()
    assert_accessible(head)
    with head.expect_download() as downloaded:
        head.get_by_role("link", name="Download as PDF").click()
    with open(downloaded.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_an_officer_records_a_request_as_an_incident_and_the_dsl_follows_it(browser, live_server):
    from help_requests import services
    from incidents.models import Incident

    world = build_world()
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    help_request = services.help_request_ask(
        school=school,
        by=world.school_link,
        kind="gates",
        need="Older youths offer vapes to pupils at the gates at home time.",
    )

    # The officer turns it into an incident: the form starts from the request.
    officer = _page(browser, live_server)
    sign_in(officer, world.neighbourhood)
    officer.goto(help_request.get_absolute_url())
    officer.get_by_role("link", name="An incident, recorded under the protocol").click()
    assert_accessible(officer)
    assert "vapes" in officer.get_by_label("What happened").input_value()
    officer.get_by_role("button", name="Record the incident and answer the school").click()
    # No kind or place chosen: the page says so, and keeps what was there.
    assert officer.get_by_role("link", name="Choose what happened").is_visible()
    assert officer.get_by_role("link", name="Choose where it happened").is_visible()
    assert "vapes" in officer.get_by_label("What happened").input_value()
    assert_accessible(officer)
    officer.get_by_label("Drugs seized or found").check()
    officer.get_by_label("Outside school, in school hours").check()
    officer.get_by_role("button", name="Record the incident and answer the school").click()
    incident = Incident.objects.get()
    assert officer.get_by_text(f"Recorded as incident {incident.reference}.").is_visible()
    assert_accessible(officer)
    assert incident.status == Incident.Status.ACKNOWLEDGED

    # The DSL, on a phone, sees the answer and opens the incident from the request.
    phone = _page(browser, live_server, viewport=PHONE)
    sign_in(phone, world.dsl)
    phone.goto(help_request.get_absolute_url())
    assert phone.get_by_text("We have recorded this as an incident").is_visible()
    assert_accessible(phone)
    assert_fits_a_phone(phone)
    phone.get_by_role("link", name=f"Incident {incident.reference}").click()
    assert phone.get_by_text("Acknowledged").first.is_visible()
    assert_accessible(phone)
