"""The app's sections of the home page and the school page: the school's partnership and its
requests for help, and the police's requests waiting for an answer. Each costs a small, fixed
number of queries."""

from django.db.models import Count, Window

from accounts.models import POLICE_ROLES, Role

from .models import HelpRequest
from .partnership import SHOWN, partnership_of


def partnership(user):
    """School staff: the tier's promise and what was delivered this term, the agreement, and
    the school's requests for help with their status. (The named contact and cover head the
    school's home page; its bookings have their own panel.)"""
    partnership = partnership_of(user)
    if partnership is None:
        return None
    return {
        "partnership": partnership,
        "can_download_summary": user.has_perm("help_requests.view_summary"),
    }


def police_requests(user):
    """Officers and sergeants: the open requests that reach them; managers the force's."""
    if user.role not in POLICE_ROLES:
        return None
    requests = HelpRequest.objects.visible_to(user).open()
    if user.role != Role.PREVENTION_MANAGER:
        requests = requests.addressed_to(user)
    shown = list(
        requests.select_related("school")
        .annotate(total=Window(Count("pk")))
        .order_by("created", "pk")[:SHOWN]
    )
    return {"requests": shown, "count": shown[0].total if shown else 0}


def school_panel(request, school):
    """The school page: the school's latest requests for help, for those who may read them."""
    user = request.user
    if not user.has_perm("help_requests.list"):
        return None
    requests = list(
        HelpRequest.objects.visible_to(user)
        .for_school(school)
        .select_related("officer")
        .annotate(total=Window(Count("pk")))
        .order_by("-created", "-pk")[:SHOWN]
    )
    return {
        "school": school,
        "requests": requests,
        "total": requests[0].total if requests else 0,
        "can_ask": user.has_perm("help_requests.ask")
        and school.organisation_id == user.organisation_id,
    }
