"""Background jobs of agreements: seal a signed agreement's PDF; sweep up unsealed ones;
daily review reminders."""

from celery import shared_task

from accounts.outbox import queue_task

from .documents import send_document_reminders
from .provider_services import provider_agreements_stuck_unsealed
from .provider_tasks import seal_provider_agreement  # registered with these: one module read
from .reminders import send_review_reminders
from .services import (
    agreement_seal,
    agreement_seal_failed,
    agreements_stuck_unsealed,
    send_signature_reminders,
)
from .signing import seal_with_retries

SEAL_RETRIES = 5


@shared_task(bind=True, max_retries=SEAL_RETRIES, acks_late=True)
def seal_agreement(self, agreement_pk: int) -> bool:
    """Make, seal and store the signed PDF of an agreement; safe to run twice. After its
    retries it records the failure (shown to signers, administrators told); the sweeper
    tries again later."""
    return seal_with_retries(self, agreement_seal, agreement_pk, gave_up=agreement_seal_failed)


@shared_task
def sweep_unsealed() -> int:
    """Re-queue agreements signed by all but not sealed a few minutes later (a worker died,
    the broker was down, or sealing failed and its back-off has passed)."""
    queued = 0
    for pk in agreements_stuck_unsealed():
        queued += queue_task(seal_agreement, pk)
    for pk in provider_agreements_stuck_unsealed():
        queued += queue_task(seal_provider_agreement, pk)
    return queued


@shared_task
def remind_agreement_reviews() -> int:
    """Email the officer and headteacher of each agreement nearing or past review, once each."""
    return send_review_reminders()


@shared_task
def remind_signers() -> int:
    """Remind the signer whose turn it is, 3, 7 and 14 days on (the force's days), once each."""
    return send_signature_reminders()


@shared_task
def chase_documents() -> int:
    """Email the side that supplies each document missing, expiring or expired, once a stage."""
    return send_document_reminders()
