"""The joint review of an agreement, and the termly meetings with the neighbourhood
management team recorded against it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from accounts.outbox import queue_email
from agreements.models import Agreement, AgreementEvent, AgreementSettings, add_months
from agreements.rules import heads_its_school, speaks_for_the_police
from agreements.services import agreement_end, agreement_renew, headteachers_of

from .models import AgreementReview, NmtMeeting

SCHOOL, POLICE = "school", "police"


def side_of(user: User, agreement: Agreement) -> str | None:
    """The side a person answers for: the school (its headteacher), or the police (the named
    officer, the force's sergeants and prevention managers); None for anyone else."""
    if heads_its_school.test(user, agreement):
        return SCHOOL
    if speaks_for_the_police.test(user, agreement):
        return POLICE
    return None


def _other_side(review: AgreementReview, side: str) -> list[User]:
    agreement = review.agreement
    if side == SCHOOL:
        officer = agreement.named_officer
        return [officer] if officer.is_active else []
    return list(headteachers_of(agreement.school))


def _tell(review: AgreementReview, *, side: str, cause: str, subject: str) -> None:
    for person in _other_side(review, side):
        queue_email(
            to=person.email,
            template="partnership/email/agreement_review",
            subject=subject,
            context={"user": person, "review": review, "cause": cause},
            key=f"partnership.agreement_review.{review.pk}.{cause}",
            about=review,
            force=review.agreement.force_id,
        )


@transaction.atomic
def review_start(*, agreement: Agreement, by: User, request=None) -> AgreementReview:
    """Either side starts the joint review of an agreement in force; the other side is asked
    for its answers. A review already open is returned, not doubled."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    side = side_of(by, agreement)
    if side is None:
        raise ValidationError("Only the headteacher or the police start a joint review.")
    if agreement.state != Agreement.State.ACTIVE:
        raise ValidationError("Only an agreement in force is reviewed.")
    review = AgreementReview.objects.open().filter(agreement=agreement).first()
    if review is not None:
        return review
    review = AgreementReview(agreement=agreement, started_by=by)
    review.full_clean()
    review.save()
    audit.record(
        "partnership.agreement_review.started",
        actor=by,
        target=review,
        request=request,
        changes={"agreement": agreement.pk, "side": side},
    )
    _tell(
        review,
        side=side,
        cause="started",
        subject=f"A joint review of the agreement with {agreement.school.name} has started",
    )
    return review


@transaction.atomic
def review_answer(
    *,
    review: AgreementReview,
    by: User,
    current: bool,
    effective: bool,
    improve: str,
    request=None,
) -> AgreementReview:
    """One side's answers: is it still current, is it effective, what should improve."""
    review = (
        AgreementReview.objects.select_for_update().select_related("agreement").get(pk=review.pk)
    )
    side = side_of(by, review.agreement)
    if side is None:
        raise ValidationError("Only the headteacher or the police answer the review.")
    if not review.is_open:
        raise ValidationError("This review has ended.")
    if getattr(review, f"{side}_answered_at"):
        raise ValidationError("Your side has already answered this review.")
    setattr(review, f"{side}_current", current)
    setattr(review, f"{side}_effective", effective)
    setattr(review, f"{side}_improve", improve.strip())
    setattr(review, f"{side}_answered_by", by)
    setattr(review, f"{side}_answered_at", timezone.now())
    review.full_clean()
    review.save()
    audit.record(
        "partnership.agreement_review.answered",
        actor=by,
        target=review,
        request=request,
        changes={"side": side, "current": current, "effective": effective},
    )
    _tell(
        review,
        side=side,
        cause=f"answered.{side}",
        subject=f"The {side} answered the joint review of the agreement with "
        f"{review.agreement.school.name}",
    )
    return review


@transaction.atomic
def review_conclude(
    *,
    review: AgreementReview,
    by: User,
    outcome: str,
    note: str = "",
    ended_on: datetime.date | None = None,
    request=None,
    today=None,
) -> AgreementReview:
    """End the review once both sides answered: renew the agreement unchanged (its next
    review date moves on), renew it with changes (the agreements' renewal: a new draft that
    both sides sign again) or end it (with the reason and date)."""
    review = (
        AgreementReview.objects.select_for_update().select_related("agreement").get(pk=review.pk)
    )
    agreement = review.agreement
    side = side_of(by, agreement)
    if side is None:
        raise ValidationError("Only the headteacher or the police decide the review.")
    if not review.is_open:
        raise ValidationError("This review has ended.")
    if not review.both_answered:
        raise ValidationError("Both sides answer the review before it is decided.")
    if outcome not in AgreementReview.Outcome.values:
        raise ValidationError({"outcome": "Choose how the review ends"})
    if agreement.state != Agreement.State.ACTIVE:
        raise ValidationError("The agreement is no longer in force.")
    today = today or timezone.localdate()
    if outcome == AgreementReview.Outcome.RENEW_WITH_CHANGES:
        if side != POLICE:
            raise ValidationError(
                {"outcome": "The officer prepares the changed agreement: ask them to renew it"}
            )
        review.renewal = agreement_renew(agreement=agreement, by=by, request=request)
    elif outcome == AgreementReview.Outcome.END:
        if not note.strip():
            raise ValidationError({"note": "Give the reason for ending the agreement"})
        agreement_end(
            agreement=agreement,
            by=by,
            reason=note.strip(),
            ended_on=ended_on or today,
            request=request,
        )
    else:
        months = AgreementSettings.for_force(agreement.force).review_months
        agreement.review_due_on = add_months(today, months)
        agreement.review_suggested = False
        agreement.save(update_fields=["review_due_on", "review_suggested", "updated"])
        AgreementEvent.objects.create(
            agreement=agreement,
            kind=AgreementEvent.Kind.CHANGED,
            actor=by,
            detail=f"Jointly reviewed: continues unchanged; next review by "
            f"{agreement.review_due_on:%-d %B %Y}",
        )
    review.outcome, review.outcome_note = outcome, note.strip()
    review.decided_by, review.decided_at = by, timezone.now()
    review.full_clean()
    review.save()
    audit.record(
        "partnership.agreement_review.decided",
        actor=by,
        target=review,
        request=request,
        changes={"outcome": outcome, "renewal": review.renewal_id},
    )
    _tell(
        review,
        side=side,
        cause="decided",
        subject=f"The joint review of the agreement with {agreement.school.name} is decided",
    )
    return review


@transaction.atomic
def nmt_meeting_record(
    *,
    agreement: Agreement,
    by: User,
    held_on: datetime.date,
    attendees: str,
    notes: str,
    request=None,
    today=None,
) -> NmtMeeting:
    """Record a termly meeting with the neighbourhood management team against the agreement."""
    if side_of(by, agreement) != POLICE:
        raise ValidationError("The police record the neighbourhood management team's meetings.")
    if agreement.state == Agreement.State.DRAFT:
        raise ValidationError("Record meetings against an agreement once it is sent.")
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": "The date must be today or in the past"})
    meeting = NmtMeeting(
        agreement=agreement,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        "partnership.nmt_meeting.recorded",
        actor=by,
        target=meeting,
        request=request,
        changes={"agreement": agreement.pk, "held_on": held_on.isoformat()},
    )
    return meeting
