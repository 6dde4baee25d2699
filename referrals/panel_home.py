"""The home page section of a partner agency worker: their panel meetings and their actions.

Only agency workers see it (police and school staff have their own sections); two queries.
"""

from django.utils import timezone

from accounts.models import AGENCY_ROLES

from .models import Action, PanelMeeting

SHOWN = 5


def agency_home(user):
    """Return the meetings whose window has not closed and the open actions the worker owns."""
    if not user.is_authenticated or not user.is_active or user.role not in AGENCY_ROLES:
        return None
    meetings = list(
        PanelMeeting.objects.visible_to(user)
        .filter(access_until__gt=timezone.now())
        .order_by("starts_at", "pk")[:SHOWN]
    )
    open_actions = Action.objects.visible_to(user).owned_by(user).open().count()
    return {"meetings": meetings, "open_actions": open_actions}
