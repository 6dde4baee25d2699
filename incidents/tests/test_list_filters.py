"""The incident list's filters (incidents.filters.IncidentFilter): what the dashboards, the
school page and the assessment link with, and bad values ignored, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.tests.factories import IncidentFactory, kind_of

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:list")


def _count(client, query=""):
    page = client.get(LIST + query)
    assert page.status_code == 200, query
    text = page.content.decode()
    start = text.index('role="status">') + len('role="status">')
    return int(text[start:].split()[0])


@pytest.fixture
def incidents(world):
    force, today = world.forces["a"], timezone.localdate()
    a1, a2 = world.schools["a1"], world.schools["a2"]
    a1.team = world.teams["npt_a"]
    a1.save()
    return [
        IncidentFactory(school=a1, reported_by=world.dsl, occurred_on=today),
        IncidentFactory(
            school=a1,
            reported_by=world.dsl,
            kind=kind_of(force, "drugs"),
            place=Incident.Place.JOURNEY,
            occurred_on=today - datetime.timedelta(days=40),
        ),
        IncidentFactory(
            school=a2,
            reported_by=world.other_school_headteacher,
            status=Incident.Status.CLOSED,
            outcome=Incident.Outcome.ADVICE,
            occurred_on=today - datetime.timedelta(days=400),
        ),
    ]


def test_the_police_filter_by_period_kind_place_outcome_team_and_area(client, world, incidents):
    client.force_login(world.manager)
    today = timezone.localdate()
    period = f"?occurred_from={today - datetime.timedelta(days=60)}&occurred_to={today}"
    assert _count(client) == 3
    assert _count(client, period) == 2
    assert _count(client, period + "&kind=drugs") == 1
    assert _count(client, period + "&place=journey") == 1
    assert _count(client, "?outcome=advice") == 1
    assert _count(client, f"?team={world.teams['npt_a'].pk}") == 2
    assert _count(client, f"?team={world.teams['npt_a'].pk}&team={world.teams['sst_a'].pk}") == 2
    assert _count(client, "?la=838") == 3
    assert _count(client, "?period=6m") == 2  # the school page's and the assessment's period
    assert _count(client, "?status=closed") == 1
    # Half a period filters nothing; the chosen period shows as one removable tag.
    assert _count(client, f"?occurred_from={today}") == 3
    page = client.get(LIST + period).content.decode()
    assert "Happened" in page and "Filter incidents" in page


@pytest.mark.parametrize(
    "query",
    [
        "?school=" + "9" * 40,
        "?school=²",
        "?school=abc",
        "?occurred_from=2026-13-45&occurred_to=31/02/2026",
        "?team=abc&team=999999999999999999999",
        "?kind=<script>&place=moon&outcome=NaN&status=nonsense&la=' OR 1=1 --",
        "?period=forever&mine=2",
    ],
)
def test_bad_filter_values_are_ignored(client, world, incidents, query):
    client.force_login(world.sso)
    assert _count(client, query) == 3


def test_the_school_sees_its_own_incidents_with_the_kind_filter_only(client, world, incidents):
    client.force_login(world.dsl)
    page = client.get(LIST).content.decode()
    assert _count(client) == 2
    assert 'name="kind"' in page and 'name="team"' not in page
    assert client.get(LIST + f"?school={world.schools['a2'].pk}").status_code == 404


def test_a_schools_list_keeps_its_school_when_the_filters_are_cleared(client, world, incidents):
    client.force_login(world.sso)
    school = world.schools["a1"]
    page = client.get(LIST + f"?school={school.pk}&kind=drugs").content.decode()
    assert f"Incidents at {school.name}" in page
    assert f'href="?school={school.pk}">Clear filters' in page
    assert _count(client, f"?school={school.pk}&kind=drugs") == 1
