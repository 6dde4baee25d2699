"""Incidents a week at each school over six months: one definition, on the queryset, that the
school page shows and whose list link shows the same incidents; lists at constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident

from .factories import IncidentFactory, IncidentPersonFactory, kind_of

pytestmark = pytest.mark.django_db


def _at(world, school="a1", days_ago=1, key="weapon", **fields):
    return IncidentFactory(
        school=world.schools[school],
        reported_by=world.dsl,
        kind=kind_of(world.forces["a"], key),
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **fields,
    )


def test_per_week_counts_sent_reports_of_the_last_26_weeks(world):
    today = timezone.localdate()
    for days in (0, 10, 181):
        _at(world, days_ago=days)
    _at(world, days_ago=182)  # 26 weeks and a day ago: outside
    _at(world, days_ago=3, status=Incident.Status.DRAFT, sent_at=None)  # not sent
    _at(world, school="a2", days_ago=5)
    school_incidents = Incident.objects.for_school(world.schools["a1"])
    assert school_incidents.per_week(on=today) == Decimal("0.12")  # 3 / 26
    assert Incident.objects.per_week_by_school(on=today) == {
        world.schools["a1"].pk: Decimal("0.12"),
        world.schools["a2"].pk: Decimal("0.04"),
    }


def test_the_school_page_shows_counts_by_kind_and_links_to_the_same_list(client, world):
    for key in ("weapon", "weapon", "drugs"):
        _at(world, key=key)
    _at(world, days_ago=200)
    client.force_login(world.sso)
    page = client.get(world.schools["a1"].get_absolute_url()).content.decode()
    assert "3 incidents in the last 26 weeks" in page and "0.12 a week" in page
    assert "Weapon seized or found" in page and "Drugs seized or found" in page
    url = reverse("incidents:list") + f"?school={world.schools['a1'].pk}&period=6m"
    listed = client.get(url).content.decode()
    assert "3 incidents in the 26 weeks" in listed
    weapons = client.get(url + "&kind=weapon").content.decode()
    assert "2 incidents" in weapons
    # The school's DSL sees the same figure; staff who may not report see no panel.
    client.force_login(world.dsl)
    assert (
        "3 incidents in the last 26 weeks"
        in client.get(world.schools["a1"].get_absolute_url()).content.decode()
    )
    client.force_login(world.school_link)
    assert (
        "incidents in the last 26 weeks"
        not in client.get(world.schools["a1"].get_absolute_url()).content.decode()
    )


def test_the_police_home_page_counts_new_and_acknowledged(client, world):
    _at(world)
    _at(world, status=Incident.Status.ACKNOWLEDGED)
    client.force_login(world.sergeant)
    page = client.get(reverse("home")).content.decode()
    assert "1 new incident" in page and "1 acknowledged" in page


def _grow(world, n):
    for _ in range(n):
        incident = _at(world)
        IncidentPersonFactory(incident=incident)
        _at(world, school="a2")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("sso", "incidents:list"),
        ("manager", "incidents:list"),
        ("dsl", "incidents:list"),
        ("sergeant", "home"),
        ("dsl", "home"),
    ],
)
def test_lists_do_not_grow_queries_with_rows(client, world, who, url, count_queries):
    client.force_login(world.users[who])
    _grow(world, 1)
    client.get(reverse(url))
    few = count_queries(client, reverse(url))
    _grow(world, 30)
    many = count_queries(client, reverse(url))
    assert few == many, f"{url} took {few} queries with few rows and {many} with more"
    assert many <= 12  # benchmarks.pages.MAX_QUERIES


def test_the_school_page_panel_is_constant_too(client, world, count_queries):
    client.force_login(world.sso)
    url = world.schools["a1"].get_absolute_url()
    _grow(world, 1)
    client.get(url)
    few = count_queries(client, url)
    for key in ("drugs", "robbery", "theft"):
        _at(world, key=key)
    _grow(world, 20)
    assert count_queries(client, url) == few
