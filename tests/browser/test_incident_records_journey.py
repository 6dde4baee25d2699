"""The school's named officer, on a phone, records a search of a pupil on an incident,
downloads the copy of the stop-and-search record for the pupil, and records that it was given
to the pupil and filed to the school; the DSL reads the record, never the police-only note."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from conftest import build_world
from incidents.records import PupilSearch
from incidents.tests.factories import IncidentFactory, IncidentPersonFactory

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 720}


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport=PHONE, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _checked(page):
    assert_accessible(page)
    _no_sideways_scroll(page)


def test_an_officer_records_a_search_and_downloads_the_pupils_copy(browser, live_server):
    world = build_world()
    officer = world.neighbourhood  # Alder Academy's named officer
    officer.rank, officer.collar_number = "PC", "1234"
    officer.save()
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    IncidentPersonFactory(incident=incident)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    police = _phone(browser, live_server)
    sign_in(police, officer)
    police.goto(incident.get_absolute_url())
    _checked(police)
    police.get_by_role("link", name="Record a search of a pupil").click()
    _checked(police)

    # Nothing answered: every question says what to do, on the page and in the summary.
    police.get_by_role("button", name="Save the search record").click()
    assert police.get_by_text("There is a problem").is_visible()
    assert police.get_by_role("link", name="Enter the grounds for the search").is_visible()
    _checked(police)

    police.get_by_label("Name of the pupil searched").fill("Riley Okafor")
    police.get_by_label("Year group (optional)").select_option(label="Year 10")
    fill_date(police, "Date of the search", yesterday)
    police.get_by_label("Time of the search").fill("9:15am")
    police.get_by_label("Where did the search take place?").fill("The deputy head's office")
    police.get_by_label("Grounds for the search").fill(
        "A teacher saw a knife handle in the pupil's bag at registration."
    )
    police.get_by_label("What was searched for?").fill("A bladed article")
    police.get_by_label("What was found?").fill("A kitchen knife")
    police.get_by_label("Staff who assisted").fill("Mr A Patel, deputy head")
    police.get_by_label("Yes", exact=True).check()
    police.get_by_label("Who told them?").fill("Mrs J Rowe, DSL")
    police.get_by_label("By phone").check()
    fill_date(police, "Date they were told", yesterday)
    police.get_by_label("Item found and seized").check()
    police.get_by_label("Police-only note (optional)").fill("Brother known to the gangs unit.")
    _checked(police)
    police.get_by_role("button", name="Save the search record").click()

    assert police.get_by_text("Search recorded").is_visible()
    assert police.get_by_role("heading", name="Search of a pupil").is_visible()
    _checked(police)
    search = PupilSearch.objects.get()
    assert search.pupil_name == "Riley Okafor" and search.officer == officer
    assert "Riley" not in police.url

    with police.expect_download() as downloaded:
        police.get_by_role("link", name="Download the copy for the pupil (PDF)").click()
    with open(downloaded.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Record of a search" in text and "Riley Okafor" in text
    assert "A teacher saw a knife handle" in text and "gangs unit" not in text

    police.get_by_role("link", name="Record the copies given and filed").click()
    _checked(police)
    fill_date(police, "Date the copy was given to the pupil", yesterday)
    police.get_by_label("Who at the school took the copy for the pupil's file?").fill(
        "Mrs J Rowe, DSL"
    )
    fill_date(police, "Date the copy was filed to the school", timezone.localdate())
    police.get_by_role("button", name="Record the copies").click()
    assert police.get_by_text("Copies recorded").is_visible()
    _checked(police)
    search.refresh_from_db()
    assert search.copies_done

    # The DSL reads it from the incident page; never the police-only note.
    school = _phone(browser, live_server)
    sign_in(school, world.dsl)
    school.goto(incident.get_absolute_url())
    _checked(school)
    school.get_by_role("link", name="Search of a pupil", exact=False).click()
    assert school.get_by_text("Mr A Patel, deputy head").is_visible()
    assert school.get_by_text("gangs unit").count() == 0
    _checked(school)


def test_a_restorative_resolution_agreed_in_person_on_the_officers_phone(browser, live_server):
    world = build_world()
    incident = IncidentFactory(school=world.schools["a1"], reported_by=world.dsl)
    police = _phone(browser, live_server)
    sign_in(police, world.neighbourhood)
    police.goto(incident.get_absolute_url())
    police.get_by_role("link", name="Propose a restorative resolution").click()
    assert police.get_by_text("never compensation", exact=False).first.is_visible()
    _checked(police)
    police.get_by_label("What is proposed?").fill("Riley pays £20 for the broken phone screen.")
    police.get_by_role("button", name="Save and ask for agreement").click()
    assert police.get_by_role(
        "link", name="A restorative resolution is never compensation"
    ).is_visible()
    _checked(police)
    police.get_by_label("What is proposed?").fill(
        "Riley apologises to Sam at a meeting with both families and the head of year."
    )
    police.get_by_role("button", name="Save and ask for agreement").click()
    assert police.get_by_text("Waiting for agreement").is_visible()
    _checked(police)

    parties = [
        ("The victim", "Sam Demo-Ellis"),
        ("A parent or carer of the victim", "Alex Demo-Ellis"),
        ("A member of the school's staff", "Jo Rowe"),
        ("The pupil responsible", "Riley Okafor"),
        ("A parent or carer of the pupil responsible", "Chris Okafor"),
    ]
    for number, (capacity, name) in enumerate(parties):
        police.get_by_role("link", name="Record someone's agreement").click()
        police.get_by_label(capacity, exact=True).check()
        police.get_by_label("Their full name").fill(name)
        police.get_by_label("Type your full name to sign").fill(name)
        police.get_by_label("I have read the resolution above and I agree to it").check()
        if number == 0:
            _checked(police)
        police.get_by_role("button", name="I agree").click()
        assert police.get_by_text("Agreement recorded").is_visible()
    assert police.get_by_text("Agreed by everyone").is_visible()
    _checked(police)
    police.get_by_role("link", name="Record the outcome").click()
    police.get_by_label("Completed: the resolution was carried out").check()
    police.get_by_role("button", name="Record the outcome").click()
    assert police.get_by_text("Outcome of the resolution recorded").is_visible()
    _checked(police)
