"""What each role's home page shows: a few constant-cost queries per role."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import AuditEntry, Invitation, Role, Team, User
from schools.models import NamedContact, School
from schools.staff import school_of


def school_staff_home(user):
    school = school_of(user)
    contact = school.named_contact if school else None
    staff = User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "full_name"
    )
    return {"school": school, "named_contact": contact, "staff": staff}


def officer_home(user):
    today = timezone.localdate()
    contacts = (
        NamedContact.objects.current(on=today)
        .filter(Q(officer=user) | Q(deputy=user))
        .select_related("school", "officer", "deputy")
        .order_by("school__name")
    )
    team_schools = School.objects.none()
    if user.team_id and user.force.contact_model == user.force.ContactModel.TEAM_CASELOAD:
        team_schools = School.objects.open().filter(team_id=user.team_id).order_by("name")
    return {"contacts": contacts, "team_schools": team_schools}


def sergeant_home(user):
    context = officer_home(user)
    teams = Team.objects.led_by(user).distinct()
    today = timezone.localdate()
    context["teams"] = teams.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        school_count=Count(
            "schools", filter=~Q(schools__status=School.Status.CLOSED), distinct=True
        ),
    )
    context["schools_without_contact"] = (
        School.objects.open()
        .filter(team__in=teams)
        .exclude(named_contacts__in=NamedContact.objects.current(on=today))
        .order_by("name")[:25]
    )
    return context


def manager_home(user):
    schools = School.objects.visible_to(user).open()
    by_la = schools.values("la_code", "la_name").annotate(total=Count("pk")).order_by("la_name")
    by_phase = schools.values("phase").annotate(total=Count("pk")).order_by("-total")
    phase_labels = dict(School.Phase.choices)
    today = timezone.localdate()
    return {
        "school_total": schools.count(),
        "schools_by_la": by_la,
        "schools_by_phase": [
            {"phase": phase_labels.get(row["phase"], row["phase"]), "total": row["total"]}
            for row in by_phase
        ],
        "schools_without_contact": schools.exclude(
            named_contacts__in=NamedContact.objects.current(on=today)
        ).count(),
    }


def coordinator_home(user):
    return manager_home(user)


def admin_home(user):
    people = User.objects.filter(organisation__force_id=user.force_id)
    role_labels = dict(Role.choices)
    return {
        "people_by_role": [
            {"role": role_labels.get(row["role"], row["role"]), "total": row["total"]}
            for row in people.filter(is_active=True)
            .values("role")
            .annotate(total=Count("pk"))
            .order_by("role")
        ],
        "disabled_count": people.filter(is_active=False).count(),
        "pending_invitations": Invitation.objects.visible_to(user).pending().count(),
        "recent_audit": AuditEntry.objects.visible_to(user).select_related("actor", "target_type")[
            :10
        ],
        "teams": Team.objects.visible_to(user).select_related("sergeant"),
    }
