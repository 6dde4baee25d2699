import pytest

from referrals.models import CaseLogEntry

from .factories import CaseFactory, ReferralFactory, YoungPersonFactory


def make_case(world, *, officer=None, team=None, school=None, **kwargs):
    """An open case of force A, allocated to North NPT's neighbourhood officer by default."""
    officer = officer or world.neighbourhood
    person = YoungPersonFactory(
        force=world.forces["a"], school=school or world.schools["a1"], **kwargs.pop("person", {})
    )
    case = CaseFactory(young_person=person, officer=officer, team=team or officer.team, **kwargs)
    ReferralFactory(
        young_person=person,
        school=world.schools["a1"],
        source="school",
        mash_referral_made=True,
        mash_reference="MASH-1",
        referred_by=world.dsl,
        status="accepted",
        case=case,
        decided_by=world.sergeant,
    )
    CaseLogEntry.objects.create(
        case=case,
        kind="home_visit",
        occurred_on="2026-01-10",
        summary="Visited at home with mum present.",
        author=officer,
    )
    return case


@pytest.fixture
def case(world):
    return make_case(world)
