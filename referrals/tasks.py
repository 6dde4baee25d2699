"""Background jobs of referrals: the referrer is told the outcome; daily action reminders."""

from celery import shared_task
from django.db import transaction

from accounts.outbox import queue_email

from .models import Referral
from .reminders import send_action_reminders


@shared_task
def remind_action_owners() -> int:
    """Remind owners of monthly reviews and overdue actions, once each; return how many."""
    return send_action_reminders()


def queue_referral_outcome_email(referral: Referral) -> bool:
    """Write the referrer's email about the decision to the outbox, once per decision;
    return whether it was written now. It names no young person."""
    if referral.status == Referral.Status.RECEIVED:
        return False
    if referral.outcome_emailed_for == referral.status:
        return False
    person = referral.referred_by
    if person.is_active:
        queue_email(
            to=person.email,
            template="referrals/email/referral_outcome",
            subject=f"Referral {referral.reference}: {referral.get_status_display().lower()}",
            context={"user": person, "referral": referral},
            key=f"referrals.referral.{referral.pk}.outcome.{referral.status}",
            about=referral,
            force=referral.force_id,
        )
    referral.outcome_emailed_for = referral.status
    referral.save(update_fields=["outcome_emailed_for"])
    return True


@shared_task
def email_referral_outcome(referral_pk: int) -> bool:
    """Tell the referrer a referral was accepted or declined, once per decision (the
    decision writes the email itself; this shell remains for tasks queued before that)."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("referred_by", "case__officer")
            .filter(pk=referral_pk)
            .first()
        )
        if referral is None:
            return False
        return queue_referral_outcome_email(referral)


@shared_task
def remind_outside_action_owners() -> int:
    """Remind owners at schools and partner agencies of monthly reviews, once per review date."""
    from .panel_services import send_owner_review_reminders

    return send_owner_review_reminders()
