"""The referrals dashboard counts casework through the services, with no personal data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Action, Case, Referral
from reporting.figures import referrals as figures

from .test_dashboards import scope_for, table, values

pytestmark = pytest.mark.django_db


def refer(world, first, thresholds, *, source="school", by=None):
    by = by or world.dsl
    return services.referral_receive(
        by=by,
        first_name=first,
        last_name="Testcase",
        date_of_birth=date(2012, 3, 4),
        thresholds=thresholds,
        source=source,
        concern="Seen with older youths after school.",
        school=world.schools["a1"],
        mash_referral_made=source == "school",
        mash_reference="MASH-9" if source == "school" else "",
    )


@pytest.fixture
def casework(world):
    team = world.teams["npt_a"]
    high = refer(world, "Alex", ["exploitation", "high_harm"])
    medium = refer(world, "Billie", ["behaviour"])
    declined = refer(world, "Casey", ["exclusion"])
    refer(world, "Dana", ["exploitation"], source="proactive", by=world.sso)  # waits
    case_high = services.referral_accept(
        referral=high, by=world.sergeant, risk_level="high", team=team, officer=world.neighbourhood
    )
    case_medium = services.referral_accept(
        referral=medium,
        by=world.sergeant,
        risk_level="medium",
        team=team,
        officer=world.neighbourhood,
    )
    services.referral_decline(
        referral=declined, by=world.sergeant, reason="Below threshold", signposted_to="Early help"
    )
    services.case_close(
        case=case_medium, by=world.sergeant, outcome=Case.Outcome.values[0], summary="Engaged well."
    )
    action = services.action_add(
        case=case_high,
        by=world.neighbourhood,
        term=Action.Term.SHORT,
        description="Weekly check-in with the DSL",
        owner_kind=Action.OwnerKind.values[0],
        owner_user=world.neighbourhood,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    Action.objects.filter(pk=action.pk).update(
        next_review_on=timezone.localdate() - timedelta(days=2)
    )
    return {"high": case_high, "medium": case_medium}


def test_open_cases_received_decided_and_closed_match_the_records(world, casework):
    tables = figures.build(scope_for(world.manager))
    by_risk = {values(r)[0]: values(r)[1] for r in table(tables, "open_by_risk").rows}
    assert by_risk == {
        "High": Case.objects.filter(status="open", risk_level="high").count(),
        "Medium": 0,
        "Low": 0,
    }
    assert by_risk["High"] == 1

    by_source = {values(r)[0]: values(r)[1] for r in table(tables, "by_source").rows}
    assert sum(by_source.values()) == Referral.objects.count() == 4
    thresholds = [values(r)[1] for r in table(tables, "by_threshold").rows]
    assert sum(thresholds) == sum(len(r.thresholds) for r in Referral.objects.all()) == 5
    decisions = {values(r)[0]: values(r)[1] for r in table(tables, "decisions").rows}
    assert decisions == {"Received": 1, "Accepted": 2, "Declined": 1}
    waits = [values(r)[1] for r in table(tables, "time_to_allocation").rows]
    assert waits == [2, 0, 0, 0]
    actions = {values(r)[0]: values(r)[1] for r in table(tables, "actions").rows}
    assert actions["Cases with a monthly review overdue"] == 1
    assert actions["Cases with open actions"] == 1
    outcomes = table(tables, "outcomes")
    assert values(outcomes.footer) == ["All closed", 1]


def test_figures_link_to_the_case_list_with_only_ids_in_the_url(client, world, casework):
    tables = figures.build(scope_for(world.manager))
    high = table(tables, "open_by_risk").rows[0][1]
    review = next(
        r for r in table(tables, "actions").rows if r[0] == "Cases with a monthly review overdue"
    )[1]
    client.force_login(world.manager)
    for cell in (high, review):
        assert "Alex" not in cell.url
        page = client.get(cell.url)
        assert [c.pk for c in page.context["page"].object_list] == [casework["high"].pk]
    officer = table(tables, "open_by_officer").rows[0][-1]
    assert f"officer={world.neighbourhood.pk}" in officer.url


def test_the_dashboard_names_no_young_person(client, world, casework):
    client.force_login(world.manager)
    page = client.get(reverse("reporting:dashboard", args=["referrals"])).content.decode()
    for name in ("Alex", "Billie", "Casey", "Dana", "Testcase"):
        assert name not in page


def test_another_teams_sergeant_counts_none_of_these_cases(world, casework):
    from accounts.tests.factories import UserFactory

    other = UserFactory(
        organisation=world.orgs["police_a"], role="sergeant", team=world.teams["sst_a"]
    )
    world.teams["sst_a"].sergeant = other
    world.teams["sst_a"].save()
    tables = figures.build(scope_for(other))
    assert values(table(tables, "open_by_risk").footer) == ["All open cases", 0]
    # The referral still waiting for triage belongs to no team yet, so every sergeant counts it.
    assert sum(values(r)[1] for r in table(tables, "by_source").rows) == 1
