import datetime

import pytest

from accounts.models import Role
from demo import referrals as demo
from referrals.models import Case, Referral

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(world):
    by_role = {
        Role.DSL: world.dsl,
        Role.SERGEANT: world.sergeant,
        Role.SAFER_SCHOOLS_OFFICER: world.sso,
    }
    kwargs = {
        "by_role": by_role,
        "partners": [],
        "demo_school": world.schools["a1"],
        "other_school": world.schools["a2"],
        "schools": [world.schools["a1"]],
        "today": datetime.date(2026, 3, 2),
    }
    assert demo.seed(world.forces["a"], **kwargs) == "4 referrals (4 added)"
    assert demo.seed(world.forces["a"], **kwargs) == "4 referrals (0 added)"
    assert Referral.objects.filter(status="received").count() == 2
    case = Case.objects.get()
    assert case.officer == world.sso and case.log_entries.filter(kind="home_visit").exists()


def test_demo_safeguards_seed_once(world):
    from referrals.models import (
        CaseFlag,
        ConsentRecord,
        InterventionService,
        SafetyPlan,
        Signposting,
    )

    kwargs = {
        "by_role": {
            Role.DSL: world.dsl,
            Role.SERGEANT: world.sergeant,
            Role.SAFER_SCHOOLS_OFFICER: world.sso,
        },
        "partners": [],
        "demo_school": world.schools["a1"],
        "other_school": world.schools["a2"],
        "schools": [world.schools["a1"]],
        "today": datetime.date(2026, 3, 2),
    }
    demo.seed(world.forces["a"], **kwargs)
    demo.seed(world.forces["a"], **kwargs)
    assert InterventionService.objects.filter(force=world.forces["a"]).count() == 5
    assert SafetyPlan.objects.get().factors.count() == 2
    assert Signposting.objects.get().outcome == "engaged"
    assert CaseFlag.objects.count() == 1
    assert ConsentRecord.objects.without_consent().count() == 1
