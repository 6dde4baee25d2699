"""visible_to: each person sees their force, or only their own organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Invitation, Organisation, User
from schools.models import School

pytestmark = pytest.mark.django_db


def test_police_see_their_whole_force_and_nothing_of_another(world):
    people = set(User.objects.visible_to(world.sso))
    assert world.headteacher in people and world.partner in people
    assert not {world.other_force_admin, world.other_force_headteacher} & people
    assert set(School.objects.visible_to(world.sso)) == {world.schools["a1"], world.schools["a2"]}
    assert world.orgs["police_b"] not in Organisation.objects.visible_to(world.manager)


def test_school_staff_see_only_their_own_school(world):
    assert set(School.objects.visible_to(world.dsl)) == {world.schools["a1"]}
    assert set(User.objects.visible_to(world.headteacher)) == {
        world.headteacher,
        world.dsl,
        world.school_link,
    }
    assert list(Organisation.objects.visible_to(world.dsl)) == [world.schools["a1"].organisation]


def test_partners_see_no_schools_and_only_their_colleagues(world):
    assert not School.objects.visible_to(world.partner).exists()
    assert set(User.objects.visible_to(world.partner)) == {world.partner}


def test_disabled_and_anonymous_users_see_nothing(world):
    world.manager.is_active = False
    for user in (AnonymousUser(), world.manager):
        assert not User.objects.visible_to(user).exists()
        assert not School.objects.visible_to(user).exists()
        assert not Invitation.objects.visible_to(user).exists()


def test_a_force_coordinator_sees_the_force_schools(world):
    assert School.objects.visible_to(world.coordinator).count() == 2
