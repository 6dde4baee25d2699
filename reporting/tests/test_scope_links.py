"""A figure links to its list with the whole slice (every team), and only when the reader may
open that list (issue 15, item 5: a sergeant of several teams)."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory
from reporting.scope import Scope
from reporting.tables import Cell, link

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 9, 1), datetime.date(2026, 12, 1)


def test_a_link_repeats_each_team_of_the_slice(world):
    other = TeamFactory(force=world.forces["a"], sergeant=world.sergeant)
    teams = (world.teams["npt_a"].pk, other.pk)
    scope = Scope(world.sergeant, START, END, "839", teams, END)
    assert scope.list_query() == {"la": "839", "team": [str(pk) for pk in teams]}
    cell = scope.link(4, "schools:list", tier="complex", **scope.list_query())
    assert cell.url == (
        reverse("schools:list") + f"?tier=complex&la=839&team={teams[0]}&team={teams[1]}"
    )
    assert Scope(world.manager, START, END, "", (), END).list_query() == {}


def test_an_empty_list_of_values_adds_nothing_to_a_link():
    assert link(1, "schools:list", team=[], la="").url == reverse("schools:list")


@pytest.mark.parametrize(
    ("who", "url_name", "linked"),
    [
        ("manager", "bookings:booking_list", True),
        ("manager", "bookings:demand_list", True),
        ("manager", "bookings:date_list", True),
        ("sergeant", "bookings:demand_list", False),
        ("sergeant", "bookings:date_list", False),
        ("sergeant", "schools:list", True),
        ("sergeant", "needs_assessment:assessment_table", True),
        ("coordinator", "bookings:demand_list", True),
        ("coordinator", "referrals:case_list", False),
        ("manager", "localcrime:map", True),
        ("sergeant", "localcrime:map", True),
        ("coordinator", "localcrime:map", True),
        ("dsl", "localcrime:map", False),
        ("manager", "incidents:list", True),
        ("sergeant", "incidents:list", True),
        ("coordinator", "incidents:list", False),
        ("admin", "incidents:list", False),
    ],
)
def test_a_figure_is_plain_text_when_the_reader_may_not_open_its_list(
    client, world, who, url_name, linked
):
    user = world.users[who]
    scope = Scope(user, START, END, "", (), END)
    cell = scope.link(7, url_name)
    assert isinstance(cell, Cell) is linked
    if linked:
        client.force_login(user)
        assert client.get(cell.url).status_code == 200
    else:
        assert cell == 7
        assert not user.has_perm(scope_permission(url_name))


def scope_permission(url_name):
    from reporting.scope import LIST_PERMISSIONS

    return LIST_PERMISSIONS[url_name]


def test_the_education_dashboard_links_a_sergeant_to_no_list_they_may_not_open(client, world):
    from bookings.tests.factories import SessionFactory, SlotFactory, in_days

    session = SessionFactory(provider=world.orgs["partner_a"])
    SlotFactory(session=session, starts_at=in_days(-3), ends_at=in_days(-3, hour=11))
    client.force_login(world.sergeant)
    html = client.get(reverse("reporting:dashboard", args=["education"])).content.decode()
    for url_name in ("bookings:booking_list", "bookings:demand_list", "bookings:date_list"):
        assert f'href="{reverse(url_name)}' not in html, url_name
    client.force_login(world.manager)
    html = client.get(reverse("reporting:dashboard", args=["education"])).content.decode()
    assert f'href="{reverse("bookings:date_list")}' in html
