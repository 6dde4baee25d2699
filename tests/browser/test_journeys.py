"""Journeys of the foundation in real Chromium: sign in, MFA, invitations, each role's home."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from conftest import build_world

from .conftest import assert_accessible, sign_in, totp_code

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


def test_the_django_admin_is_reached_through_the_products_sign_in_and_code(page):
    build_world()
    root = UserFactory(
        email="root@example.org", organisation=None, role="", is_superuser=True, is_staff=True
    )
    page.goto("/django-admin/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email address", exact=True).fill(root.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    assert "/2fa/authenticate" in page.url
    page.get_by_label("Code").fill(totp_code(root))
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.url.endswith("/django-admin/")
    assert "Site administration" in page.content()


def test_a_session_that_used_only_a_password_is_asked_for_the_code(page, live_server):
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.test import Client

    world = build_world()
    client = Client()  # Django's own force_login: signed in, no second factor
    client.force_login(world.sergeant)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    page.goto("/people/")
    assert "/2fa/reauthenticate/" in page.url
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code(world.sergeant))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/2fa/" not in url)
    assert urlsplit(page.url).path == "/people/"
