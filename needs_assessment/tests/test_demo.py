"""Demo assessments: DOMAIN.md's tier shares, through the real rule, once per school."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Force, Role, User
from demo.needs_assessment import plan_assessments, seed_assessments
from needs_assessment import services
from needs_assessment.models import Assessment, Framework, Rating
from schools.models import School

pytestmark = pytest.mark.django_db

# DOMAIN.md: one force's first assessment of 102 schools.
DOMAIN_SHARES = {"universal": 74 / 102, "enhanced": 12 / 102, "complex": 16 / 102}


@pytest.fixture
def dorset(monkeypatch, settings):
    """Seed the demo, then the assessments (seed_demo may already do it: it is idempotent)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    call_command("seed_demo", stdout=None)
    force = Force.objects.get(slug="dorset")
    seed(force)
    return force


def seed(force):
    police = User.objects.filter(organisation__force=force, email__contains="@demo.")
    return seed_assessments(
        force,
        assessor=police.get(role=Role.SERGEANT),
        approver=police.get(role=Role.PREVENTION_MANAGER),
        today=timezone.localdate(),
    )


def test_tier_shares_resemble_the_first_assessment_in_domain(dorset):
    current = Assessment.objects.filter(school__force=dorset, is_current=True)
    tiers = Counter(a.level.key for a in current.select_related("computed_level", "proposed_level"))
    total = sum(tiers.values())
    assert total == School.objects.filter(force=dorset).open().count() > 250
    for key, share in DOMAIN_SHARES.items():
        assert abs(tiers[key] / total - share) < 0.03, (key, tiers)


def test_each_open_school_has_exactly_one_current_approved_assessment(dorset):
    schools = School.objects.filter(force=dorset).open()
    counts = Counter(
        Assessment.objects.filter(school__in=schools, is_current=True).values_list(
            "school", flat=True
        )
    )
    assert set(counts) == set(schools.values_list("pk", flat=True))
    assert set(counts.values()) == {1}
    chosen = Framework.objects.chosen_for(dorset)
    statuses = Assessment.objects.filter(school__force=dorset).values_list(
        "status", "framework", "is_current"
    )
    assert set(statuses) == {("approved", chosen.pk, True)}


def test_the_tier_is_what_the_real_rule_makes_of_the_ratings(dorset):
    assessments = Assessment.objects.filter(school__force=dorset).select_related(
        "computed_level", "framework"
    )
    for assessment in assessments[:120]:
        assert services.computed_level_for(assessment) == assessment.computed_level
        assert assessment.proposed_level_id is None
    ratings = Rating.objects.filter(assessment__school__force=dorset)
    assert ratings.count() == assessments.count() * 4
    assert not ratings.filter(level__isnull=True).exists()
    assert not ratings.filter(evidence="").exists()


def test_reviews_spread_so_some_are_due_soon_and_a_few_overdue(dorset):
    today = timezone.localdate()
    assessments = list(Assessment.objects.filter(school__force=dorset))
    overdue = [a for a in assessments if a.review_due_on < today]
    soon = [a for a in assessments if today <= a.review_due_on <= today + datetime.timedelta(60)]
    assert 0 < len(overdue) < 0.1 * len(assessments)
    assert 0.08 * len(assessments) < len(soon) < 0.3 * len(assessments)
    assert all(a.approved_on <= today for a in assessments)
    assert min(a.approved_on for a in assessments) > today - datetime.timedelta(days=430)
    assert all(a.assessed_by_id != a.decided_by_id for a in assessments)


def test_safer_schools_contacts_hold_complex_schools(dorset):
    from schools.models import NamedContact

    complex_schools = set(
        Assessment.objects.filter(school__force=dorset, computed_level__key="complex").values_list(
            "school", flat=True
        )
    )
    sso_schools = set(
        NamedContact.objects.current()
        .filter(school__force=dorset, officer__role=Role.SAFER_SCHOOLS_OFFICER)
        .values_list("school", flat=True)
    )
    assert sso_schools and sso_schools <= complex_schools


def test_a_second_run_adds_nothing(dorset):
    before = list(Assessment.objects.order_by("pk").values_list("pk", "computed_level"))
    assert seed(dorset) == 0
    call_command("seed_demo", stdout=None)
    assert list(Assessment.objects.order_by("pk").values_list("pk", "computed_level")) == before


def test_a_school_with_an_assessment_is_left_alone(world):
    force = world.forces["a"]
    services.assessment_start(school=world.schools["a1"], by=world.sso)
    added = seed_assessments(
        force, assessor=world.sso, approver=world.manager, today=timezone.localdate()
    )
    assert added == 1
    assert Assessment.objects.get(school=world.schools["a1"]).status == "draft"
    assert Assessment.objects.get(school=world.schools["a2"]).status == "approved"
    assert not Assessment.objects.filter(school=world.schools["b1"]).exists()


def test_the_plan_is_the_same_every_time_and_works_for_five_levels(world):
    force = world.forces["a"]
    schools = [
        School(pk=i, urn=900000 + i, phase=School.Phase.SECONDARY, force=force)
        for i in range(1, 201)
    ]
    five = Framework.objects.get(force=force, key="five-level")
    today = datetime.date(2026, 10, 1)
    first = plan_assessments(five, schools, sso_schools=set(), today=today)
    again = plan_assessments(five, schools, sso_schools=set(), today=today)
    assert [(p.level.key, p.approved_on) for p in first] == [
        (p.level.key, p.approved_on) for p in again
    ]
    tiers = Counter(p.level.key for p in first)
    assert set(tiers) == {"level-1", "level-2", "level-3", "level-4", "level-5"}
    assert 0.68 < tiers["level-5"] / len(first) < 0.78


def test_the_assessor_cannot_approve(world):
    with pytest.raises(ValueError, match="Someone other than the assessor"):
        seed_assessments(
            world.forces["a"], assessor=world.sso, approver=world.sso, today=timezone.localdate()
        )
