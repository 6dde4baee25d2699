"""A sergeant's lists and dashboards cover the teams they lead and the team they belong to."""

import pytest

from accounts.models import Role, Team
from accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from schools.models import School
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_sergeant_covers_the_teams_they_lead_and_their_own_team_and_those_schools():
    police = OrganisationFactory()
    force = police.force
    own, led, other = (TeamFactory(force=force) for _ in range(3))
    sergeant = UserFactory(organisation=police, role=Role.SERGEANT, team=own, mfa=False)
    led.sergeant = sergeant
    led.save()
    elsewhere = TeamFactory()
    elsewhere.sergeant = sergeant  # a stray row in another force counts for nothing
    elsewhere.save()
    schools = {team: SchoolFactory(force=team.force, team=team) for team in (own, led, other)}
    SchoolFactory(force=force)  # no team

    assert set(Team.objects.led_by(sergeant)) == {own, led}
    assert set(School.objects.led_by(sergeant)) == {schools[own], schools[led]}

    sergeant.team = None
    assert set(Team.objects.led_by(sergeant)) == {led}
    assert set(School.objects.led_by(sergeant)) == {schools[led]}
