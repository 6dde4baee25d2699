"""A past quarter's steering-group report counts that quarter: what changes afterwards does not
change it (issue 15, item 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Agreement
from reporting.scope import Scope, quarter_of
from reporting.steering import count_sections, recent_quarters
from reporting.tables import plain
from schools.models import Engagement, NamedContact
from schools.tests.factories import NamedContactFactory, SchoolFactory

from .test_dashboards import COMPLEX, ENHANCED, UNIVERSAL, approve

pytestmark = pytest.mark.django_db


def report_figures(manager, quarter):
    """Every number of the quarter's report, as the PDF prints them."""
    scope = Scope(manager, *quarter)
    previous = Scope(manager, *quarter_of(quarter[0] - timedelta(days=1)))
    return [
        (
            part["section"].key,
            [(h["label"], h["value"], h["previous"]) for h in part["headlines"]],
            [
                (item["table"].key, [[str(plain(c)) for c in row] for row in item["table"].rows])
                for item in part["tables"]
            ],
        )
        for part in count_sections(scope, previous)
    ]


def engage(school, officer, on):
    Engagement.objects.create(
        school=school,
        officer=officer,
        occurred_on=on,
        kind=Engagement.Kind.VISIT,
        purpose=Engagement.Purpose.EDUCATOR,
        duration_minutes=30,
    )


def test_changes_after_the_quarter_leave_its_report_unchanged(world):
    today = timezone.localdate()
    quarter = recent_quarters(today)[0]
    during = quarter[1] - timedelta(days=10)
    force, officer, sso = world.forces["a"], world.users["neighbourhood"], world.users["sso"]
    schools = [SchoolFactory(force=force, team=world.teams["npt_a"]) for _ in range(4)]
    for school in schools:
        NamedContactFactory(school=school, officer=officer, starts_on=quarter[0])
    approve(schools[0], UNIVERSAL, world, today=during)
    approve(schools[1], ENHANCED, world, today=during)
    engage(schools[0], officer, during)
    before = report_figures(world.manager, quarter)

    # After the quarter: a tier changes, a school is assessed for the first time, an officer
    # visits, a contact is handed over, an agreement is made and another becomes active.
    approve(schools[0], COMPLEX, world, today=today)
    approve(schools[2], UNIVERSAL, world, today=today)
    engage(schools[1], officer, today)
    NamedContact.objects.filter(school=schools[3]).update(ends_on=today - timedelta(days=1))
    NamedContactFactory(school=schools[3], officer=sso, starts_on=today)
    agreement_services.agreement_prepare(school=schools[1], by=officer)
    active = agreement_services.agreement_prepare(school=schools[0], by=officer)
    Agreement.objects.filter(pk=active.pk).update(
        state=Agreement.State.ACTIVE, active_on=today, review_due_on=today + timedelta(days=365)
    )

    after = report_figures(world.manager, quarter)
    assert after == before
    # And it is the quarter's own picture: the tiers the two schools had at its end.
    tiers = {row[0]: row[1] for row in dict(before[0][2])["by_tier"]}
    assert tiers["Universal"].startswith("1 ") and tiers["Enhanced"].startswith("1 ")
    assert tiers["Complex"].startswith("0 ")


def test_a_past_periods_standing_figures_do_not_link_to_todays_lists(world):
    """The lists show today; a figure as at a past day would not match, so it stands unlinked."""
    from reporting.figures import agreements, tiers
    from reporting.tables import Cell

    quarter = recent_quarters(timezone.localdate())[0]
    past = Scope(world.manager, *quarter)
    for build in (tiers.build, agreements.build):
        for table in build(past):
            if table.key == "movements":
                continue
            assert not any(isinstance(cell, Cell) for row in table.rows for cell in row[1:])
    now = Scope(world.manager, quarter[1] + timedelta(days=1), timezone.localdate())
    assert isinstance(tiers.build(now)[0].rows[0][1], Cell)
