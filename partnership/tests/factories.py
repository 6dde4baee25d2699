"""Factories of the partnership: a school with an approved level and a plan with an action."""

import datetime

from django.utils import timezone

from needs_assessment.tests.factories import approved_assessment
from partnership import services
from partnership.models import LevelAgreement

ENHANCED = {
    "location": "enhanced",
    "attendance": "universal",
    "high_risk": "universal",
    "demographics": "universal",
}
COMPLEX = ENHANCED | {"high_risk": "complex"}


def agreed_level(school, *, by, approver, ratings=COMPLEX) -> LevelAgreement:
    """A school whose level a manager approved: the school is asked to agree it."""
    assessment = approved_assessment(school, ratings, by=by, approver=approver)
    return assessment.level_agreement


def plan_with_action(school, *, by, owner, today=None):
    """The school's plan for this year with one short-term action owned by `owner`."""
    today = today or timezone.localdate()
    plan = services.plan_of(school, today=today)
    action = services.action_add(
        plan=plan,
        by=by,
        description="Run a knife-crime assembly for Year 9",
        horizon="short",
        owner=owner,
        starts_on=today,
        due_on=today + datetime.timedelta(days=60),
    )
    return plan, action


def management_group(school, *, by, members):
    """A school's local management group with `members` ({user: role on the group}); the
    group its approved level set up is reused, and only people not on it are added."""
    from partnership import groups
    from partnership.models import Group

    group = Group.objects.filter(school=school, kind="management").first() or groups.group_create(
        force=school.force,
        kind="management",
        name=f"{school.name} management group",
        school=school,
        by=by,
    )
    on_group = set(group.members.values_list("user_id", flat=True))
    for user, role in members.items():
        if user.pk not in on_group:
            groups.member_add(group=group, user=user, role_in_group=role, by=by)
    return group


def active_agreement(school, *, officer):
    """The school's agreement in force, named `officer` (signed a year ago, review due)."""
    from agreements.models import Agreement
    from agreements.tests.factories import AgreementFactory

    today = timezone.localdate()
    return AgreementFactory(
        school=school,
        named_officer=officer,
        state=Agreement.State.ACTIVE,
        active_on=today - datetime.timedelta(days=360),
        review_due_on=today + datetime.timedelta(days=5),
        review_suggested=True,
    )
