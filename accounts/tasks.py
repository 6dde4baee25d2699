"""Background jobs of accounts: thin shells that take primary keys."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone


def queue_invitation_email(invitation) -> bool:
    """Write the invitation's email to the outbox, once; return whether it was written now."""
    from .outbox import queue_email

    if invitation.emailed_at or not invitation.is_open():
        return False
    written = queue_email(
        to=invitation.email,
        template="accounts/email/invitation",
        subject=f"You are invited to the {invitation.organisation.force} Safer Schools Partnership",
        context={"invitation": invitation, "accept_path": invitation.get_accept_url()},
        key=f"accounts.invitation.{invitation.pk}",
        about=invitation,
        force=invitation.organisation.force_id,
    )
    invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["emailed_at", "updated"])
    return bool(written)


@shared_task
def send_invitation_email(invitation_pk: int) -> bool:
    """Email an invitation's link, once; return whether it was queued now."""
    from .models import Invitation

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation__force", "invited_by")
            .filter(pk=invitation_pk)
            .first()
        )
        if invitation is None:
            return False
        return queue_invitation_email(invitation)


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
