"""The partnership's workflows: the school agrees its level, the checklist is ticked off, the
plan gains objectives and actions, owners report progress, the termly review is signed off."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import SCHOOL_ROLES, Organisation, Role, User
from accounts.outbox import queue_email
from needs_assessment.models import Aim, Assessment, Expectation
from schools.models import NamedContact, School, Term

from .models import (
    Action,
    ActionPlan,
    ExpectationCheck,
    LevelAgreement,
    Objective,
    TermlyReview,
    academic_year_of,
)


def _headteachers_of(school: School):
    return User.objects.filter(
        organisation_id=school.organisation_id, role=Role.HEADTEACHER, is_active=True
    )


def _officers_of(school: School, *, on=None):
    contacts = NamedContact.objects.current(on=on).filter(school=school).select_related("officer")
    return [c.officer for c in contacts if c.officer.is_active]


@transaction.atomic
def level_agreement_open(*, assessment: Assessment) -> LevelAgreement:
    """Ask the school to agree the level an approved assessment sets (once per assessment)."""
    agreement, created = LevelAgreement.objects.get_or_create(
        assessment=assessment, defaults={"school": assessment.school}
    )
    if created:
        for head in _headteachers_of(assessment.school):
            queue_email(
                to=head.email,
                template="partnership/email/level_proposed",
                subject=f"Please agree your school's proposed level ({assessment.school.name})",
                context={"user": head, "agreement": agreement, "level": assessment.level},
                key=f"partnership.level.{agreement.pk}.proposed",
                about=agreement,
                force=assessment.school.force_id,
            )
    return agreement


@transaction.atomic
def level_agreement_answer(
    *, agreement: LevelAgreement, by: User, agreed: bool, reason: str = "", request=None
) -> LevelAgreement:
    """Record the headteacher's answer: agreed, or a discussion asked for with a reason."""
    agreement = LevelAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.assessment.is_current:
        raise ValidationError("A newer assessment has replaced this level.")
    before = agreement.status
    agreement.status = LevelAgreement.Status.AGREED if agreed else LevelAgreement.Status.DISCUSSION
    agreement.reason = reason.strip()
    agreement.answered_by = by
    agreement.answered_at = timezone.now()
    agreement.full_clean()
    agreement.save()
    audit.record(
        f"partnership.level.{agreement.status}",
        actor=by,
        target=agreement,
        request=request,
        changes={"status": [before, agreement.status], "reason": agreement.reason},
    )
    assessment = agreement.assessment
    if agreed:
        from .groups import management_group_ensure

        management_group_ensure(assessment=assessment, by=by, request=request)
    recipients = {u.email for u in _officers_of(agreement.school)}
    if assessment.decided_by and assessment.decided_by.is_active:
        recipients.add(assessment.decided_by.email)
    queue_email(
        to=sorted(recipients),
        template="partnership/email/level_answered",
        subject=(
            f"{agreement.school.name} "
            f"{'agreed its level' if agreed else 'asked to discuss its level'}"
        ),
        context={"agreement": agreement, "level": assessment.level},
        key=f"partnership.level.{agreement.pk}.answered.{agreement.answered_at.isoformat()}",
        about=agreement,
        force=agreement.school.force_id,
    )
    return agreement


@transaction.atomic
def expectation_tick(
    *, school: School, expectation: Expectation, by: User, evidence: str, today=None, request=None
) -> ExpectationCheck:
    """Tick off one expectation of the school's level, with the evidence that it is in place."""
    check, _ = ExpectationCheck.objects.update_or_create(
        school=school,
        expectation=expectation,
        defaults={
            "ticked_by": by,
            "ticked_on": today or timezone.localdate(),
            "evidence": evidence.strip(),
        },
    )
    check.full_clean()
    audit.record(
        "partnership.expectation.ticked",
        actor=by,
        target=check,
        request=request,
        changes={"expectation": expectation.key, "evidence": check.evidence},
    )
    return check


@transaction.atomic
def expectation_untick(*, check: ExpectationCheck, by: User, request=None) -> None:
    audit.record(
        "partnership.expectation.unticked",
        actor=by,
        target=check,
        request=request,
        changes={"expectation": check.expectation.key},
    )
    check.delete()


def plan_of(school: School, *, today=None) -> ActionPlan:
    """Return the school's plan for this school year, started if it has none."""
    year = academic_year_of(today or timezone.localdate())
    plan, _ = ActionPlan.objects.get_or_create(school=school, year=year)
    return plan


@transaction.atomic
def strategy_save(*, plan: ActionPlan, by: User, strategy: str, request=None) -> ActionPlan:
    before = plan.strategy
    plan.strategy = strategy.strip()
    plan.full_clean()
    plan.save()
    audit.record(
        "partnership.plan.strategy_changed",
        actor=by,
        target=plan,
        request=request,
        changes={"strategy": [before, plan.strategy]},
    )
    return plan


