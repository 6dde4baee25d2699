"""Partner agencies: organisations of the force whose people are invited by its managers and
administrators, and must set up a second factor like the police."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AGENCY_ROLES, POLICE_ROLES, Invitation, Role, User

pytestmark = pytest.mark.django_db


def test_agency_role_is_its_own_set_not_the_polices():
    assert Role.PARTNER_AGENCY in AGENCY_ROLES
    assert Role.PARTNER_AGENCY not in POLICE_ROLES


def test_a_manager_invites_an_agency_worker_who_must_set_up_two_factors(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    data = {
        "full_name": "Alex Reid",
        "email": "alex.reid@example.org",
        "role": "agency",
        "organisation": world.schools["a1"].organisation.pk,
    }
    response = client.post(reverse("accounts:invitation_create"), data)
    assert "A partner agency worker must belong to a partner agency" in response.content.decode()
    assert not Invitation.objects.exists()

    data["organisation"] = world.orgs["agency_a"].pk
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:invitation_create"), data).status_code == 302
    link = re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", mail.outbox[0].body).group(1)
    client.logout()
    response = client.post(
        link,
        {
            "full_name": "Alex Reid",
            "password1": "tidy-orange-lantern-42",
            "password2": "tidy-orange-lantern-42",
        },
    )
    assert response["Location"] == reverse("mfa_activate_totp")
    user = User.objects.get(email="alex.reid@example.org")
    assert user.role == Role.PARTNER_AGENCY and user.requires_mfa
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_a_headteacher_cannot_invite_an_agency_worker(client, world):
    client.force_login(world.headteacher)
    response = client.post(
        reverse("accounts:invitation_create"),
        {"full_name": "A", "email": "a@example.org", "role": "agency"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
