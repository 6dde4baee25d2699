"""Who is told at once of what a school reports or asks: one answer for every app (#18)."""

import datetime

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from schools.models import NamedContact
from schools.staff import people_to_tell, receiving_team

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 5)


def test_the_named_officer_the_cover_and_the_schools_team_sergeant(world):
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    NamedContact.objects.filter(school=school).update(deputy=world.sso)
    told = people_to_tell(school, on=TODAY)
    assert told == [world.neighbourhood, world.sso, world.sergeant]


def test_a_sergeant_who_is_a_member_of_the_team_is_told_once(world):
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    member = UserFactory(
        organisation=world.orgs["police_a"], role=Role.SERGEANT, team=world.teams["npt_a"]
    )
    # The sergeant leads the team and is its member too: once.
    world.sergeant.team = world.teams["npt_a"]
    world.sergeant.save()
    told = people_to_tell(school, on=TODAY)
    assert told.count(world.sergeant) == 1 and member in told
    assert told[0] == world.neighbourhood


def test_a_school_of_no_team_tells_the_safer_schools_teams_sergeants(world):
    school = world.schools["a2"]  # no team, no named contact
    world.sso.role = Role.SERGEANT
    world.sso.save()  # a sergeant in the Safer Schools team
    assert receiving_team(school) == world.teams["sst_a"]
    assert people_to_tell(school, on=TODAY) == [world.sso]


def test_with_no_sergeant_in_the_team_every_sergeant_of_the_force_is_told(world):
    school = world.schools["a1"]  # no team; the Safer Schools team has no sergeant
    told = people_to_tell(school, on=TODAY)
    assert told == [world.neighbourhood, world.sergeant]
    assert world.other_force_sso not in told


def test_people_no_longer_active_and_contacts_out_of_post_are_not_told(world):
    school = world.schools["a1"]
    contact = NamedContact.objects.get(school=school)
    contact.deputy = world.sso
    contact.save()
    world.sso.is_active = False
    world.sso.save()
    assert people_to_tell(school, on=TODAY) == [world.neighbourhood, world.sergeant]
    # Before the contact's first day, only the sergeants.
    before = contact.starts_on - datetime.timedelta(days=1)
    assert people_to_tell(school, on=before) == [world.sergeant]
