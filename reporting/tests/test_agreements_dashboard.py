"""MoU coverage on the dashboard matches each school's agreements, read one by one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import Agreement
from reporting.figures import agreements as figures
from reporting.tables import plain
from schools.models import School
from schools.tests.factories import NamedContactFactory, SchoolFactory

from .test_dashboards import scope_for, table, values

pytestmark = pytest.mark.django_db


def sign(agreement, user):
    fields = {"typed_name": user.full_name, "confirmed": True}
    if not user.is_school_staff:
        fields.update(rank="PC", collar_number="1234")
    return services.agreement_sign(agreement=agreement, by=user, **fields)


@pytest.fixture
def agreements(world):
    active = services.agreement_prepare(school=world.schools["a1"], by=world.neighbourhood)
    services.agreement_send(agreement=active, by=world.neighbourhood)
    for signer in active.signing_sequence():
        sign(
            active,
            {"school": world.headteacher, "police": world.neighbourhood}.get(
                signer, world.sergeant
            ),
        )
        active.refresh_from_db()
    NamedContactFactory(school=world.schools["a2"], officer=world.neighbourhood)
    waiting = services.agreement_prepare(school=world.schools["a2"], by=world.neighbourhood)
    services.agreement_send(agreement=waiting, by=world.neighbourhood)
    drafted = SchoolFactory(force=world.forces["a"], la_code="802", la_name="South")
    NamedContactFactory(school=drafted, officer=world.neighbourhood)
    services.agreement_prepare(school=drafted, by=world.neighbourhood)
    return {"active": active, "waiting": Agreement.objects.get(pk=waiting.pk)}


def expected_standing(school, today):
    """Read a school's agreements one by one, as a person would."""
    agreements = list(Agreement.objects.filter(school=school))
    active = [a for a in agreements if a.state == Agreement.State.ACTIVE]
    if active:
        due = active[0].review_due_on
        if due < today:
            return "Active, review overdue"
        return (
            "Active, review due within 60 days" if due <= today + timedelta(days=60) else "Active"
        )
    waiting = [a for a in agreements if a.is_awaiting_signature]
    if waiting:
        return (
            "Waiting for the school to sign"
            if waiting[0].awaiting_party == Agreement.Party.SCHOOL
            else "Waiting for the police to sign"
        )
    if any(a.state == Agreement.State.DRAFT for a in agreements):
        return "Being prepared"
    if any(a.state == Agreement.State.ENDED for a in agreements):
        return "Ended"
    return "No agreement"


def check_against_records(world):
    today = timezone.localdate()
    coverage = table(figures.build(scope_for(world.manager)), "coverage")
    got = {values(r)[0]: values(r)[1].count for r in coverage.rows}
    expected = {}
    for school in School.objects.filter(force=world.forces["a"]).open():
        label = expected_standing(school, today)
        expected[label] = expected.get(label, 0) + 1
    assert {k: v for k, v in got.items() if v} == expected
    assert sum(values(r)[1].percent for r in coverage.rows) == 100
    return got


def test_coverage_matches_each_schools_agreements(world, agreements):
    assert agreements["active"].state == Agreement.State.ACTIVE
    got = check_against_records(world)
    assert got["Active"] == 1 and got["Being prepared"] == 1
    assert got["Waiting for the school to sign"] + got["Waiting for the police to sign"] == 1


def test_reviews_due_and_overdue_move_a_school_along(world, agreements):
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreements["active"].pk).update(
        review_due_on=today + timedelta(days=20)
    )
    assert check_against_records(world)["Active, review due within 60 days"] == 1
    Agreement.objects.filter(pk=agreements["active"].pk).update(
        review_due_on=today - timedelta(days=1)
    )
    got = check_against_records(world)
    assert got["Active, review overdue"] == 1 and got["Active"] == 0


def test_coverage_by_local_authority_and_tier_add_up_to_the_whole(world, agreements):
    tables = figures.build(scope_for(world.manager))
    total = plain(table(tables, "coverage").footer[1])
    by_la = table(tables, "coverage_by_la")
    by_tier = table(tables, "coverage_by_tier")
    assert sum(sum(values(r)[1:]) for r in by_la.rows) == total
    assert sum(sum(values(r)[1:]) for r in by_tier.rows) == total
    south = next(r for r in by_la.rows if r[0] == "South")
    assert "la=802" in south[6].url and "mou=draft" in south[6].url and values(south)[6] == 1