@transaction.atomic
def objective_add(
    *,
    plan: ActionPlan,
    by: User,
    aim: Aim,
    baseline: Decimal,
    target_percent: Decimal,
    target_on: datetime.date,
    request=None,
) -> Objective:
    """Set an objective of the plan from one of the framework's aims."""
    objective = Objective(
        plan=plan, aim=aim, baseline=baseline, target_percent=target_percent, target_on=target_on
    )
    objective.full_clean()
    objective.save()
    audit.record(
        "partnership.objective.added",
        actor=by,
        target=objective,
        request=request,
        changes={
            "aim": aim.key,
            "baseline": baseline,
            "target_percent": target_percent,
            "target_on": target_on.isoformat(),
        },
    )
    return objective


def owner_side_of(user: User) -> str:
    """The side an action's owner acts for: the school, the police, or a partner."""
    if user.role in SCHOOL_ROLES:
        return Action.OwnerSide.SCHOOL
    if user.organisation.kind == Organisation.Kind.POLICE:
        return Action.OwnerSide.POLICE
    return Action.OwnerSide.PARTNER


@transaction.atomic
def action_add(
    *,
    plan: ActionPlan,
    by: User,
    description: str,
    horizon: str,
    owner: User,
    starts_on: datetime.date,
    due_on: datetime.date,
    objective: Objective | None = None,
    request=None,
) -> Action:
    """Add an action to the plan and tell its owner (by email through the outbox)."""
    if owner.force_id != plan.school.force_id or not owner.is_active:
        raise ValidationError({"owner": "Choose a person of this partnership"})
    if owner.role in SCHOOL_ROLES and owner.organisation_id != plan.school.organisation_id:
        raise ValidationError({"owner": "Choose a person of this school, the police or a partner"})
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError({"objective": "Choose an objective of this plan"})
    action = Action(
        plan=plan,
        objective=objective,
        description=description.strip(),
        horizon=horizon,
        owner=owner,
        owner_side=owner_side_of(owner),
        starts_on=starts_on,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    audit.record(
        "partnership.action.added",
        actor=by,
        target=action,
        request=request,
        changes={"owner": owner.pk, "horizon": horizon, "due_on": due_on.isoformat()},
    )
    queue_email(
        to=owner.email,
        template="partnership/email/action_assigned",
        subject=f"An action for you in {plan.school.name}'s partnership plan",
        context={"user": owner, "action": action},
        key=f"partnership.action.{action.pk}.assigned",
        about=action,
        force=plan.school.force_id,
    )
    return action


@transaction.atomic
def action_update(
    *, action: Action, by: User, status: str, progress_note: str, today=None, request=None
) -> Action:
    """The owner (or the police) reports progress: the status, a note, and the review date."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = {"status": action.status, "progress_note": action.progress_note}
    action.status = status
    action.progress_note = progress_note.strip()
    action.reviewed_on = today or timezone.localdate()
    action.full_clean()
    action.save()
    audit.record(
        "partnership.action.updated",
        actor=by,
        target=action,
        request=request,
        changes={
            "status": [before["status"], action.status],
            "progress_note": [before["progress_note"], action.progress_note],
        },
    )
    return action


@transaction.atomic
def review_sign(
    *, school: School, term: Term, by: User, figures: dict, notes: str = "", request=None
) -> TermlyReview:
    """Sign the termly review for the school (headteacher) or for the police (the officer)."""
    review, _ = TermlyReview.objects.select_for_update().get_or_create(school=school, term=term)
    now = timezone.now()
    if by.role == Role.HEADTEACHER:
        if by.organisation_id != school.organisation_id:
            raise ValidationError("Only the school's own headteacher signs for the school.")
        if review.headteacher_signed_at:
            raise ValidationError("The headteacher has already signed this review.")
        review.headteacher_signed_by, review.headteacher_signed_at = by, now
        side = "school"
    elif by.is_officer or by.role == Role.PREVENTION_MANAGER:
        if review.officer_signed_at:
            raise ValidationError("The police have already signed this review.")
        review.officer_signed_by, review.officer_signed_at = by, now
        side = "police"
    else:
        raise ValidationError("Only the headteacher and the officer sign the termly review.")
    if not review.figures:
        review.figures = figures
    if notes.strip():
        review.notes = "\n\n".join(filter(None, [review.notes, notes.strip()]))
    review.full_clean()
    review.save()
    audit.record(
        "partnership.review.signed",
        actor=by,
        target=review,
        request=request,
        changes={"side": side, "term": str(term)},
    )
    return review
