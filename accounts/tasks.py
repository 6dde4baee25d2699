"""Background jobs of accounts: thin shells that take primary keys."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .emails import send_templated_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_pk: int) -> bool:
    """Email an invitation's link, once; return whether it was sent now."""
    from .models import Invitation

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation__force", "invited_by")
            .filter(pk=invitation_pk)
            .first()
        )
        if invitation is None or invitation.emailed_at or not invitation.is_open():
            return False
        send_templated_email(
            to=[invitation.email],
            template="accounts/email/invitation",
            subject=f"You are invited to the {invitation.organisation.force} Safer Schools Partnership",
            context={"invitation": invitation, "accept_path": invitation.get_accept_url()},
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at", "updated"])
    return True


@shared_task(acks_late=True)
def send_outbox_email(email_pk: int) -> bool:
    """Send one outbox row, once; a temporary failure leaves it queued for the sweeper."""
    from .outbox import outbox_send

    return outbox_send(pk=email_pk)


@shared_task
def sweep_outbox() -> int:
    """Send the outbox rows that are due and whose own task did not send them."""
    from .outbox import outbox_sweep

    return outbox_sweep()
