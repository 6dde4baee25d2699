"""Background jobs of needs assessment: decision emails (notifications.py), daily reminders."""

from celery import shared_task

from . import notifications
from .reminders import send_due_reassessment_reminders


@shared_task
def remind_due_reassessments() -> int:
    """Email each force what is due for reassessment, once per due assessment; return how many."""
    return send_due_reassessment_reminders()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_assessment_submitted(assessment_pk: int) -> bool:
    """Tell the force's managers an assessment is waiting for approval, once per submission."""
    return notifications.send_assessment_submitted(assessment_pk)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_assessment_decided(assessment_pk: int) -> bool:
    """Tell the assessor their assessment was approved or returned, once per decision."""
    return notifications.send_assessment_decided(assessment_pk)
