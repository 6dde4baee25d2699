"""Background job of provider agreements: seal the signed PDF."""

from celery import shared_task

from .provider_services import provider_agreement_seal
from .signing import seal_with_retries

SEAL_RETRIES = 5


@shared_task(bind=True, max_retries=SEAL_RETRIES, acks_late=True)
def seal_provider_agreement(self, agreement_pk: int) -> bool:
    """Make, seal and store the signed PDF of a provider agreement; safe to run twice."""
    return seal_with_retries(self, provider_agreement_seal, agreement_pk)
