"""Who countersigns for the sergeant: the sergeants of the named officer's team, or any
sergeant of the force when that team has none. The rule, the email and the page agree."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from agreements import services
from agreements.models import Agreement, AgreementSettings
from schools.models import NamedContact

from .conftest import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def countersigned(world):
    """The force has the officer sign first, then a sergeant countersign."""
    AgreementSettings.objects.filter(force=world.forces["a"]).update(
        signing_order="police_first", sergeant_countersigns=True
    )
    return world


@pytest.fixture
def other_team_sergeant(world):
    """A sergeant of the force's Safer Schools team, not of North NPT."""
    return UserFactory(
        email="sst-sergeant@example.org",
        full_name="Sam Other",
        organisation=world.orgs["police_a"],
        role=Role.SERGEANT,
        team=world.teams["sst_a"],
    )


def _signed_by_the_officer(world, officer, django_capture_on_commit_callbacks):
    agreement = services.agreement_prepare(school=world.schools["a1"], by=officer)
    services.agreement_send(agreement=agreement, by=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, officer)
    agreement.refresh_from_db()
    assert agreement.awaiting_party == Agreement.Party.SERGEANT
    return agreement


def test_only_the_officers_team_sergeant_is_asked_and_may_countersign(
    countersigned, other_team_sergeant, client, django_capture_on_commit_callbacks
):
    world = countersigned
    agreement = _signed_by_the_officer(
        world, world.neighbourhood, django_capture_on_commit_callbacks
    )
    # The email goes to North NPT's sergeant only, and says who countersigns.
    assert [m.to for m in mail.outbox] == [[world.sergeant.email]]
    assert mail.outbox[0].subject.startswith("Please countersign")
    assert "countersigned by a sergeant of North NPT" in mail.outbox[0].body

    # A sergeant of another team is neither offered the signature nor allowed it.
    client.force_login(other_team_sergeant)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "To be countersigned by a sergeant of North NPT" in page
    assert "Read and sign" not in page
    assert client.get(reverse("agreements:sign", args=[agreement.pk])).status_code == 403
    with pytest.raises(ValidationError):
        sign(agreement, other_team_sergeant)

    # The team's sergeant is offered it and signs.
    client.force_login(world.sergeant)
    assert "Read and sign" in client.get(agreement.get_absolute_url()).content.decode()
    assert client.get(reverse("agreements:sign", args=[agreement.pk])).status_code == 200
    sign(agreement, world.sergeant)
    agreement.refresh_from_db()
    assert agreement.awaiting_party == Agreement.Party.SCHOOL
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "To be countersigned" not in page


def test_a_sergeant_who_belongs_to_the_team_may_countersign_too(
    countersigned, django_capture_on_commit_callbacks
):
    world = countersigned
    second = UserFactory(
        email="npt-sergeant-2@example.org",
        organisation=world.orgs["police_a"],
        role=Role.SERGEANT,
        team=world.teams["npt_a"],
    )
    agreement = _signed_by_the_officer(
        world, world.neighbourhood, django_capture_on_commit_callbacks
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.sergeant.email, second.email])
    sign(agreement, second)
    agreement.refresh_from_db()
    assert agreement.awaiting_party == Agreement.Party.SCHOOL


def test_when_the_officers_team_has_no_sergeant_any_sergeant_of_the_force_countersigns(
    countersigned, other_team_sergeant, client, django_capture_on_commit_callbacks
):
    world = countersigned
    # The Safer Schools officer's team has no sergeant of its own... until one joins it.
    other_team_sergeant.team = world.teams["npt_a"]
    other_team_sergeant.save()
    NamedContact.objects.filter(school=world.schools["a1"]).update(officer=world.sso)
    agreement = _signed_by_the_officer(world, world.sso, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.sergeant.email, other_team_sergeant.email]
    )
    assert "countersigned by a sergeant of Dorset Police" in mail.outbox[0].body
    client.force_login(other_team_sergeant)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "To be countersigned by a sergeant of Dorset Police" in page
    assert "Read and sign" in page
    # No sergeant of another force, though.
    other_force_sergeant = UserFactory(
        organisation=world.orgs["police_b"], role=Role.SERGEANT, team=world.teams["npt_b"]
    )
    with pytest.raises(ValidationError):
        sign(agreement, other_force_sergeant)
    sign(agreement, other_team_sergeant)
    agreement.refresh_from_db()
    assert agreement.awaiting_party == Agreement.Party.SCHOOL


def test_the_named_officer_never_countersigns_their_own_agreement(
    countersigned, django_capture_on_commit_callbacks
):
    world = countersigned
    # The sergeant is the school's named contact and signs as the officer: the countersignature
    # falls to another sergeant (here none in North NPT, so any of the force).
    NamedContact.objects.filter(school=world.schools["a1"]).update(officer=world.sergeant)
    third = UserFactory(organisation=world.orgs["police_a"], role=Role.SERGEANT)
    agreement = _signed_by_the_officer(world, world.sergeant, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[third.email]]
    with pytest.raises(ValidationError):
        sign(agreement, world.sergeant)
    sign(agreement, third)


def test_an_agreement_nobody_could_countersign_is_not_sent(countersigned):
    world = countersigned
    # The force's only sergeant is the officer who signs for the police.
    NamedContact.objects.filter(school=world.schools["a1"]).update(officer=world.sergeant)
    agreement = services.agreement_prepare(school=world.schools["a1"], by=world.sergeant)
    with pytest.raises(ValidationError, match="Nobody can countersign"):
        services.agreement_send(agreement=agreement, by=world.sergeant)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT
