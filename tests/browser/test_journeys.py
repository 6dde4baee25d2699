"""Journeys of the foundation in real Chromium: sign in, MFA, invitations, each role's home."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HOME_TEXT = {
    "headteacher": "Your police contact",
    "dsl": "Staff using the service",
    "school_link": "Staff using the service",
    "sso": "My schools",
    "neighbourhood": "My schools",
    "sergeant": "My teams",
    "manager": "Open schools by local authority",
    "coordinator": "Open schools by phase",
    "partner": "You deliver safety-education sessions",
    "admin": "Active accounts by role",
}


@pytest.mark.parametrize("who", list(HOME_TEXT))
def test_each_role_signs_in_and_sees_their_home_page(page, who):
    world = build_world()
    sign_in(page, world.users[who])
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    assert HOME_TEXT[who] in page.content()
    # The header names the force and the person's organisation.
    header = page.locator("header").inner_text() + page.locator("body").inner_text()
    assert world.users[who].organisation.name in header
    assert_accessible(page)


def test_officer_sets_up_mfa_on_first_sign_in_then_is_challenged_next_time(page):
    world = build_world()
    officer = UserFactory(
        email="new.officer@example.org",
        organisation=world.orgs["police_a"],
        role=Role.SAFER_SCHOOLS_OFFICER,
        mfa=False,
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email address", exact=True).fill(officer.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/")
    assert "/2fa/totp/activate" in page.url
    assert_accessible(page)
    secret = page.get_by_label("Secret key").input_value().replace(" ", "").upper()
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")

    # Signing in again asks for a code from the app.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address", exact=True).fill(officer.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    assert "/2fa/authenticate" in page.url
    page.get_by_label("Code").fill("123456" if code != "123456" else "654321")
    page.get_by_role("button", name=re.compile("Sign in|Continue")).first.click()
    assert "/2fa/authenticate" in page.url
    assert_accessible(page)


def test_headteacher_invites_a_dsl_who_creates_their_account(page, browser, live_server):
    world = build_world()
    sign_in(page, world.headteacher)
    page.goto("/people/invite/")
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    # An empty form is refused with an error summary, in plain English.
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Robin Patel")
    page.get_by_label("Email address").fill("robin.patel@example.org")
    page.get_by_label("Designated safeguarding lead").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to robin.patel@example.org" in page.content()
    assert_accessible(page)

    link = re.search(r"(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    invitee = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    invitee.goto(link)
    assert_accessible(invitee)
    invitee.get_by_label("Create a password", exact=True).fill("tidy-orange-lantern-42")
    invitee.get_by_label("Type the password again", exact=True).fill("tidy-orange-lantern-42")
    invitee.get_by_role("button", name="Create my account").click()
    assert invitee.get_by_role("heading", level=1).inner_text().startswith("Hello")
    assert_accessible(invitee)
    assert User.objects.get(email="robin.patel@example.org").role == Role.DSL
    invitee.context.close()
