"""The partnership's section of the school page and of the home page."""

from django.db.models import Count, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Role, User
from schools.models import School
from schools.staff import school_of

from .models import Action, ActionPlan, LevelAgreement, MeetingAction


def school_panel(request, school):
    """The level's agreement and a link to the school's partnership page, for those who see it."""
    user = request.user
    if not user.has_perm("partnership.view", school):
        return None
    if hasattr(school, "partnership_level_status"):  # read with the school (page_annotations)
        status = school.partnership_level_status
        agreement = LevelAgreement(school=school, status=status) if status else None
    else:
        agreement = _current_level_agreements(school.pk).first()
    return {"school": school, "agreement": agreement}


def _current_level_agreements(school):
    return LevelAgreement.objects.filter(school=school, assessment__is_current=True).order_by(
        "-created"
    )


def page_annotations(request) -> dict:
    """The status of the school's answer on its current level, read with the school page's
    school (the panel shows only the status)."""
    return {
        "partnership_level_status": Subquery(
            _current_level_agreements(OuterRef("pk")).values("status")[:1]
        )
    }


_ROW = ("from_meetings", "awaiting_pk")


def _row(user, *, organisation_id=None) -> dict:
    """The meeting actions the user owns and not done, and for a headteacher the level waiting
    for their school's answer: as expressions on the user's row (or with their school's)."""
    from_meetings = (
        MeetingAction.objects.filter(owner=user.pk, done=False)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = LevelAgreement.objects.filter(
        school__organisation_id=organisation_id or OuterRef("organisation_id"),
        assessment__is_current=True,
        status=LevelAgreement.Status.AWAITING,
    ).values("pk")[:1]
    return {
        "from_meetings": Coalesce(Subquery(from_meetings), 0),
        "awaiting_pk": Subquery(waiting)
        if user.role == Role.HEADTEACHER
        else Value(None, output_field=IntegerField()),
    }


def staff_school_annotations(user) -> dict:
    """What school staff's school is read with once a request (schools.staff.school_of): the
    home panel's figures and, for a headteacher, the name of the level waiting for their
    answer, so that it costs only the query of its actions."""
    row = _row(user, organisation_id=user.organisation_id)
    annotations = {f"partnership_{name}": expression for name, expression in row.items()}
    if user.role == Role.HEADTEACHER:
        waiting = LevelAgreement.objects.filter(
            school__organisation_id=user.organisation_id,
            assessment__is_current=True,
            status=LevelAgreement.Status.AWAITING,
        )
        annotations["partnership_awaiting_level"] = Subquery(
            waiting.values(
                name=Coalesce(
                    "assessment__proposed_level__name", "assessment__computed_level__name"
                )
            )[:1]
        )
    return annotations


_ACTION_FIELDS = ("pk", "description", "due_on", "plan_id", "plan__school_id", "plan__school__name")


def _actions_and_row(user):
    """The user's first six open actions and the panel's figures in one query: the user's row
    (with the figures) joined to their open actions, one row each (one with none)."""
    open_actions = FilteredRelation(
        "actions_owned", condition=~Q(actions_owned__status=Action.Status.DONE)
    )
    rows = list(
        User.objects.filter(pk=user.pk)
        .annotate(open_action=open_actions, **_row(user))
        .order_by("open_action__due_on")
        .values(*_ROW, *(f"open_action__{name}" for name in _ACTION_FIELDS))[:6]
    )
    actions = []
    for row in rows:
        fields = {name: row[f"open_action__{name}"] for name in _ACTION_FIELDS}
        if fields["pk"] is None:
            continue
        school = School(pk=fields["plan__school_id"], name=fields["plan__school__name"])
        action = Action(
            pk=fields["pk"],
            description=fields["description"],
            due_on=fields["due_on"],
            plan=ActionPlan(pk=fields["plan_id"], school=school),
        )
        action._state.adding = False
        actions.append(action)
    return actions, {name: rows[0][name] for name in _ROW}


def home_panel(user):
    """The actions a person owns, and for a headteacher a level waiting for their answer: two
    queries (a third only when a level is waiting)."""
    if not user.is_authenticated or not user.force_id:
        return None
    school = school_of(user)
    if school is not None and hasattr(school, "partnership_from_meetings"):
        # School staff: read with their school once a request (staff_school_annotations).
        actions = list(
            Action.objects.owned_by(user)
            .open()
            .select_related("plan__school")
            .order_by("due_on")[:6]
        )
        row = {
            "from_meetings": school.partnership_from_meetings,
            "awaiting_pk": school.partnership_awaiting_pk,
        }
    else:
        actions, row = _actions_and_row(user)
    awaiting = level = None
    if row["awaiting_pk"] and hasattr(school, "partnership_awaiting_level"):
        # Read with the school: the level waiting is for the user's own school.
        awaiting = LevelAgreement(pk=row["awaiting_pk"], school=school)
        level = school.partnership_awaiting_level
    elif row["awaiting_pk"]:
        awaiting = LevelAgreement.objects.select_related(
            "school", "assessment__computed_level", "assessment__proposed_level"
        ).get(pk=row["awaiting_pk"])
        level = awaiting.assessment.level.name if awaiting.assessment.level else ""
    if not actions and not row["from_meetings"] and awaiting is None:
        return None
    return {
        "actions": actions[:5],
        "more": len(actions) > 5,
        "from_meetings": row["from_meetings"],
        "awaiting": awaiting,
        "awaiting_level": level,
    }
