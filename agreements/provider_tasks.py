"""Background job of provider agreements: seal the signed PDF."""

from celery import shared_task

from .provider_services import provider_agreement_seal

SEAL_RETRIES = 5


@shared_task(bind=True, max_retries=SEAL_RETRIES, acks_late=True)
def seal_provider_agreement(self, agreement_pk: int) -> bool:
    """Make, seal and store the signed PDF of a provider agreement; safe to run twice."""
    try:
        return provider_agreement_seal(agreement_pk=agreement_pk)
    except OSError as error:
        if self.request.retries >= self.max_retries or self.request.is_eager:
            return False
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
