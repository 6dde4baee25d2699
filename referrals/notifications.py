"""The emails casework sends when something reaches someone: one small function per email.

Each is called by the service, inside the transaction that causes the email, and writes the
email to the outbox there (accounts.outbox): it is sent after the commit, once per recipient,
and retried if the mail server fails. A field on the record says what was already emailed, so
calling one twice writes nothing more. Every email names no young person: a reference and a
link only.
"""

from django.utils import timezone

from accounts.outbox import queue_email

from .models import Case, CaseShare, Referral


def referral_arrived(referral: Referral) -> bool:
    """Email the receiving team's sergeants (not the referrer), once per referral."""
    if referral.arrival_emailed_at is not None:
        return False
    sergeants = referral.receiving_sergeants().exclude(pk=referral.referred_by_id)
    for sergeant in sergeants:
        queue_email(
            to=sergeant.email,
            template="referrals/email/referral_arrived",
            subject=f"Referral {referral.reference} is waiting for triage",
            context={"user": sergeant, "referral": referral},
            key=f"referrals.referral.{referral.pk}.arrived",
            about=referral,
            force=referral.force_id,
        )
    referral.arrival_emailed_at = timezone.now()
    referral.save(update_fields=["arrival_emailed_at"])
    return True


def case_allocated(case: Case) -> bool:
    """Email the officer the case is allocated to now, once per allocation (an officer who
    allocated it to themselves is stamped as told already)."""
    if case.allocated_at is None or case.allocation_emailed_for == case.allocated_at:
        return False
    if case.officer.is_active:
        queue_email(
            to=case.officer.email,
            template="referrals/email/case_allocated",
            subject=f"Case {case.reference} is allocated to you",
            context={"user": case.officer, "case": case},
            key=f"referrals.case.{case.pk}.allocated.{case.allocated_at.isoformat()}",
            about=case,
            force=case.force_id,
        )
    case.allocation_emailed_for = case.allocated_at
    case.save(update_fields=["allocation_emailed_for"])
    return True


def case_shared(share: CaseShare) -> bool:
    """Email the officer a case was shared with, once per share, unless already revoked."""
    if share.emailed_at is not None:
        return False
    if share.revoked_at is None and share.user.is_active:
        queue_email(
            to=share.user.email,
            template="referrals/email/case_shared",
            subject=f"Case {share.case.reference} has been shared with you",
            context={"user": share.user, "share": share, "case": share.case},
            key=f"referrals.case_share.{share.pk}.shared",
            about=share.case,
            force=share.case.force_id,
        )
    share.emailed_at = timezone.now()
    share.save(update_fields=["emailed_at"])
    return True
