"""The partnership's section of the school page and of the home page."""

from .models import Action, LevelAgreement, MeetingAction


def school_panel(request, school):
    """The level's agreement and a link to the school's partnership page, for those who see it."""
    user = request.user
    if not user.has_perm("partnership.view", school):
        return None
    agreement = (
        LevelAgreement.objects.filter(school=school, assessment__is_current=True)
        .order_by("-created")
        .first()
    )
    return {"school": school, "agreement": agreement}


def home_panel(user):
    """The actions a person owns, for everyone who owns any (one query)."""
    if not user.is_authenticated or not user.force_id:
        return None
    actions = list(
        Action.objects.owned_by(user).open().select_related("plan__school").order_by("due_on")[:6]
    )
    from_meetings = MeetingAction.objects.owned_by(user).filter(done=False).count()
    if not actions and not from_meetings:
        return None
    return {"actions": actions[:5], "more": len(actions) > 5, "from_meetings": from_meetings}
