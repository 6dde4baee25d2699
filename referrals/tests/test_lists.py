"""The case list and the referrals behind a dashboard figure: filters from the dashboards'
links (ids and codes), several teams at once for a sergeant who leads them, filters shown as
removable tags."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory

from .conftest import make_case

pytestmark = pytest.mark.django_db

CASES = reverse("referrals:case_list")
INBOX = reverse("referrals:inbox")


def _count(client, url, params):
    html = client.get(url, params).content.decode()
    return int(re.search(r'role="status">\s*(\d+) ', html).group(1)), html


@pytest.fixture
def three_teams(world):
    """An open case in each of North NPT, Safer Schools and East NPT."""
    east = TeamFactory(force=world.forces["a"], name="East NPT")
    east_officer = UserFactory(
        organisation=world.orgs["police_a"], role=Role.NEIGHBOURHOOD_OFFICER, team=east
    )
    cases = {
        "north": make_case(world),
        "safer": make_case(world, officer=world.sso, risk_level="high"),
        "east": make_case(world, officer=east_officer, risk_level="low"),
    }
    return world.teams["npt_a"], world.teams["sst_a"], east, cases


def test_the_case_list_takes_several_teams(client, world, three_teams):
    north, safer, east, cases = three_teams
    client.force_login(world.manager)
    assert _count(client, CASES, {})[0] == 3
    count, html = _count(client, CASES, {"team": [north.pk, safer.pk]})
    assert count == 2
    assert cases["north"].young_person.full_name in html
    assert cases["east"].young_person.full_name not in html
    assert "Remove this filter:</span> North NPT</a>" in html
    assert f'href="?team={safer.pk}&amp;status=open"' in html  # removes North NPT only
    assert _count(client, CASES, {"team": [east.pk]})[0] == 1
    assert _count(client, CASES, {"team": [north.pk, safer.pk], "risk": "high"})[0] == 1
    assert _count(client, CASES, {"risk": ["high", "low"]})[0] == 2
    assert _count(client, CASES, {"risk": "nonsense"})[0] == 3  # ignored, never an error


def test_the_case_list_keeps_every_filter_the_dashboards_link_with(client, world, three_teams):
    north, safer, east, cases = three_teams
    client.force_login(world.manager)
    officer = cases["north"].officer_id
    assert _count(client, CASES, {"officer": officer})[0] == 1
    assert _count(client, CASES, {"officer": "none"})[0] == 0
    school = world.schools["a1"]
    assert _count(client, CASES, {"la": school.la_code})[0] == 3
    assert _count(client, CASES, {"actions": "open"})[0] == 0
    assert _count(client, CASES, {"review": "overdue"})[0] == 0
    today = timezone.localdate().isoformat()
    closed = {"status": "closed", "closed_from": today, "closed_to": today}
    assert _count(client, CASES, closed)[0] == 0
    assert _count(client, CASES, {"status": "all"})[0] == 3
    client.force_login(world.neighbourhood)
    assert _count(client, CASES, {"mine": "on"})[0] == 1


def test_the_referrals_behind_a_figure_take_several_teams(client, world, three_teams):
    north, safer, east, cases = three_teams
    client.force_login(world.manager)
    today = timezone.localdate().isoformat()
    period = {"received_from": today, "received_to": today}
    count, html = _count(client, INBOX, {**period, "team": [north.pk, safer.pk]})
    assert count == 2 and "Remove this filter:</span> Safer Schools</a>" in html
    assert "Received</h3>" in html and "Received from" not in html  # the period: one tag
    assert (
        f'href="?team={north.pk}&amp;team={safer.pk}"><span class="govuk-visually-hidden">Remove this filter:</span> {timezone.localdate():%-d %b %Y} to '
        in html
    )
    assert _count(client, INBOX, {**period, "team": [east.pk]})[0] == 1
    assert _count(client, INBOX, period)[0] == 3
    assert _count(client, INBOX, {**period, "source": "school", "decision": "accepted"})[0] == 3


def test_a_filtered_case_list_costs_the_same_with_many_cases(client, world, count_queries):
    from .test_query_counts import MAX_QUERIES, _grow

    north, safer = world.teams["npt_a"], world.teams["sst_a"]
    url = f"{CASES}?team={north.pk}&team={safer.pk}&risk=high&risk=medium&officer=none&actions=open"
    client.force_login(world.manager)
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url, cold=False)
    _grow(world, 30)
    assert count_queries(client, url, cold=False) == few <= MAX_QUERIES
