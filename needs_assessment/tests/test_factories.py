"""The test factories of needs assessments make what they say: the shared helpers stay honest."""

import datetime

import pytest
from django.utils import timezone

from needs_assessment.defaults import THREE_TIER
from needs_assessment.models import Assessment, Framework
from needs_assessment.tests.factories import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
    FrameworkFactory,
    approved_assessment,
    submitted_assessment,
)
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

COMPLEX = dict.fromkeys(["location", "attendance", "demographics"], "universal") | {
    "high_risk": "complex"
}


def test_a_framework_is_installed_whole_from_its_spec():
    local = FrameworkFactory(spec={**THREE_TIER, "key": "local", "name": "Local tiers"})
    assert local.name == "Local tiers" and not local.is_chosen
    assert [level.key for level in local.levels.order_by("rank")] == [
        "universal",
        "enhanced",
        "complex",
    ]
    assert local.factors.count() == len(THREE_TIER["factors"])
    # A force that has the spec already gets its own framework back.
    assert FrameworkFactory(force=local.force) == Framework.objects.chosen_for(local.force)


def test_an_assessment_is_a_draft_with_the_forces_chosen_framework():
    assessment = AssessmentFactory()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.framework == Framework.objects.chosen_for(assessment.school.force)
    assert assessment.assessed_by.force_id == assessment.school.force_id


def test_an_approved_assessment_row_is_the_schools_current_tier():
    school = SchoolFactory()
    earlier = ApprovedAssessmentFactory(school=school, level="complex")
    latest = ApprovedAssessmentFactory(school=school, level="enhanced")
    earlier.refresh_from_db()
    assert not earlier.is_current and latest.is_current
    assert latest.status == Assessment.Status.APPROVED
    assert latest.computed_level.key == "enhanced"
    assert latest.approved_on == timezone.localdate() - datetime.timedelta(days=30)
    assert latest.review_due_on == latest.approved_on.replace(year=latest.approved_on.year + 1)


def test_an_approved_assessment_goes_through_the_services(world):
    waiting = submitted_assessment(world.schools["a2"], COMPLEX, by=world.sso)
    assert waiting.status == Assessment.Status.SUBMITTED and waiting.submitted_at
    school = world.schools["a1"]
    on = timezone.localdate() - datetime.timedelta(days=3)
    approved = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager, today=on)
    assert approved.school == school and approved.assessed_by == world.sso
    assert approved.status == Assessment.Status.APPROVED and approved.is_current
    assert approved.computed_level.key == "complex"
    assert approved.approved_on == on
    assert approved.decided_by == world.manager
    assert {r.evidence for r in approved.ratings.all()} == {"Evidence"}
