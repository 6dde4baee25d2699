"""The dashboards count what the other apps hold, in the database, for the viewer's slice."""

import csv
import datetime
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry
from needs_assessment import services
from needs_assessment.models import Assessment
from needs_assessment.panels import promised_engagements
from needs_assessment.tests.factories import approved_assessment
from reporting.figures import engagement, tiers
from reporting.forms import DashboardFilterForm
from reporting.tables import Share, plain, shares
from schools.models import Engagement, School, Term
from schools.tests.factories import NamedContactFactory, SchoolFactory
from tests.matrix import DENIED, EVERYONE, LOGIN, OK, Row, check

pytestmark = pytest.mark.django_db

UNIVERSAL = dict.fromkeys(["location", "attendance", "high_risk", "demographics"], "universal")
ENHANCED = {**UNIVERSAL, "location": "enhanced"}
COMPLEX = {**UNIVERSAL, "high_risk": "complex", "attendance": "complex"}


def approve(school, ratings, world, today=None):
    return approved_assessment(
        school, ratings, by=world.sergeant, approver=world.manager, today=today
    )


def scope_for(user, **data):
    form = DashboardFilterForm(data or None, user=user)
    return form.scope()


def table(tables, key):
    return next(t for t in tables if t.key == key)


def values(row):
    return [plain(cell) for cell in row]


@pytest.mark.parametrize(
    "counts",
    [[74, 20, 7], [1, 1, 1], [0, 0, 5], [2, 1], [333, 333, 334], [1, 0, 0, 0], [17, 3, 9, 1]],
)
def test_shares_are_whole_percentages_that_add_up_to_100(counts):
    result = shares(counts)
    assert [s.count for s in result] == counts
    assert sum(s.percent for s in result) == 100
    for share, count in zip(result, counts, strict=True):
        assert abs(share.percent - count * 100 / sum(counts)) < 1


def test_no_schools_gives_no_percentages():
    assert shares([0, 0]) == [Share(0, 0), Share(0, 0)]


@pytest.fixture
def assessed(world):
    """Force A: 6 more schools in two local authorities, assessed to known tiers."""
    force = world.forces["a"]
    north = [
        SchoolFactory(force=force, la_code="801", la_name="North", team=world.teams["npt_a"])
        for _ in range(4)
    ]
    south = [
        SchoolFactory(force=force, la_code="802", la_name="South", phase="primary")
        for _ in range(2)
    ]
    closed = SchoolFactory(force=force, la_code="801", la_name="North", status=School.Status.CLOSED)
    for school in north[:2]:
        approve(school, UNIVERSAL, world)
    approve(north[2], ENHANCED, world)
    approve(north[3], COMPLEX, world)
    approve(south[0], UNIVERSAL, world)
    approve(closed, COMPLEX, world)
    # Force B's school is assessed too, and must never be counted for force A.
    approve_b = world.other_force_manager
    b_school = world.schools["b1"]
    assessment = services.assessment_start(school=b_school, by=world.other_force_sso)
    services.assessment_save(
        assessment=assessment,
        by=world.other_force_sso,
        ratings={k: (v, "E") for k, v in COMPLEX.items()},
        indicators={},
    )
    services.assessment_submit(assessment=assessment, by=world.other_force_sso)
    services.assessment_approve(assessment=assessment, by=approve_b)
    return {"north": north, "south": south, "closed": closed}


def independent_tier_counts(force):
    """Count each open school's current tier the slow, obvious way."""
    counts = {}
    for school in School.objects.filter(force=force).open():
        current = Assessment.objects.filter(school=school, is_current=True).first()
        name = current.level.name if current else "Not assessed"
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_the_tier_panel_matches_an_independent_count_and_its_shares_add_up(world, assessed):
    tables = tiers.build(scope_for(world.manager))
    by_tier = table(tables, "by_tier")
    got = {values(row)[0]: values(row)[1].count for row in by_tier.rows}
    expected = independent_tier_counts(world.forces["a"])
    assert {k: v for k, v in got.items() if v} == expected
    # Alder, Birch and one southern school are not assessed; the closed school is not counted.
    assert got == {"Universal": 3, "Enhanced": 1, "Complex": 1, "Not assessed": 3}
    assert sum(values(row)[1].percent for row in by_tier.rows) == 100
    assert values(by_tier.footer) == ["All open schools", 8]


def test_the_tier_panel_links_each_figure_to_the_filtered_school_list(client, world, assessed):
    by_tier = table(tiers.build(scope_for(world.manager)), "by_tier")
    complex_cell = by_tier.rows[2][1]
    assert complex_cell.url == reverse("schools:list") + "?tier=complex"
    client.force_login(world.manager)
    response = client.get(complex_cell.url)
    assert [s.name for s in response.context["page"].object_list] == [assessed["north"][3].name]


