"""The emails casework sends when something reaches someone: one small function per email.

Each `*_queued` function is called inside the transaction that causes the email and queues
its task for after the commit; each `send_*` function runs in that task, sends at most once
(a field on the record says what was already emailed) and names no young person: a reference
and a link only. A product-wide outbox can later replace the bodies of these functions alone.
"""

from django.db import transaction
from django.utils import timezone

from accounts.emails import send_templated_email

from .models import Case, CaseShare, Referral


def referral_arrived_queued(referral: Referral) -> None:
    """After the commit, tell the receiving team's sergeants a referral is waiting."""
    from .tasks import email_referral_arrived

    transaction.on_commit(lambda: email_referral_arrived.delay(referral.pk))


def case_allocated_queued(case: Case) -> None:
    """After the commit, tell the officer a case has been allocated to them."""
    from .tasks import email_case_allocated

    transaction.on_commit(lambda: email_case_allocated.delay(case.pk))


def case_shared_queued(share: CaseShare) -> None:
    """After the commit, tell the officer a case has been shared with them."""
    from .tasks import email_case_shared

    transaction.on_commit(lambda: email_case_shared.delay(share.pk))


def send_referral_arrived(referral_pk: int) -> bool:
    """Email the receiving team's sergeants (not the referrer), once per referral."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("school")
            .filter(pk=referral_pk, arrival_emailed_at__isnull=True)
            .first()
        )
        if referral is None:
            return False
        for sergeant in referral.receiving_sergeants().exclude(pk=referral.referred_by_id):
            send_templated_email(
                to=[sergeant.email],
                template="referrals/email/referral_arrived",
                subject=f"Referral {referral.reference} is waiting for triage",
                context={"user": sergeant, "referral": referral},
            )
        referral.arrival_emailed_at = timezone.now()
        referral.save(update_fields=["arrival_emailed_at"])
    return True


def send_case_allocated(case_pk: int) -> bool:
    """Email the officer the case is allocated to now, once per allocation."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("officer")
            .filter(pk=case_pk, allocated_at__isnull=False)
            .first()
        )
        if case is None or case.allocation_emailed_for == case.allocated_at:
            return False
        if case.officer.is_active:
            send_templated_email(
                to=[case.officer.email],
                template="referrals/email/case_allocated",
                subject=f"Case {case.reference} is allocated to you",
                context={"user": case.officer, "case": case},
            )
        case.allocation_emailed_for = case.allocated_at
        case.save(update_fields=["allocation_emailed_for"])
    return True


def send_case_shared(share_pk: int) -> bool:
    """Email the officer a case was shared with, once per share, unless already revoked."""
    with transaction.atomic():
        share = (
            CaseShare.objects.select_for_update(of=("self",))
            .select_related("user", "shared_by", "case")
            .filter(pk=share_pk, emailed_at__isnull=True)
            .first()
        )
        if share is None:
            return False
        if share.revoked_at is None and share.user.is_active:
            send_templated_email(
                to=[share.user.email],
                template="referrals/email/case_shared",
                subject=f"Case {share.case.reference} has been shared with you",
                context={"user": share.user, "share": share, "case": share.case},
            )
        share.emailed_at = timezone.now()
        share.save(update_fields=["emailed_at"])
    return True
