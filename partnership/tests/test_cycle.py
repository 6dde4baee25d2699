"""The partnership cycle: the level agreed with the school, the checklist, the plan, the review."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail
from needs_assessment.models import Aim, IndicatorValue
from needs_assessment.queries import officer_capacity
from needs_assessment.tests.factories import approved_assessment
from partnership import services
from partnership.models import Action, ExpectationCheck, LevelAgreement, Objective, TermlyReview
from partnership.tests.factories import COMPLEX, agreed_level, plan_with_action
from schools.models import Term

pytestmark = pytest.mark.django_db


def test_approval_asks_the_headteacher_to_agree_the_level(world):
    agreement = agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    assert agreement.status == LevelAgreement.Status.AWAITING
    email = OutboxEmail.objects.get(key__startswith=f"partnership.level.{agreement.pk}.proposed")
    assert email.to == world.headteacher.email
    assert "Complex" in email.body_text


def test_the_headteacher_agrees_and_the_officer_and_manager_are_told(client, world):
    agreement = agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.headteacher)
    url = reverse("partnership:level_agreement", args=[world.schools["a1"].pk])
    page = client.get(url).content.decode()
    assert "The proposed level: Complex" in page
    assert "High-risk issues" in page  # the evidence: ratings by factor
    response = client.post(url, {"answer": "agree"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == LevelAgreement.Status.AGREED
    assert agreement.answered_by == world.headteacher
    assert AuditEntry.objects.filter(action="partnership.level.agreed").exists()
    sent_to = set(
        OutboxEmail.objects.filter(
            key__startswith=f"partnership.level.{agreement.pk}.answered"
        ).values_list("to", flat=True)
    )
    assert sent_to == {world.neighbourhood.email, world.manager.email}


def test_asking_for_a_discussion_needs_a_reason(client, world):
    agreement = agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.headteacher)
    url = reverse("partnership:level_agreement", args=[world.schools["a1"].pk])
    response = client.post(url, {"answer": "discuss", "reason": "  "})
    assert response.status_code == 200
    assert "Say what you would like to discuss about the level" in response.content.decode()
    client.post(url, {"answer": "discuss", "reason": "Exclusions fell this year"})
    agreement.refresh_from_db()
    assert agreement.status == LevelAgreement.Status.DISCUSSION
    assert agreement.reason == "Exclusions fell this year"
    assert AuditEntry.objects.filter(action="partnership.level.discussion").exists()


@pytest.mark.parametrize(
    "data", [{}, {"answer": "maybe"}, {"answer": "discuss", "reason": "x" * 1001}]
)
def test_bad_answers_are_refused_in_plain_english(client, world, data):
    agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.headteacher)
    url = reverse("partnership:level_agreement", args=[world.schools["a1"].pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_school_does_not_see_the_assessors_notes(client, world):
    approved_assessment(
        world.schools["a1"],
        COMPLEX,
        by=world.sso,
        approver=world.manager,
        evidence="Intelligence: pupils linked to the Smith brothers",
    )
    client.force_login(world.headteacher)
    page = client.get(reverse("partnership:level_agreement", args=[world.schools["a1"].pk]))
    assert "Smith brothers" not in page.content.decode()


def test_the_checklist_is_the_levels_expectations_ticked_off_with_evidence(client, world):
    agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.sso)
    page = client.get(reverse("partnership:school", args=[world.schools["a1"].pk])).content.decode()
    assert "An information sharing protocol, signed by the partners" in page
    expectation = (
        world.schools["a1"]
        .assessments.get(is_current=True)
        .level.expectations.get(key="information_sharing")
    )
    url = reverse("partnership:expectation_tick", args=[world.schools["a1"].pk, expectation.pk])
    assert "Enter the evidence" in client.post(url, {"evidence": ""}).content.decode()
    client.post(url, {"evidence": "Signed by the head and the council on 3 March"})
    check = ExpectationCheck.objects.get(school=world.schools["a1"], expectation=expectation)
    assert check.ticked_by == world.sso and check.ticked_on == timezone.localdate()
    assert (
        "Signed by the head"
        in client.get(reverse("partnership:school", args=[world.schools["a1"].pk])).content.decode()
    )


def test_an_objective_has_a_target_and_progress_from_the_indicators(client, world):
    school = world.schools["a1"]
    assessment = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    indicator = assessment.framework.indicators.get(key="offending_percent")
    IndicatorValue.objects.create(assessment=assessment, indicator=indicator, value=Decimal("8"))
    aim = Aim.objects.get(framework=assessment.framework, key="offending")
    client.force_login(world.sso)
    url = reverse("partnership:objective_create", args=[school.pk])
    target_on = timezone.localdate() + datetime.timedelta(days=200)
    data = {
        "aim": aim.pk,
        "baseline": "10",
        "target_percent": "40",
        "target_on_0": target_on.day,
        "target_on_1": target_on.month,
        "target_on_2": target_on.year,
    }
    bad = client.post(url, data | {"target_percent": "150"})
    assert "Enter a target between 1 and 100%" in bad.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    objective = Objective.objects.get(plan__school=school)
    assert objective.target_value == Decimal("6.00")
    # From 10 to 8 on the way to 6: half way.
    page = client.get(reverse("partnership:school", args=[school.pk])).content.decode()
    assert "50% of the way" in page


def test_an_action_owned_by_the_school_reaches_its_owner_who_updates_it(client, world):
    school = world.schools["a1"]
    plan, action = plan_with_action(school, by=world.sso, owner=world.school_link)
    assert action.owner_side == Action.OwnerSide.SCHOOL
    assert OutboxEmail.objects.filter(to=world.school_link.email, key__contains="assigned").exists()
    client.force_login(world.school_link)
    assert action.description in client.get(reverse("partnership:my_actions")).content.decode()
    client.post(
        reverse("partnership:action_update", args=[action.pk]),
        {"status": "in_progress", "progress_note": "Booked for 12 May"},
    )
    action.refresh_from_db()
    assert action.status == "in_progress" and action.reviewed_on == timezone.localdate()
    # Someone who neither owns it nor works for the police cannot update it.
    client.force_login(world.dsl)
    response = client.post(
        reverse("partnership:action_update", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 403


def test_a_partner_sees_only_the_actions_they_own(client, world):
    school = world.schools["a1"]
    _, mine = plan_with_action(school, by=world.sso, owner=world.partner)
    _, other = plan_with_action(school, by=world.sso, owner=world.school_link)
    assert mine.owner_side == Action.OwnerSide.PARTNER
    client.force_login(world.partner)
    page = client.get(reverse("partnership:my_actions")).content.decode()
    assert page.count("Run a knife-crime assembly") == 1
    assert client.get(reverse("partnership:action_update", args=[other.pk])).status_code == 404
    assert client.get(reverse("partnership:school", args=[school.pk])).status_code in (403, 404)


def test_action_horizons_are_checked(world):
    plan = services.plan_of(world.schools["a1"])
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="within 6 months"):
        services.action_add(
            plan=plan,
            by=world.sso,
            description="x",
            horizon="short",
            owner=world.sso,
            starts_on=today,
            due_on=today + datetime.timedelta(days=300),
        )
    with pytest.raises(ValidationError, match="between 6 months and 3 years"):
        services.action_add(
            plan=plan,
            by=world.sso,
            description="x",
            horizon="long",
            owner=world.sso,
            starts_on=today,
            due_on=today + datetime.timedelta(days=60),
        )
    with pytest.raises(ValidationError):
        services.action_add(
            plan=plan,
            by=world.sso,
            description="x",
            horizon="short",
            owner=world.other_school_headteacher,
            starts_on=today,
            due_on=today,
        )


def test_short_term_actions_are_reviewed_monthly(world):
    _, action = plan_with_action(world.schools["a1"], by=world.sso, owner=world.sso)
    assert not action.is_review_due(today=action.starts_on + datetime.timedelta(days=30))
    assert action.is_review_due(today=action.starts_on + datetime.timedelta(days=31))


def test_the_termly_review_is_signed_off_by_the_headteacher_and_the_officer(client, world):
    school = world.schools["a1"]
    agreed_level(school, by=world.sso, approver=world.manager)
    term = Term.current_for(school.force)
    url = reverse("partnership:review", args=[school.pk, term.pk])
    client.force_login(world.headteacher)
    page = client.get(url).content.decode()
    assert "Engagements promised" in page and "Referrals made" in page
    client.post(url, {"notes": "A good term"})
    client.force_login(world.neighbourhood)
    client.post(url, {})
    review = TermlyReview.objects.get(school=school, term=term)
    assert review.is_signed_off
    assert review.headteacher_signed_by == world.headteacher
    assert review.officer_signed_by == world.neighbourhood
    assert review.figures["promised"] == term.weeks  # Complex: weekly
    assert AuditEntry.objects.filter(action="partnership.review.signed").count() == 2
    # Signing twice is refused in plain words.
    again = client.post(url, {})
    assert "already signed" in again.content.decode()


def test_officer_capacity_counts_weekly_promises_against_posts(world):
    school = world.schools["a1"]
    approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    promised, posts = officer_capacity(world.forces["a"].pk)
    assert (promised, posts) == (1, 1)
    approved_assessment(world.schools["a2"], COMPLEX, by=world.sso, approver=world.manager)
    assert officer_capacity(world.forces["a"].pk) == (2, 1)


def test_the_approval_page_flags_more_weekly_promises_than_officers(client, world):
    from needs_assessment.tests.factories import submitted_assessment

    approved_assessment(world.schools["a1"], COMPLEX, by=world.sso, approver=world.manager)
    pending = submitted_assessment(world.schools["a2"], COMPLEX, by=world.sso)
    client.force_login(world.manager)
    page = client.get(reverse("needs_assessment:assessment_decide", args=[pending.pk]))
    assert (
        "2 schools would be promised an officer at least weekly against 1 Safer Schools officer"
        in page.content.decode()
    )


def test_the_headteachers_home_asks_for_an_answer_on_the_level(client, world):
    agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.headteacher)
    page = client.get(reverse("home")).content.decode()
    assert "Agree it or ask to discuss it" in page
    client.force_login(world.other_school_headteacher)
    assert "Agree it or ask to discuss it" not in client.get(reverse("home")).content.decode()
