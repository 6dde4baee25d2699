"""The referrals sections of the school page and of each role's home page.

School staff see their school's referrals as statuses only: received, accepted and the
officer it is allocated to, declined, closed. Never the case log, the risk or police notes.
"""

from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import audit
from accounts.models import (
    POLICE_ROLES,
    SCHOOL_REFERRER_ROLES,
    SCHOOL_ROLES,
    SUPERVISOR_ROLES,
    Force,
    Role,
    is_member_of_a_force,
)

from .models import Action, Case, Referral

SHOWN = 10


def _school_statuses(user, school, request=None):
    """The school's referrals this user may see (Referral.visible_to), each view logged."""
    referrals = list(
        Referral.objects.visible_to(user)
        .for_school(school)
        .select_related("young_person", "case__officer")
        .order_by("-created")[:SHOWN]
    )
    audit.record_accesses(actor=user, targets=referrals, action="listed", request=request)
    return referrals


def school_panel(request, school):
    """For the school's DSL or headteacher: refer a young person, and the referrals' statuses."""
    user = request.user
    if (
        not user.has_perm("referrals.refer_from_school", school)
        or user.organisation_id != school.organisation_id
    ):
        return None
    return {"school": school, "referrals": _school_statuses(user, school, request)}


def home_panel(user):
    """Officers: their open cases. Sergeants: the inbox waiting. School staff: their referrals."""
    if not is_member_of_a_force(user):
        return None
    if user.role in SCHOOL_REFERRER_ROLES:
        from schools.staff import school_of

        school = school_of(user)
        if school is None:
            return None
        return {"kind": "school", "school": school, "referrals": _school_statuses(user, school)}
    if user.role in POLICE_ROLES:
        context = {"kind": "police", "role": user.role}
        mine = Case.objects.open().filter(officer=user, force_id=user.force_id)
        context["my_cases"] = list(mine.select_related("young_person").by_risk()[:SHOWN])
        audit.record_accesses(actor=user, targets=context["my_cases"], action="listed")
        # The figures of the panel in one query: each a count in a subquery of the force's row.
        counts = {"my_case_count": _count(mine)}
        if user.role in SUPERVISOR_ROLES:
            received = Referral.objects.filter(
                force_id=user.force_id, status=Referral.Status.RECEIVED
            )
            counts["waiting"] = _count(received)
        if user.role == Role.PREVENTION_MANAGER:
            due = Case.objects.filter(force_id=user.force_id).due_for_retention_review()
            counts["retention_due"] = _count(due)
        context.update(
            Force.objects.filter(pk=user.force_id).annotate(**counts).values(*counts).get()
        )
        return context
    return None


def _count(queryset):
    """The number of rows of the queryset, as an expression to read with another row."""
    rows = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def school_actions(user):
    """School staff: the open casework actions the school owns (owner "the school", on cases of
    its pupils), by due date. The headteacher and DSL read what each asks and when it is due,
    never whom it is about; other school roles see only how many there are."""
    if not user.is_authenticated or not user.is_active or user.role not in SCHOOL_ROLES:
        return None
    owned = Action.objects.open().filter(
        owner_kind=Action.OwnerKind.SCHOOL,
        case__force_id=user.force_id,
        case__young_person__school__organisation_id=user.organisation_id,
    )
    if user.role not in SCHOOL_REFERRER_ROLES:
        count = owned.count()
        return {"count": count, "actions": None} if count else None
    actions = list(owned.select_related("case").order_by("due_on", "pk")[:SHOWN])
    if not actions:
        return None
    audit.record_accesses(actor=user, targets=actions, action="listed")
    return {"actions": actions, "count": None, "today": timezone.localdate()}