def test_tiers_by_local_authority_and_phase(world, assessed):
    tables = tiers.build(scope_for(world.manager))
    by_la = {values(r)[0]: values(r)[1:] for r in table(tables, "by_la").rows}
    assert by_la["North"] == [2, 1, 1, 0, 4]
    assert by_la["South"] == [1, 0, 0, 1, 2]
    by_phase = {values(r)[0]: values(r)[-1] for r in table(tables, "by_phase").rows}
    assert by_phase["Primary"] == 3  # Birch Primary and the two southern schools
    north_complex = next(r for r in table(tables, "by_la").rows if r[0] == "North")[3]
    assert "la=801" in north_complex.url and "tier=complex" in north_complex.url


def test_a_local_authority_filter_narrows_every_table(world, assessed):
    tables = tiers.build(scope_for(world.manager, la="802"))
    got = {values(row)[0]: values(row)[1].count for row in table(tables, "by_tier").rows}
    assert got == {"Universal": 1, "Enhanced": 0, "Complex": 0, "Not assessed": 1}


def test_tier_movements_in_the_period(world, assessed):
    school = assessed["north"][2]  # Enhanced
    approve(school, COMPLEX, world)
    approve(assessed["north"][0], UNIVERSAL, world)  # no change: not a movement
    rows = [values(r) for r in table(tiers.build(scope_for(world.manager)), "movements").rows]
    assert ["Enhanced", "Complex", 1, "Up (more need)"] in rows
    assert ["Not assessed", "Universal", 3, "First assessment"] in rows
    assert not any(r[0] == r[1] for r in rows)
    earlier = scope_for(
        world.manager,
        **date_data("start", datetime.date(2000, 1, 1)),
        **date_data("end", datetime.date(2000, 12, 31)),
    )
    assert table(tiers.build(earlier), "movements").rows == []


def test_a_tier_change_links_to_the_schools_that_made_it(client, world, assessed):
    """Issue 15, item 5: a cell of the movements table lists the schools it counts."""
    school = assessed["north"][2]  # Enhanced
    approve(school, COMPLEX, world)
    movements = table(tiers.build(scope_for(world.manager)), "movements")
    cells = {(values(r)[0], values(r)[1]): r[2] for r in movements.rows}
    client.force_login(world.manager)
    for (before, after), expected in [
        (("Enhanced", "Complex"), [school]),
        (("Not assessed", "Enhanced"), [school]),
        (("Not assessed", "Complex"), [assessed["north"][3]]),
    ]:
        response = client.get(cells[before, after].url)
        assert [s.name for s in response.context["page"].object_list] == [expected[0].name]


def test_reviews_overdue_and_due_link_to_the_assessment_table(client, world, assessed):
    today = timezone.localdate()
    current = Assessment.objects.get(school=assessed["north"][0], is_current=True)
    Assessment.objects.filter(pk=current.pk).update(review_due_on=today - timedelta(days=1))
    soon = Assessment.objects.get(school=assessed["north"][1], is_current=True)
    Assessment.objects.filter(pk=soon.pk).update(review_due_on=today + timedelta(days=10))
    due = {values(r)[0]: r[1] for r in table(tiers.build(scope_for(world.manager)), "due").rows}
    assert due["Review overdue"].value == 1
    assert due["Review due within 60 days"].value == 1
    assert due["Never assessed"].value == 3
    client.force_login(world.manager)
    response = client.get(due["Review overdue"].url)
    assert assessed["north"][0].name in response.content.decode()
    assert assessed["north"][1].name not in response.content.decode()


def test_engagement_against_the_promise_matches_a_school_by_school_count(world, assessed):
    force = world.forces["a"]
    today = timezone.localdate()
    term = Term.current_for(force, on=today)
    north = assessed["north"]
    for school, times in ((north[0], 1), (north[1], 0), (north[2], 1), (north[3], 20)):
        for i in range(times):
            Engagement.objects.create(
                school=school,
                officer=world.neighbourhood,
                occurred_on=max(term.starts_on, today - timedelta(days=i % 5)),
                kind=Engagement.Kind.VISIT
                if hasattr(Engagement.Kind, "VISIT")
                else Engagement.Kind.values[0],
                purpose=Engagement.Purpose.values[0],
                duration_minutes=30,
                summary="Visited",
            )
    tables = engagement.build(scope_for(world.manager))
    got = {values(r)[0]: values(r)[1] for r in table(tables, "standing").rows}

    expected = {"met": 0, "behind": 0, "none": 0, "unassessed": 0}
    for school in School.objects.filter(force=force).open():
        promised = promised_engagements(school, term)
        done = Engagement.objects.filter(
            school=school, occurred_on__gte=term.starts_on, occurred_on__lte=today
        ).count()
        if promised is None:
            expected["unassessed"] += 1
        elif done == 0:
            expected["none"] += 1
        elif done >= promised:
            expected["met"] += 1
        else:
            expected["behind"] += 1
    labels = dict(engagement.STANDINGS)
    assert got == {labels[k]: v for k, v in expected.items()}
    assert expected["met"] >= 1 and expected["none"] >= 1


