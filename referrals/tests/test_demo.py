import datetime

import pytest

from accounts.models import Role
from referrals import demo
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
