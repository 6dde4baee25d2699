"""Inviting people: the only way to get an account."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Invitation, Role, User

pytestmark = pytest.mark.django_db


def _invite(client, inviter, django_capture_on_commit_callbacks, **overrides):
    client.force_login(inviter)
    data = {"full_name": "Sam Taylor", "email": "Sam.Taylor@example.org", "role": "dsl"}
    data.update(overrides)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:invitation_create"), data)


def _link_from(message):
    return re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", message.body).group(1)


def test_headteacher_invites_a_dsl_who_sets_a_password_and_lands_home(
    client, world, django_capture_on_commit_callbacks
):
    school_org = world.schools["a1"].organisation
    response = _invite(
        client, world.headteacher, django_capture_on_commit_callbacks, organisation=school_org.pk
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="sam.taylor@example.org")
    assert invitation.organisation == school_org and invitation.role == Role.DSL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.taylor@example.org"]
    assert mail.outbox[0].alternatives, "an HTML alternative goes with the text email"
    link = _link_from(mail.outbox[0])

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert b"sam.taylor@example.org" in page.content
    response = client.post(
        link,
        {
            "full_name": "Sam Taylor",
            "password1": "tidy-orange-lantern-42",
            "password2": "tidy-orange-lantern-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="sam.taylor@example.org")
    assert user.role == Role.DSL and user.organisation == school_org
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert client.get(reverse("home")).status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.invitation.sent", "accounts.user.created"} <= actions

    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404


def test_police_invitee_is_sent_to_mfa_set_up(client, world, django_capture_on_commit_callbacks):
    _invite(
        client,
        world.admin,
        django_capture_on_commit_callbacks,
        role="sso",
        organisation=world.orgs["police_a"].pk,
        team=world.teams["sst_a"].pk,
        rank="PC",
        collar_number="4521",
    )
    link = _link_from(mail.outbox[0])
    client.logout()
    response = client.post(
        link,
        {
            "full_name": "Sam Taylor",
            "password1": "tidy-orange-lantern-42",
            "password2": "tidy-orange-lantern-42",
        },
    )
    assert response["Location"] == reverse("mfa_activate_totp")
    user = User.objects.get(email="sam.taylor@example.org")
    assert (user.rank, user.collar_number, user.team) == ("PC", "4521", world.teams["sst_a"])
    # Until MFA is set up, no other page answers.
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_invitation_email_is_sent_once_however_often_the_task_runs(
    world, django_capture_on_commit_callbacks
):
    from accounts.tasks import send_invitation_email

    invitation = Invitation.objects.create(
        email="once@example.org",
        full_name="Once",
        organisation=world.orgs["police_a"],
        role=Role.SERGEANT,
        invited_by=world.admin,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitation_email(invitation.pk) is True
        assert send_invitation_email(invitation.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"email": "dsl@example.org"}, "email", "already has an account"),
        ({"full_name": ""}, "full_name", "Enter the person"),
        ({"role": "sso"}, "organisation", "must belong to a police force"),
        ({"role": "nonsense"}, "role", "Select a valid choice"),
    ],
)
def test_bad_invitations_say_what_is_wrong_and_keep_what_was_typed(
    client, world, django_capture_on_commit_callbacks, overrides, field, message
):
    response = _invite(
        client,
        world.admin,
        django_capture_on_commit_callbacks,
        organisation=world.schools["a1"].organisation.pk,
        **overrides,
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert b"govuk-error-summary" in response.content
    typed = overrides.get("full_name", "Sam Taylor")
    if typed:
        assert typed.encode() in response.content
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_second_invitation_to_a_waiting_address_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    org = world.schools["a1"].organisation.pk
    _invite(client, world.admin, django_capture_on_commit_callbacks, organisation=org)
    response = _invite(client, world.manager, django_capture_on_commit_callbacks, organisation=org)
    assert "already waiting" in str(response.context["form"].errors["email"])
    assert Invitation.objects.count() == 1


def test_headteacher_cannot_invite_police_or_into_another_school(
    client, world, django_capture_on_commit_callbacks
):
    response = _invite(
        client,
        world.headteacher,
        django_capture_on_commit_callbacks,
        role="sso",
        organisation=world.schools["a2"].organisation.pk,
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role", "organisation"}
    assert not Invitation.objects.exists()


def test_expired_revoked_and_forged_links_do_not_work(client, world):
    def make(**fields):
        return Invitation.objects.create(
            full_name="X",
            organisation=world.orgs["police_a"],
            role=Role.SERGEANT,
            invited_by=world.admin,
            expires_at=timezone.now() + Invitation.VALID_FOR,
            **fields,
        )

    expired = make(email="old@example.org")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = make(email="revoked@example.org", revoked_at=timezone.now())
    good = make(email="good@example.org")
    tampered = good.get_accept_url().replace(good.token[:6], "AAAAAA")
    for url in (expired.get_accept_url(), revoked.get_accept_url(), tampered):
        response = client.get(url)
        assert response.status_code == 404
        assert b"This invitation link does not work" in response.content
    assert client.get(good.get_accept_url()).status_code == 200


def test_weak_or_mismatched_passwords_are_refused(client, world):
    invitation = Invitation.objects.create(
        email="new@example.org",
        full_name="New Person",
        organisation=world.schools["a1"].organisation,
        role=Role.DSL,
        invited_by=world.headteacher,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    url = invitation.get_accept_url()
    response = client.post(
        url, {"full_name": "New Person", "password1": "short", "password2": "short"}
    )
    assert "too short" in str(response.context["form"].errors["password1"])
    response = client.post(
        url,
        {
            "full_name": "New Person",
            "password1": "tidy-orange-lantern-42",
            "password2": "other-words-here-99",
        },
    )
    assert "do not match" in str(response.context["form"].errors["password2"])
    assert not User.objects.filter(email="new@example.org").exists()


def test_cancelling_an_invitation_kills_its_link(client, world):
    invitation = Invitation.objects.create(
        email="new@example.org",
        full_name="New Person",
        organisation=world.schools["a1"].organisation,
        role=Role.DSL,
        invited_by=world.headteacher,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    client.force_login(world.headteacher)
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status() == "revoked"
    assert AuditEntry.objects.filter(action="accounts.invitation.revoked").exists()
    client.logout()
    assert client.get(invitation.get_accept_url()).status_code == 404


def test_there_is_no_public_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "me@example.org",
            "password1": "tidy-orange-lantern-42",
            "password2": "tidy-orange-lantern-42",
        },
    )
    assert not User.objects.filter(email="me@example.org").exists()
    assert response.status_code in (200, 403)
