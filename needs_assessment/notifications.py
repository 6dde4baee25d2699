"""The emails needs assessment sends when a decision is asked for or made: one small function
per email.

Each `*_queued` function is called inside the transaction that causes the email and queues its
task for after the commit; each `send_*` function runs in that task and sends at most once (a
field on the assessment says which submission or decision was already emailed). A reference
and a link only. A product-wide outbox can later replace the bodies of these functions alone.
"""

from django.db import transaction

from accounts.emails import send_templated_email
from accounts.models import Role, User

from .models import Assessment


def assessment_submitted_queued(assessment: Assessment) -> None:
    """After the commit, tell the force's prevention managers an assessment awaits approval."""
    from .tasks import email_assessment_submitted

    transaction.on_commit(lambda: email_assessment_submitted.delay(assessment.pk))


def assessment_decided_queued(assessment: Assessment) -> None:
    """After the commit, tell the assessor their assessment was approved or returned."""
    from .tasks import email_assessment_decided

    transaction.on_commit(lambda: email_assessment_decided.delay(assessment.pk))


def _locked(assessment_pk):
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("school", "assessed_by", "decided_by")
        .filter(pk=assessment_pk)
        .first()
    )


def send_assessment_submitted(assessment_pk: int) -> bool:
    """Email the force's active managers (not the submitter), once per submission."""
    with transaction.atomic():
        assessment = _locked(assessment_pk)
        if (
            assessment is None
            or assessment.status != Assessment.Status.SUBMITTED
            or assessment.submission_emailed_for == assessment.submitted_at
        ):
            return False
        managers = User.objects.filter(
            organisation__force_id=assessment.school.force_id,
            role=Role.PREVENTION_MANAGER,
            is_active=True,
        ).exclude(pk=assessment.assessed_by_id)
        for manager in managers:
            send_templated_email(
                to=[manager.email],
                template="needs_assessment/email/assessment_submitted",
                subject=f"Needs assessment waiting for approval ({assessment.reference})",
                context={"user": manager, "assessment": assessment},
            )
        assessment.submission_emailed_for = assessment.submitted_at
        assessment.save(update_fields=["submission_emailed_for"])
    return True


def send_assessment_decided(assessment_pk: int) -> bool:
    """Email the assessor that their assessment was approved or returned, once per decision."""
    with transaction.atomic():
        assessment = _locked(assessment_pk)
        if (
            assessment is None
            or assessment.status not in {Assessment.Status.APPROVED, Assessment.Status.RETURNED}
            or assessment.decision_emailed_for == assessment.decided_at
        ):
            return False
        author = assessment.assessed_by
        if author.is_active:
            outcome = "approved" if assessment.status == Assessment.Status.APPROVED else "returned"
            send_templated_email(
                to=[author.email],
                template="needs_assessment/email/assessment_decided",
                subject=f"Needs assessment {outcome} ({assessment.reference})",
                context={"user": author, "assessment": assessment, "outcome": outcome},
            )
        assessment.decision_emailed_for = assessment.decided_at
        assessment.save(update_fields=["decision_emailed_for"])
    return True
