"""The emails needs assessment sends when a decision is asked for or made: one small function
per email.

Each is called by the service, inside the transaction that causes the email, and writes the
email to the outbox there (accounts.outbox), to be sent after the commit, once per recipient.
A field on the assessment says which submission or decision was already emailed, so calling one
twice writes nothing more. A reference and a link only.
"""

from accounts.models import Role, User
from accounts.outbox import queue_email

from .models import Assessment


def assessment_submitted(assessment: Assessment) -> bool:
    """Email the force's active managers (not the submitter), once per submission."""
    if (
        assessment.status != Assessment.Status.SUBMITTED
        or assessment.submission_emailed_for == assessment.submitted_at
    ):
        return False
    managers = User.objects.filter(
        organisation__force_id=assessment.school.force_id,
        role=Role.PREVENTION_MANAGER,
        is_active=True,
    ).exclude(pk=assessment.assessed_by_id)
    for manager in managers:
        queue_email(
            to=manager.email,
            template="needs_assessment/email/assessment_submitted",
            subject=f"Needs assessment waiting for approval ({assessment.reference})",
            context={"user": manager, "assessment": assessment},
            key=f"needs_assessment.assessment.{assessment.pk}.submitted."
            f"{assessment.submitted_at.isoformat()}",
            about=assessment,
            force=assessment.school.force_id,
        )
    assessment.submission_emailed_for = assessment.submitted_at
    assessment.save(update_fields=["submission_emailed_for"])
    return True


def assessment_decided(assessment: Assessment) -> bool:
    """Email the assessor that their assessment was approved or returned, once per decision."""
    if (
        assessment.status not in {Assessment.Status.APPROVED, Assessment.Status.RETURNED}
        or assessment.decision_emailed_for == assessment.decided_at
    ):
        return False
    author = assessment.assessed_by
    if author.is_active:
        outcome = "approved" if assessment.status == Assessment.Status.APPROVED else "returned"
        queue_email(
            to=author.email,
            template="needs_assessment/email/assessment_decided",
            subject=f"Needs assessment {outcome} ({assessment.reference})",
            context={"user": author, "assessment": assessment, "outcome": outcome},
            key=f"needs_assessment.assessment.{assessment.pk}.decided."
            f"{assessment.decided_at.isoformat()}",
            about=assessment,
            force=assessment.school.force_id,
        )
    assessment.decision_emailed_for = assessment.decided_at
    assessment.save(update_fields=["decision_emailed_for"])
    return True
