"""Background jobs of agreements: seal a signed agreement's PDF; daily review reminders."""

from celery import shared_task

from .reminders import send_review_reminders
from .services import agreement_seal


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seal_agreement(agreement_pk: int) -> bool:
    """Make, seal and store the signed PDF of an agreement; safe to run twice."""
    return agreement_seal(agreement_pk=agreement_pk)


@shared_task
def remind_agreement_reviews() -> int:
    """Email the officer and headteacher of each agreement nearing or past review, once each."""
    return send_review_reminders()
