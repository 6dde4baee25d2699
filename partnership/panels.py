"""The partnership's section of the school page and of the home page."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Role, User

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
    """The actions a person owns, and for a headteacher a level waiting for their answer: two
    queries (a third only when a level is waiting)."""
    if not user.is_authenticated or not user.force_id:
        return None
    actions = list(
        Action.objects.owned_by(user).open().select_related("plan__school").order_by("due_on")[:6]
    )
    from_meetings = (
        MeetingAction.objects.filter(owner=OuterRef("pk"), done=False)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = LevelAgreement.objects.filter(
        school__organisation_id=OuterRef("organisation_id"),
        assessment__is_current=True,
        status=LevelAgreement.Status.AWAITING,
    ).values("pk")[:1]
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            from_meetings=Coalesce(Subquery(from_meetings), 0),
            awaiting_pk=Subquery(waiting)
            if user.role == Role.HEADTEACHER
            else Value(None, output_field=IntegerField()),
        )
        .values("from_meetings", "awaiting_pk")
        .get()
    )
    awaiting = (
        LevelAgreement.objects.select_related(
            "school", "assessment__computed_level", "assessment__proposed_level"
        ).get(pk=row["awaiting_pk"])
        if row["awaiting_pk"]
        else None
    )
    if not actions and not row["from_meetings"] and awaiting is None:
        return None
    return {
        "actions": actions[:5],
        "more": len(actions) > 5,
        "from_meetings": row["from_meetings"],
        "awaiting": awaiting,
    }
