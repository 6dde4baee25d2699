"""A force administrator adds the county's youth offending team as a partner agency, on a
phone, and invites its first person from the organisation's page."""

import pytest

from accounts.models import Invitation, Organisation, Role
from conftest import build_world

from .conftest import assert_accessible, sign_in
from .test_narrow_screens import broken_words

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}


def assert_fits_a_phone(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"
    assert broken_words(page) is None


def test_an_administrator_adds_a_youth_offending_team_and_invites_a_person(page):
    world = build_world()
    # The world already has a youth justice service under this name; this force's is new.
    Organisation.objects.filter(pk=world.orgs["agency_a"].pk).update(
        name="Poole Youth Justice Service"
    )
    sign_in(page, world.admin)
    page.get_by_role("link", name="Organisations").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Organisations"
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    assert_fits_a_phone(page)
    page.get_by_role("link", name="Add an organisation").click()
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Save organisation").click()
    # Nothing answered: each question says what is missing.
    assert page.get_by_role("link", name="Enter the organisation's name").is_visible()
    assert page.get_by_role("link", name="Choose what kind of organisation it is").is_visible()
    assert_accessible(page)
    page.get_by_label("Name of the organisation").fill("Dorset Youth Justice Service")
    page.get_by_label("Partner agency", exact=True).check()
    page.get_by_role("button", name="Save organisation").click()
    # A partner agency without its type: the page says so and keeps what was typed.
    assert page.get_by_role("link", name="Choose what kind of partner agency it is").is_visible()
    assert page.get_by_label("Name of the organisation").input_value() == (
        "Dorset Youth Justice Service"
    )
    assert page.get_by_label("Partner agency", exact=True).is_checked()
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_label("Youth offending team (youth justice service)").check()
    page.get_by_role("button", name="Save organisation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dorset Youth Justice Service"
    assert page.get_by_text("Its people must use an authenticator app").is_visible()
    assert_accessible(page)
    assert_fits_a_phone(page)

    page.get_by_role("link", name="Invite someone to Dorset Youth Justice Service").click()
    assert page.get_by_label("Partner agency worker").is_checked()
    selected = page.get_by_label("Organisation").evaluate("s => s.selectedOptions[0].text")
    assert selected == "Dorset Youth Justice Service (partner agency)"
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_label("Full name").fill("Jordan Hale")
    page.get_by_label("Email address").fill("jordan.hale@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to jordan.hale@example.org" in page.content()
    assert_accessible(page)

    invitation = Invitation.objects.get(email="jordan.hale@example.org")
    assert invitation.organisation.name == "Dorset Youth Justice Service"
    assert invitation.organisation.agency_type == Organisation.AgencyType.YOUTH_JUSTICE
    assert invitation.role == Role.PARTNER_AGENCY
