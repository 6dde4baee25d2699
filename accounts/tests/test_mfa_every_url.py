"""A password alone opens nothing for police, administrators and superusers: every URL, the
Django admin's included, waits for this session to pass the second factor."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.adapters import MFAAdapter
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
MFA_STEP = reverse("mfa_reauthenticate")
# What a session that has not passed MFA may still reach: the code check itself, signing out,
# the health check, and the static files the code check's page needs.
OPEN_BEFORE_MFA = {MFA_STEP, reverse("account_logout"), reverse("healthz")}


def _code(user):
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = MFAAdapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def _every_path():
    """One path for every URL pattern of the product, arguments filled with 1."""
    paths = []

    def fill(route):
        route = re.sub(r"<[^>]+>", "1", route)
        route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "auth", route)  # the admin's app_label
        return route.replace("^", "").replace("$", "").replace("\\", "")

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + fill(str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="root@example.org", organisation=None, role="", is_superuser=True, is_staff=True
    )


def test_the_admin_has_no_sign_in_of_its_own(client, superuser):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fdjango-admin%2F"
    # Posting the password to the admin's old sign-in signs nobody in.
    response = client.post(
        "/django-admin/login/", {"username": superuser.email, "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/django-admin/")["Location"].startswith("/django-admin/login/")


def test_the_admin_is_reached_through_the_products_sign_in_with_its_totp(client, superuser):
    response = client.post(
        f"{reverse('account_login')}?next=/django-admin/",
        {"login": superuser.email, "password": PASSWORD},
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get("/django-admin/")["Location"].startswith("/django-admin/login/")
    response = client.post(reverse("mfa_authenticate"), {"code": _code(superuser)})
    assert response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_wrong_passwords_for_the_admin_are_limited_by_the_products_sign_in(client, superuser):
    for _ in range(25):
        response = client.post(
            f"{reverse('account_login')}?next=/django-admin/",
            {"login": superuser.email, "password": "wrong"},
        )
    assert response.status_code == 429 or "Too many" in response.content.decode()


@pytest.mark.parametrize("who", ["superuser", "sso", "admin", "sergeant", "coordinator"])
def test_a_password_only_session_meets_the_mfa_step_on_every_url(world, superuser, who):
    user = superuser if who == "superuser" else world.users[who]
    client = Client()  # Django's own force_login: a session that never passed MFA
    client.force_login(user)
    stopped, paths = [], _every_path()
    assert len(paths) > 150 and "/django-admin/" in paths
    for path in paths:
        if path in OPEN_BEFORE_MFA:
            continue
        for method in (client.get, client.post):
            response = method(path)
            location = response.get("Location", "")
            if not (response.status_code == 302 and location.startswith(MFA_STEP)):
                stopped.append(f"{method.__name__.upper()} {path}: {response.status_code}")
    assert not stopped, "Answered without MFA:\n" + "\n".join(stopped)


def test_after_the_totp_step_the_session_goes_where_it_was_going(superuser):
    client = Client()
    client.force_login(superuser)
    response = client.get("/django-admin/mfa/authenticator/")
    assert response["Location"] == f"{MFA_STEP}?next=%2Fdjango-admin%2Fmfa%2Fauthenticator%2F"
    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"], {"code": "000000"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        f"{MFA_STEP}?next=/django-admin/mfa/authenticator/", {"code": _code(superuser)}
    )
    assert response["Location"] == "/django-admin/mfa/authenticator/"
    assert client.get("/django-admin/mfa/authenticator/").status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_the_test_clients_force_login_passes_mfa_as_a_real_sign_in_does(client, world):
    client.force_login(world.sso)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(world.sso, mfa=False)
    assert client.get(reverse("home"))["Location"].startswith(MFA_STEP)


@pytest.mark.parametrize("who", ["headteacher", "dsl", "partner"])
def test_school_and_partner_staff_need_no_mfa_step(world, who):
    assert not world.users[who].requires_mfa
    client = Client()
    client.force_login(world.users[who])
    assert client.get(reverse("home")).status_code == 200
