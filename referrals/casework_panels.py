"""The home page's hand-over section (issue 22 item 7): officers see how many hand-overs
wait for them. (A new school's DSL reads what the police told them from "From the police" in
the navigation: the school staff's home page keeps its query budget.)"""

from accounts.models import OFFICER_ROLES

from .models import TransferReceipt


def transfers_panel(user):
    """None unless hand-overs wait for this officer or their team."""
    if not user.is_authenticated or user.role not in OFFICER_ROLES:
        return None
    count = TransferReceipt.objects.visible_to(user).pending().count()
    return {"count": count} if count else None
