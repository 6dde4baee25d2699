"""Background jobs of referrals: who is told what (see notifications.py); daily reminders."""

from celery import shared_task
from django.db import transaction

from accounts.emails import send_templated_email

from . import notifications
from .models import Referral
from .reminders import send_action_reminders


@shared_task
def remind_action_owners() -> int:
    """Remind owners of monthly reviews and overdue actions, once each; return how many."""
    return send_action_reminders()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_referral_outcome(referral_pk: int) -> bool:
    """Tell the referrer a referral was accepted or declined, once per decision.

    The email says the outcome and links to the status page; it names no young person.
    """
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("referred_by", "case__officer")
            .filter(pk=referral_pk)
            .first()
        )
        if referral is None or referral.status == Referral.Status.RECEIVED:
            return False
        if referral.outcome_emailed_for == referral.status:
            return False
        person = referral.referred_by
        if person.is_active:
            send_templated_email(
                to=[person.email],
                template="referrals/email/referral_outcome",
                subject=f"Referral {referral.reference}: {referral.get_status_display().lower()}",
                context={"user": person, "referral": referral},
            )
        referral.outcome_emailed_for = referral.status
        referral.save(update_fields=["outcome_emailed_for"])
    return True


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_referral_arrived(referral_pk: int) -> bool:
    """Tell the receiving team's sergeants a referral is waiting, once."""
    return notifications.send_referral_arrived(referral_pk)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_case_allocated(case_pk: int) -> bool:
    """Tell the officer a case is allocated to them, once per allocation."""
    return notifications.send_case_allocated(case_pk)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_case_shared(share_pk: int) -> bool:
    """Tell the officer a case is shared with them, once per share."""
    return notifications.send_case_shared(share_pk)
