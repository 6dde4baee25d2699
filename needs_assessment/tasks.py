"""Background jobs of needs assessment: daily reassessment reminders."""

from celery import shared_task

from .reminders import send_due_reassessment_reminders


@shared_task
def remind_due_reassessments() -> int:
    """Email each force what is due for reassessment, once per due assessment; return how many."""
    return send_due_reassessment_reminders()
