"""The home page's hand-over section (issue 22 item 7): officers see how many hand-overs
wait for them; a new school's DSL and headteacher see what the police told them."""

from accounts import audit
from accounts.models import OFFICER_ROLES, SCHOOL_REFERRER_ROLES

from .models import TransferReceipt

SHOWN = 5


def transfers_panel(user):
    """None unless something waits (officers) or the school was told something (DSLs)."""
    if not user.is_authenticated:
        return None
    receipts = TransferReceipt.objects.visible_to(user)
    if user.role in OFFICER_ROLES:
        count = receipts.pending().count()
        return {"count": count} if count else None
    if user.role in SCHOOL_REFERRER_ROLES:
        told = list(receipts.order_by("-dsl_told_at", "-pk")[:SHOWN])
        if not told:
            return None
        audit.record_accesses(actor=user, targets=told, action="listed")
        return {"school": True, "receipts": told}
    return None
