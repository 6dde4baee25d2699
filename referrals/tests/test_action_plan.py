"""Adding an action to a case's plan: whoever owns it, the first submit works."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import OutboxEmail
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
    assert (
        "Choose who at the partner agency owns the action, or name the partner agency"
        in response.content.decode()
    )
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


# ---------------------------------------------------------------------------- owners who are people


def _post_action(client, case, **answers):
    return client.post(
        reverse("referrals:action_create", args=[case.public_id]),
        {
            "term": "short",
            "description": "Weekly check-in with a trusted adult",
            **_due_in(30),
            **answers,
        },
    )


def test_the_owner_is_chosen_from_the_forces_people_never_another_forces(client, world, case):
    from referrals.tests.factories import agency_worker

    inactive = agency_worker(world, "gone", name="Early Help East")
    inactive.is_active = False
    inactive.save()
    client.force_login(world.neighbourhood)
    html = client.get(reverse("referrals:action_create", args=[case.public_id])).content.decode()
    # The young person's school's staff, the force's partner agencies' people, the officers.
    for person in (world.dsl, world.headteacher, world.school_link, world.agency):
        assert f'value="{person.pk}"' in html, person
    assert "Dorset Youth Justice Service" in html and "Alder Academy" in html
    # Not another school's staff, another force's people, providers, or closed accounts.
    for person in (
        world.other_school_dsl,
        world.other_force_agency,
        world.other_force_headteacher,
        world.other_force_sso,
        world.partner,
        inactive,
    ):
        assert f'value="{person.pk}"' not in html, person


@pytest.mark.parametrize(
    ("owner_kind", "field", "who", "organisation"),
    [
        ("school", "school_person", "dsl", "Alder Academy"),
        ("partner", "partner_person", "agency", "Dorset Youth Justice Service"),
    ],
)
def test_an_action_owned_by_a_person_reaches_their_list_and_their_reminder(
    client, world, case, owner_kind, field, who, organisation
):
    from referrals.panel_services import send_owner_review_reminders

    owner = world.users[who]
    client.force_login(world.neighbourhood)
    response = _post_action(
        client,
        case,
        owner_kind=owner_kind,
        owner_user=str(case.officer_id),  # the officer select's default, never cleared
        **{field: str(owner.pk)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = case.actions.get()
    assert (action.owner_kind, action.owner_user, action.owner_name) == (
        owner_kind,
        owner,
        organisation,
    )
    client.force_login(owner)
    mine = client.get(reverse("referrals:my_actions")).content.decode()
    assert "Weekly check-in with a trusted adult" in mine and case.reference in mine
    assert case.young_person.first_name not in mine
    # The monthly review reminds the owner, once.
    assert send_owner_review_reminders(today=action.next_review_on) == 1
    assert send_owner_review_reminders(today=action.next_review_on) == 0
    assert OutboxEmail.objects.filter(
        to=owner.email, subject="Monthly review due: an action you own"
    ).exists()


NOT_THE_SCHOOLS = "Choose a person of the young person&#x27;s school"
NOT_AN_AGENCYS = "Choose a person of one of your force&#x27;s partner agencies"


@pytest.mark.parametrize(
    ("owner_kind", "field", "posted", "field_error"),
    [
        ("partner", "partner_person", "other_force_agency", NOT_AN_AGENCYS),
        ("partner", "partner_person", "dsl", NOT_AN_AGENCYS),
        ("school", "school_person", "other_school_dsl", NOT_THE_SCHOOLS),
        ("school", "school_person", "other_force_headteacher", NOT_THE_SCHOOLS),
        ("school", "school_person", "not-a-number", NOT_THE_SCHOOLS),
        ("officer", "owner_user", "other_force_sso", "Choose an active officer of your force"),
        ("school", "school_person", "", "Choose who at the school owns the action, or name them"),
    ],
)
def test_an_owner_posted_by_hand_from_elsewhere_is_a_form_error(
    client, world, case, owner_kind, field, posted, field_error
):
    person = world.users.get(posted)
    answers = {"owner_kind": owner_kind, field: str(person.pk) if person else posted}
    client.force_login(world.neighbourhood)
    response = _post_action(client, case, **answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error in html
    assert "Weekly check-in with a trusted adult" in html  # what was typed stays
    assert not case.actions.exists()


def test_a_person_chosen_wins_over_a_name_typed_and_a_case_without_a_school_offers_names_only(
    client, world
):
    from referrals.tests.conftest import make_case

    case = make_case(world)
    client.force_login(world.neighbourhood)
    _post_action(
        client,
        case,
        owner_kind="school",
        school_person=str(world.dsl.pk),
        school_name="Head of year 9",
    )
    assert case.actions.get().owner_user == world.dsl

    no_school = make_case(world)
    no_school.young_person.school = None
    no_school.young_person.save()
    html = client.get(
        reverse("referrals:action_create", args=[no_school.public_id])
    ).content.decode()
    assert f'value="{world.dsl.pk}"' not in html
    response = _post_action(client, no_school, owner_kind="school", school_name="Head of year 9")
    assert response.status_code == 302
    assert no_school.actions.get().owner_name == "Head of year 9"
