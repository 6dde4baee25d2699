"""Adding an action to a case's plan: whoever owns it, the first submit works."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from referrals.models import Action

pytestmark = pytest.mark.django_db


def _due_in(days):
    return date_data("due_on", timezone.localdate() + datetime.timedelta(days=days))


@pytest.mark.parametrize(
    ("owner_kind", "name_field", "name"),
    [("school", "school_name", "Head of year 9"), ("partner", "partner_name", "CAMHS")],
)
def test_an_action_owned_by_the_school_or_a_partner_saves_with_the_officer_list_left_as_it_was(
    client, world, case, owner_kind, name_field, name
):
    client.force_login(world.neighbourhood)
    url = reverse("referrals:action_create", args=[case.public_id])
    page = client.get(url)
    # The officer select sits inside the officer choice's reveal, the names inside theirs.
    html = page.content.decode()
    assert "govuk-radios__conditional" in html
    response = client.post(
        url,
        {
            "term": "short",
            "description": "Daily check-in with a trusted adult",
            "owner_kind": owner_kind,
            "owner_user": str(case.officer_id),  # the select's default, never cleared
            name_field: name,
            **_due_in(30),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = case.actions.get()
    assert action.owner_kind == owner_kind
    assert action.owner_user is None
    assert action.owner_name == name


def test_an_officer_owned_action_keeps_the_officer(client, world, case):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("referrals:action_create", args=[case.public_id]),
        {
            "term": "short",
            "description": "Home visit",
            "owner_kind": "officer",
            "owner_user": str(case.officer_id),
            "partner_name": "typed then changed their mind",
            **_due_in(30),
        },
    )
    assert response.status_code == 302
    action = case.actions.get()
    assert action.owner_user == case.officer
    assert action.owner_name == ""


def test_a_partner_action_without_a_name_is_refused_and_keeps_what_was_typed(client, world, case):
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("referrals:action_create", args=[case.public_id]),
        {
            "term": "short",
            "description": "Referral to CAMHS",
            "owner_kind": "partner",
            "owner_user": str(case.officer_id),
            **_due_in(30),
        },
    )
    assert response.status_code == 200
    assert "Name the partner agency that owns the action" in response.content.decode()
    assert "Referral to CAMHS" in response.content.decode()
    assert not case.actions.exists()


def test_the_service_refuses_an_officer_owner_on_a_school_action_instead_of_crashing(world, case):
    from referrals import services

    action = services.action_add(
        case=case,
        by=world.neighbourhood,
        term="short",
        description="Check-in",
        owner_kind="school",
        owner_user=world.neighbourhood,
        owner_name="Pastoral lead",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert action.owner_user is None
    assert Action.objects.get(pk=action.pk).owner_name == "Pastoral lead"
