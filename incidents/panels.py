"""The incidents sections of the school page and of each role's home page, and what a new
force starts with."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import POLICE_ROLES

from .defaults import install_defaults
from .models import Incident, IncidentKind, ProtocolStep, per_week, reports_for_school

SHOWN = 5


def give_new_force_the_protocol(sender, instance, created, raw=False, **kwargs):
    """A new force starts with the protocol's kinds and steps, in the product's words."""
    if created and not raw:
        install_defaults(instance, kind_model=IncidentKind, step_model=ProtocolStep)


def school_panel(request, school):
    """Officers and the school's reporters: the school's incidents by kind over six months,
    the reports a week, and a link to the list behind each figure (the same definition)."""
    user = request.user
    police = user.role in POLICE_ROLES and user.force_id == school.force_id
    reporter = reports_for_school(user) and user.organisation_id == school.organisation_id
    if not (police or reporter):
        return None
    today = timezone.localdate()
    incidents = Incident.objects.visible_to(user).for_school(school)
    # One query: each kind's incidents of the six months and open ones of any date; the
    # six months' are those of the list the figures link to (in_six_months_to).
    recent = incidents.in_six_months_to(today)
    rows = list(
        incidents.order_by()
        .values("kind__key", "kind__name")
        .annotate(
            n=Count("pk", filter=Q(pk__in=recent.values("pk"))),
            open=Count(
                "pk", filter=Q(status__in=[Incident.Status.NEW, Incident.Status.ACKNOWLEDGED])
            ),
        )
        .order_by("-n", "kind__name")
    )
    by_kind = [{k: row[k] for k in ("kind__key", "kind__name", "n")} for row in rows if row["n"]]
    total = sum(row["n"] for row in by_kind)
    return {
        "school": school,
        "by_kind": list(by_kind),
        "total": total,
        "per_week": per_week(total) if total else 0,
        "open": sum(row["open"] for row in rows),
        "can_report": reporter,
        "can_designate": user.has_perm("incidents.designate_leads", school),
    }


def home_panel(user):
    """Police: the force's incidents waiting, by status. The school's reporters: theirs."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in POLICE_ROLES:
        counts = Incident.objects.visible_to(user).aggregate(
            new=Count("pk", filter=Q(status=Incident.Status.NEW)),
            acknowledged=Count("pk", filter=Q(status=Incident.Status.ACKNOWLEDGED)),
        )
        return {"kind": "police", **counts}
    if reports_for_school(user):
        incidents = list(
            Incident.objects.visible_to(user)
            .select_related("kind")
            .order_by("-sent_at", "-created")[:SHOWN]
        )
        return {"kind": "school", "incidents": incidents}
    return None
