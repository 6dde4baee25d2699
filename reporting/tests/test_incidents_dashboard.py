"""The incidents dashboard (#18 item 6): incidents by kind and period, where they happened,
where they stand and their outcomes, each figure linking to the incident list of that many."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from incidents.models import Incident
from incidents.tests.factories import IncidentFactory, kind_of
from reporting.figures import incidents as figures
from reporting.scope import Scope
from reporting.tables import plain
from reporting.tests.test_figures_match_lists import COUNT, Figures, listed
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = datetime.date(TODAY.year if TODAY.month >= 9 else TODAY.year - 1, 9, 1)


def _days_ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def reported(world):
    """Incidents at force A's schools in this school year, the year before and a draft; one
    at force B."""
    force = world.forces["a"]
    north = world.schools["a1"]
    north.team = world.teams["npt_a"]
    north.save()
    other = world.schools["a2"]  # no team, another local authority
    other.la_code, other.la_name = "839", "Bournemouth"
    other.save()
    in_period = (TODAY - START).days
    made = [
        IncidentFactory(school=north, reported_by=world.dsl, kind=kind_of(force, "weapon")),
        IncidentFactory(
            school=north,
            reported_by=world.dsl,
            kind=kind_of(force, "drugs"),
            place=Incident.Place.JOURNEY,
            status=Incident.Status.ACKNOWLEDGED,
        ),
        IncidentFactory(
            school=other,
            reported_by=world.other_school_headteacher,
            kind=kind_of(force, "weapon"),
            status=Incident.Status.CLOSED,
            outcome=Incident.Outcome.CRIME_RECORDED,
            crime_reference="55/1234/26",
            occurred_on=START,
        ),
        # The period before (the same length, just before 1 September).
        IncidentFactory(
            school=north,
            reported_by=world.dsl,
            kind=kind_of(force, "weapon"),
            occurred_on=START - datetime.timedelta(days=max(1, in_period // 2)),
        ),
        # A draft is not counted, nor another force's incident.
        IncidentFactory(
            school=north,
            reported_by=world.dsl,
            status=Incident.Status.DRAFT,
            sent_at=None,
        ),
        IncidentFactory(
            school=world.schools["b1"],
            reported_by=world.other_force_headteacher,
        ),
    ]
    return made


def _table(tables, key):
    return next(table for table in tables if table.key == key)


def _rows(table):
    return {plain(row[0]): [plain(cell) for cell in row[1:]] for row in table.rows}


def test_the_figures_count_by_kind_period_place_status_and_outcome(world, reported):
    tables = figures.build(Scope(world.manager, START, TODAY, today=TODAY))
    by_kind = _rows(_table(tables, "incidents_by_kind"))
    weapon, drugs = (kind_of(world.forces["a"], key).name for key in ("weapon", "drugs"))
    assert by_kind[weapon] == [2, 1] and by_kind[drugs] == [1, 0]
    footer = _table(tables, "incidents_by_kind").footer
    assert [plain(cell) for cell in footer[1:]] == [3, 1]
    places = _rows(_table(tables, "incidents_by_place"))
    assert places["In school"] == [2] and places["On the way to or from school"] == [1]
    stand = _rows(_table(tables, "incidents_by_status"))
    assert [value for [value] in stand.values()] == [1, 1, 1]
    outcomes = _rows(_table(tables, "incidents_by_outcome"))
    assert outcomes["Crime recorded"] == [1] and outcomes["Advice given"] == [0]


def test_a_slice_by_team_or_area_narrows_every_figure(world, reported):
    team = Scope(world.sergeant, START, TODAY, team_ids=(world.teams["npt_a"].pk,), today=TODAY)
    footer = _table(figures.build(team), "incidents_by_kind").footer
    assert [plain(cell) for cell in footer[1:]] == [2, 1]
    area = Scope(world.manager, START, TODAY, la="839", today=TODAY)
    footer = _table(figures.build(area), "incidents_by_kind").footer
    assert [plain(cell) for cell in footer[1:]] == [1, 0]
    assert figures.headlines(area) == [
        ("Incidents reported", 1),
        ("Incidents waiting for acknowledgement", 0),
        ("Incidents with an outcome", 1),
    ]


def _walk(client, user, url):
    """Return [(where, figure, count the list shows)] for every count linked on the page."""
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    found = Figures()
    found.feed(page.content.decode())
    checked = []
    for table, column, text, link in found.cells:
        number = COUNT.match(text)
        if not number:
            continue
        assert link, f"{table} › {column} ({text}) links to no list"
        checked.append((f"{table} › {column}", int(number.group(1)), listed(client, link)))
    return checked


def test_every_incident_figure_links_to_a_list_of_that_many(client, world, reported):
    url = reverse("reporting:dashboard", args=["incidents"])
    checked = _walk(client, world.manager, url)
    assert len(checked) > 10 and sum(figure for _, figure, _ in checked) > 0
    wrong = [item for item in checked if item[1] != item[2]]
    assert not wrong
    # The area filter travels with the links.
    checked = _walk(client, world.manager, url + "?la=839")
    assert not [item for item in checked if item[1] != item[2]]
    assert any(figure for _, figure, _ in checked)


def test_a_sergeant_of_two_teams_opens_lists_of_the_same_counts(client, world, reported):
    second = TeamFactory(force=world.forces["a"], sergeant=world.sergeant)
    school = SchoolFactory(force=world.forces["a"], team=second, la_code="838")
    IncidentFactory(school=school, reported_by=world.other_school_headteacher)
    client.force_login(world.sergeant)
    page = client.get(reverse("reporting:dashboard", args=["incidents"])).content.decode()
    assert f"team={world.teams['npt_a'].pk}" in page and f"team={second.pk}" in page
    checked = _walk(client, world.sergeant, reverse("reporting:dashboard", args=["incidents"]))
    assert not [item for item in checked if item[1] != item[2]]
    assert any(figure == 3 for _, figure, _ in checked)  # the two teams' incidents
    tables = figures.build(
        Scope(world.sergeant, START, TODAY, team_ids=(world.teams["npt_a"].pk, second.pk))
    )
    assert plain(_table(tables, "incidents_by_kind").footer[1]) == 3


def test_a_figure_is_plain_text_for_a_reader_who_may_not_open_the_list(world, reported):
    scope = Scope(world.coordinator, START, TODAY, today=TODAY)
    assert scope.link(3, "incidents:list") == 3


def test_the_incidents_dashboard_costs_the_same_queries_as_incidents_grow(
    client, world, reported, count_queries
):
    client.force_login(world.manager)
    url = reverse("reporting:dashboard", args=["incidents"])
    count_queries(client, url)
    few = count_queries(client, url)
    for i in range(30):
        school = SchoolFactory(force=world.forces["a"], team=world.teams["npt_a"])
        IncidentFactory(
            school=school,
            reported_by=world.other_school_headteacher,
            kind=kind_of(world.forces["a"], ("weapon", "drugs", "robbery")[i % 3]),
            occurred_on=_days_ago(i % 60),
        )
    assert count_queries(client, url) == few <= 12


def test_a_new_incident_clears_the_cached_figures(client, world, reported):
    client.force_login(world.manager)
    url = reverse("reporting:dashboard", args=["incidents"])
    before = _walk(client, world.manager, url)
    IncidentFactory(school=world.schools["a1"], reported_by=world.dsl, occurred_on=TODAY)
    after = _walk(client, world.manager, url)
    total = {where: figure for where, figure, _ in before}
    assert sum(f for _, f, _ in after) > sum(total.values())
