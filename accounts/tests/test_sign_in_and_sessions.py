"""Signing in, the MFA requirement for police, and how sessions end."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from accounts.adapters import MFAAdapter
from accounts.models import Organisation, Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _current_code(user):
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = MFAAdapter().decrypt(authenticator.data["secret"])
    counter = int(timezone.now().timestamp()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def test_officer_signs_in_with_password_then_totp(client, world):
    response = client.post(
        reverse("account_login"), {"login": "sso@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    # Without the second factor, nothing else answers.
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(world.sso)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_headteacher_without_mfa_signs_in_with_password_alone(client, world):
    response = client.post(
        reverse("account_login"), {"login": "Headteacher@Example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_is_refused_in_plain_english(client, world):
    response = client.post(
        reverse("account_login"), {"login": "sso@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "not correct" in str(response.context["form"].errors)


@pytest.mark.django_db(transaction=True)  # setting up the app counts as MFA after its commit
def test_police_user_without_mfa_can_only_reach_the_set_up_pages(client, world):
    officer = UserFactory(organisation=world.orgs["police_a"], role=Role.SERGEANT, mfa=False)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    for url in (reverse("home"), reverse("accounts:team_list"), reverse("accounts:my_account")):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    # The secret is encrypted at rest.
    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret and MFAAdapter().decrypt(stored) == secret
    assert client.get(reverse("home")).status_code == 200


def test_police_cannot_switch_their_authenticator_off(client, world):
    client.force_login(world.sso)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=world.sso, type=Authenticator.Type.TOTP).exists()


def test_school_and_partner_staff_are_not_forced_into_mfa(client, world):
    for who in ("headteacher", "partner"):
        client.force_login(world.users[who])
        assert client.get(reverse("home")).status_code == 200


def test_a_local_authority_coordinator_is_not_forced_into_mfa(client, world):
    council = world.orgs["council_a"]
    coordinator = UserFactory(organisation=council, role=Role.COORDINATOR)
    assert council.kind == Organisation.Kind.LOCAL_AUTHORITY
    assert not coordinator.requires_mfa
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200


def _age_session(client, *, idle=timedelta(0), total=timedelta(0)):
    session = client.session
    now = timezone.now().timestamp()
    session["session_started_at"] = now - total.total_seconds()
    session["session_last_seen_at"] = now - idle.total_seconds()
    session.save()


@pytest.mark.parametrize(
    ("idle", "total", "signed_out"),
    [
        (timedelta(minutes=29), timedelta(hours=1), False),
        (timedelta(minutes=31), timedelta(hours=1), True),
        (timedelta(minutes=1), timedelta(hours=11, minutes=59), False),
        (timedelta(minutes=1), timedelta(hours=12, minutes=1), True),
    ],
)
def test_sessions_end_after_30_minutes_idle_or_12_hours(client, world, idle, total, signed_out):
    client.force_login(world.headteacher)
    client.get(reverse("home"))
    _age_session(client, idle=idle, total=total)
    response = client.get(reverse("home"))
    assert (response.status_code == 302) is signed_out
    if signed_out:
        assert response["Location"].startswith(reverse("account_login"))
        assert client.get(reverse("home")).status_code == 302


def test_a_disabled_account_is_signed_out_at_once(client, world):
    client.force_login(world.dsl)
    assert client.get(reverse("home")).status_code == 200
    world.dsl.disable(by=world.headteacher)
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    response = client.post(
        reverse("account_login"), {"login": "dsl@example.org", "password": PASSWORD}
    )
    assert response.status_code != 302 or "inactive" in response["Location"]


def test_disable_and_enable_through_the_page_are_audited(client, world):
    client.force_login(world.headteacher)
    client.post(reverse("accounts:person_disable", args=[world.dsl.pk]))
    world.dsl.refresh_from_db()
    assert not world.dsl.is_active
    client.post(reverse("accounts:person_enable", args=[world.dsl.pk]))
    world.dsl.refresh_from_db()
    assert world.dsl.is_active
    from accounts.models import AuditEntry

    entries = list(AuditEntry.objects.for_object(world.dsl).values_list("action", "actor"))
    assert ("accounts.user.disabled", world.headteacher.pk) in entries
    assert ("accounts.user.enabled", world.headteacher.pk) in entries


def test_sign_in_is_rate_limited(client, world, settings):
    for _ in range(12):
        response = client.post(
            reverse("account_login"), {"login": "sso@example.org", "password": "wrong"}
        )
    assert response.status_code == 429 or "Too many" in response.content.decode()


def test_every_signed_in_response_is_no_store_including_csv(client, world):
    client.force_login(world.manager)
    for url in ["/", reverse("reporting:export", args=["tiers", "by_la"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_behind_a_trusted_proxy_login_limits_key_on_the_client_not_the_proxy(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(12):
        client.post(
            reverse("account_login"),
            {"login": f"attacker{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )
    response = client.post(
        reverse("account_login"),
        {"login": "colleague@example.org", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert response.status_code != 429 and "Too many" not in response.content.decode()


def test_client_ip_reads_x_forwarded_for_only_for_trusted_proxies(rf, settings):
    from accounts.audit import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # the spoofed 6.6.6.6 is never believed
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"


def test_an_oversized_body_is_refused_with_413_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = client.post(
        reverse("account_login"), data=b"x" * 2000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()
