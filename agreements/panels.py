"""What agreements adds to other apps' pages: home panels, the school page, the school list."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import OFFICER_ROLES, Role, is_member_of_a_force

from .models import MOU_STANDINGS, Agreement

PANEL_LIMIT = 10


def home_panel(user):
    """Headteachers: agreements waiting for their signature. Officers and sergeants: those
    waiting for theirs, and reviews due. Two queries at most; None when nothing to show."""
    if not is_member_of_a_force(user):
        return None
    base = Agreement.objects.visible_to(user).select_related("school").order_by("sent_at", "pk")
    if user.role == Role.HEADTEACHER:
        to_sign = list(
            base.filter(
                school__organisation_id=user.organisation_id,
                awaiting_party=Agreement.Party.SCHOOL,
                state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED],
            )[:PANEL_LIMIT]
        )
        return {"to_sign": to_sign, "reviews": None, "school_side": True}
    if user.role not in OFFICER_ROLES:
        return None
    waiting = Q(awaiting_party=Agreement.Party.POLICE, named_officer=user)
    if user.role == Role.SERGEANT:
        waiting |= Q(awaiting_party=Agreement.Party.SERGEANT)
    to_sign = list(
        base.filter(waiting, state__in=[Agreement.State.SENT, Agreement.State.PARTLY_SIGNED])[
            :PANEL_LIMIT
        ]
    )
    today = timezone.localdate()
    reviews_scope = Q(named_officer=user)
    if user.role == Role.SERGEANT:
        reviews_scope |= Q(named_officer__team__sergeant=user)
    reviews = list(
        Agreement.objects.visible_to(user)
        .filter(reviews_scope)
        .review_due(today=today)
        .select_related("school")
        .order_by("review_due_on", "pk")[:PANEL_LIMIT]
    )
    return {"to_sign": to_sign, "reviews": reviews, "school_side": False, "today": today}


def school_panel(request, school):
    """The school's agreement and its status, for the police and the school's headteacher."""
    user = request.user
    if not request.user.has_perm("agreements.list_agreements"):
        return None
    agreements = list(
        Agreement.objects.visible_to(user)
        .for_school(school)
        .select_related("named_officer")
        .order_by("-created", "-pk")[:5]
    )
    live = [a for a in agreements if a.is_live]
    current = next((a for a in live if a.state == Agreement.State.ACTIVE), None)
    in_progress = next((a for a in live if a.state != Agreement.State.ACTIVE), None)
    return {
        "school": school,
        "current": current,
        "in_progress": in_progress,
        "latest": agreements[0] if agreements else None,
        "can_prepare": user.has_perm("agreements.prepare", school) and in_progress is None,
    }


STATUS_CHOICES = [
    ("none", "No agreement"),
    ("draft", "Draft"),
    ("awaiting", "Waiting for signatures"),
    ("active", "Active"),
    ("review_due", "Review due"),
    ("review_suggested", "Review suggested"),
    ("ended", "Ended"),
]


def mou_status_choices(user):
    return [
        *MOU_STANDINGS,
        ("awaiting", "Waiting for either signature"),
        ("review_suggested", "Review suggested"),
    ]


def filter_by_mou_status(schools, value, *, today=None):
    """Keep the schools whose MoU stands as chosen: the standings the dashboard counts."""
    today = today or timezone.localdate()
    standing = Agreement.objects.standing_of(schools, today=today)
    if value in dict(MOU_STANDINGS):
        return standing.filter(mou=value)
    if value == "awaiting":
        return standing.filter(mou__in=["awaiting_school", "awaiting_police"])
    if value == "review_suggested":
        return standing.filter(mou_suggested=True)
    return schools