def test_the_school_list_filters_by_engagement_and_team(client, world, assessed):
    client.force_login(world.manager)
    response = client.get(reverse("schools:list"), {"engagement": "none"})
    names = {s.name for s in response.context["page"].object_list}
    assert assessed["north"][0].name in names
    response = client.get(reverse("schools:list"), {"team": world.teams["npt_a"].pk})
    names = {s.name for s in response.context["page"].object_list}
    assert names == {s.name for s in assessed["north"]} | {
        s.name for s in School.objects.filter(team=world.teams["npt_a"]).open()
    }


def test_schools_without_a_named_contact_by_local_authority(world, assessed):
    NamedContactFactory(school=assessed["south"][0], officer=world.neighbourhood)
    rows = {
        values(r)[0]: values(r)[1]
        for r in table(engagement.build(scope_for(world.manager)), "without_contact").rows
    }
    force = world.forces["a"]
    for la_name, count in rows.items():
        schools = School.objects.filter(force=force, la_name=la_name).open()
        assert count == sum(1 for s in schools if not s.named_contacts.exists())
    assert rows["South"] == 1


def test_a_sergeant_sees_only_the_schools_of_the_teams_they_lead(world, assessed):
    got = {
        values(row)[0]: values(row)[1].count
        for row in table(tiers.build(scope_for(world.sergeant)), "by_tier").rows
    }
    in_team = (
        School.objects.filter(force=world.forces["a"], team=world.teams["npt_a"]).open().count()
    )
    assert (
        sum(got.values())
        == in_team
        == 4
        + School.objects.filter(team=world.teams["npt_a"])
        .exclude(pk__in=[s.pk for s in assessed["north"]])
        .open()
        .count()
    )
    # Asking for another team is not possible: the form offers only their own.
    other = scope_for(world.sergeant, team=str(world.teams["sst_a"].pk))
    assert other.team_ids == tuple(t.pk for t in [world.teams["npt_a"]])


def test_the_csv_export_holds_the_table_and_is_logged(client, world, assessed):
    client.force_login(world.manager)
    url = reverse("reporting:export", args=["tiers", "by_la"])
    response = client.get(url, {"la": "801"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Local authority",
        "Universal",
        "Enhanced",
        "Complex",
        "Not assessed",
        "Total",
    ]
    assert rows[1] == ["North", "2", "1", "1", "0", "4"]
    entry = AuditEntry.objects.get(action="reporting.exported")
    assert entry.actor == world.manager
    assert entry.changes["table"] == "by_la" and entry.changes["la"] == "801"


def test_an_unknown_table_or_dashboard_is_not_found(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("reporting:export", args=["tiers", "nope"])).status_code == 404
    assert client.get(reverse("reporting:dashboard", args=["nope"])).status_code == 404


def test_a_period_that_ends_before_it_starts_is_explained(client, world):
    client.force_login(world.manager)
    response = client.get(
        reverse("reporting:dashboard", args=["tiers"]),
        {
            **date_data("start", datetime.date(2026, 5, 1)),
            **date_data("end", datetime.date(2026, 1, 1)),
        },
    )
    html = response.content.decode()
    assert "The end of the period must be on or after its start." in html
    assert 'name="start_0" value="1"' in html and 'name="start_1" value="5"' in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("30", "2", "2026"), "From must be a real date"),
        (("1", "", "2026"), "From must include a month"),
        (("1", "2", "26"), "Year must include 4 numbers"),
        (("first", "of", "may"), "From must be a real date"),
    ],
)
def test_a_bad_dashboard_date_is_explained_and_kept(client, world, typed, message):
    """The period is asked in day, month and year boxes; a bad date never gives a 500."""
    client.force_login(world.manager)
    query = {f"start_{index}": part for index, part in enumerate(typed)}
    response = client.get(reverse("reporting:dashboard", args=["tiers"]), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="govuk-date-input"' in html and 'type="date"' not in html
    for index, part in enumerate(typed):
        if part:
            assert f'name="start_{index}" value="{part}"' in html
    export = client.get(reverse("reporting:export", args=["tiers", "by_tier"]), query)
    assert export.status_code == 200  # the export falls back to the default period


POLICING = ("manager", "sergeant", "other_force_manager")
FIRST_TABLE = {
    "tiers": "by_tier",
    "engagement": "without_contact",
    "agreements": "coverage",
    "referrals": "open_by_risk",
    "incidents": "incidents_by_kind",
    "education": "delivered_by_topic",
    "partnership": "levels_agreed",
}


@pytest.mark.parametrize("section", list(FIRST_TABLE))
def test_dashboard_permissions(client, world, section):
    allowed = POLICING + (("coordinator",) if section == "education" else ())
    everyone = (*EVERYONE, "other_force_manager")
    for url in (
        reverse("reporting:dashboard", args=[section]),
        reverse("reporting:export", args=[section, FIRST_TABLE[section]]),
    ):
        rows = [Row("anonymous", "GET", url, LOGIN)]
        rows += [Row(who, "GET", url, OK if who in allowed else DENIED) for who in everyone]
        check(client, world, rows)


def test_every_dashboard_is_in_the_permission_rows():
    from reporting.sections import SECTIONS

    assert [s.key for s in SECTIONS] == list(FIRST_TABLE)


def test_the_dashboard_index_sends_each_role_to_its_first_dashboard(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("reporting:dashboards"))
    assert response["Location"] == reverse("reporting:dashboard", args=["tiers"])
    allowed = (*POLICING, "coordinator")
    rows = [Row("anonymous", "GET", reverse("reporting:dashboards"), LOGIN)]
    rows += [
        Row(who, "GET", reverse("reporting:dashboards"), "redirect" if who in allowed else DENIED)
        for who in (*EVERYONE, "other_force_manager")
    ]
    check(client, world, rows)


def test_another_forces_manager_counts_only_their_own_force(world, assessed):
    got = {
        values(row)[0]: values(row)[1].count
        for row in table(tiers.build(scope_for(world.other_force_manager)), "by_tier").rows
    }
    assert got == {"Universal": 0, "Enhanced": 0, "Complex": 1, "Not assessed": 0}


def grow_casework_and_bookings(world, school, i):
    """One more case (with a referral, log entry and action) and one delivered, rated booking."""
    from bookings.models import DemandRequest, Evaluation, Topic
    from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
    from referrals.models import Action
    from referrals.tests.conftest import make_case

    case = make_case(world, school=school, risk_level=["high", "medium", "low"][i % 3])
    Action.objects.create(
        case=case,
        term=Action.Term.SHORT,
        description="Check in",
        owner_kind=Action.OwnerKind.values[0],
        owner_user=world.neighbourhood,
        due_on=timezone.localdate(),
        next_review_on=timezone.localdate() - timedelta(days=1),
        created_by=world.neighbourhood,
    )
    topics = list(Topic.objects.filter(force=world.forces["a"]))
    session = SessionFactory(provider=world.orgs["partner_a"], topic=topics[i % len(topics)])
    booking = BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(-2), ends_at=in_days(-2, hour=11)),
        school=school,
        booked_by=world.school_link,
    )
    Evaluation.objects.create(
        booking=booking, given_by=world.school_link, delivered=True, usefulness=1 + i % 5
    )
    DemandRequest.objects.create(
        school=school, requested_by=world.school_link, other_topic=f"Topic {i}", year_groups=",7,"
    )


@pytest.mark.parametrize("section", list(FIRST_TABLE))
def test_dashboards_cost_the_same_queries_at_1_and_40_schools(
    client, world, section, count_queries
):
    client.force_login(world.manager)
    url = reverse("reporting:dashboard", args=[section])
    count_queries(client, url)  # the first request warms per-process caches (content types, terms)
    few = count_queries(client, url)
    force = world.forces["a"]
    for i in range(40):
        school = SchoolFactory(
            force=force, la_code=f"9{i % 5:02d}", la_name=f"LA {i % 5}", team=world.teams["npt_a"]
        )
        NamedContactFactory(school=school, officer=world.neighbourhood)
        if i % 4 == 0:
            approve(school, [UNIVERSAL, ENHANCED, COMPLEX][i % 3], world)
        grow_casework_and_bookings(world, school, i)
    many = count_queries(client, url)
    assert few == many
    assert many <= 12


def test_the_csv_export_neutralises_formulas_from_gias_names(client, world, assessed):
    School.objects.filter(la_code="801").update(la_name='=HYPERLINK("http://evil.test","x")')
    client.force_login(world.manager)
    response = client.get(reverse("reporting:export", args=["tiers", "by_la"]), {"la": "801"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.test","x")'
    assert rows[1][1:] == ["2", "1", "1", "0", "4"]
