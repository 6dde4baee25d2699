"""Queryset helpers other apps read tiers through (the assessment table, the dashboards)."""

from datetime import timedelta

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from accounts.models import Role, Team
from schools.models import NamedContact, School

from .models import Assessment, ServiceOffer


def with_tiers(schools, *, on=None):
    """Annotate each school's current tier (level id and key), review date and open status.

    With `on`, a past day: the tier the school had that day, from the last assessment approved
    by then (a tier's history is its approved assessments).
    """
    if on is None:
        # No ordering: a school has one current and one open assessment at most (constraints),
        # and the model's default order would sort inside every per-school subquery.
        current = Assessment.objects.filter(school=OuterRef("pk"), is_current=True).order_by()
    else:
        current = Assessment.objects.filter(
            school=OuterRef("pk"), status=Assessment.Status.APPROVED, approved_on__lte=on
        ).order_by("-approved_on", "-pk")
    open_one = (
        Assessment.objects.filter(school=OuterRef("pk"))
        .exclude(status=Assessment.Status.APPROVED)
        .order_by()
    )
    return schools.annotate(
        tier_level_id=Subquery(
            current.values(level=Coalesce("proposed_level_id", "computed_level_id"))[:1]
        ),
        tier_key=Subquery(
            current.values(key=Coalesce("proposed_level__key", "computed_level__key"))[:1]
        ),
        review_due_on=Subquery(current.values("review_due_on")[:1]),
        open_status=Subquery(open_one.values("status")[:1]),
    )


DUE_SOON = timedelta(days=60)


def review_overdue(*, today) -> Q:
    """Schools (annotated by `with_tiers`) whose current assessment's review date has passed."""
    return Q(review_due_on__lt=today)


def review_due_soon(*, today) -> Q:
    """Schools (annotated by `with_tiers`) whose review falls due within 60 days."""
    return Q(review_due_on__gte=today, review_due_on__lte=today + DUE_SOON)


def officer_capacity(force_id, *, adding=None, on=None):
    """Return (schools promised an officer at least weekly, Safer Schools officers in post).

    With `on` (a past day), the schools open then and their tiers then; the officers are those
    in post today (the product keeps no history of posts).

    The schools are those whose current tier's offer is weekly, plus `adding` (an assessment
    about to be approved) when it would make one more; the posts are the force's active Safer
    Schools officers. More schools than posts means the levels promise more than the force has.
    """
    from django.db.models import Exists, IntegerField

    from accounts.models import Role, User
    from schools.models import School

    from .models import ServiceOffer

    weekly = ServiceOffer.objects.filter(
        framework__force_id=force_id,
        frequency=ServiceOffer.Frequency.WEEKLY,
        level_id=OuterRef("tier_level_id"),
        phase_group=OuterRef("phase_group"),
    ).order_by()
    posts_of_force = (
        User.objects.filter(
            organisation__force_id=force_id, role=Role.SAFER_SCHOOLS_OFFICER, is_active=True
        )
        .order_by()
        .values("organisation__force_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    schools = (
        School.objects.filter(force_id=force_id).open_on(on)
        if on
        else School.objects.filter(force_id=force_id).open()
    )
    # One query: each open school with whether its tier's offer is weekly, and the force's
    # officers in post on every row (the count is read again only for a force with no school).
    rows = list(
        with_tiers(schools, on=on)
        .annotate(
            phase_group=phase_group(),
            weekly=Exists(weekly),
            posts=Coalesce(Subquery(posts_of_force, output_field=IntegerField()), 0),
        )
        .values_list("pk", "weekly", "posts")
        .order_by()
    )
    promised = {pk for pk, is_weekly, _ in rows if is_weekly}
    if adding is not None and adding.level is not None:
        group = ServiceOffer.phase_group_of(adding.school)
        if ServiceOffer.objects.filter(
            framework__force_id=force_id,
            frequency=ServiceOffer.Frequency.WEEKLY,
            level_id=adding.level.pk,
            phase_group=group,
        ).exists():
            promised.add(adding.school_id)
        else:
            promised.discard(adding.school_id)
    if rows:
        posts = rows[0][2]
    else:
        posts = User.objects.filter(
            organisation__force_id=force_id, role=Role.SAFER_SCHOOLS_OFFICER, is_active=True
        ).count()
    return len(promised), posts


PRIMARY_PHASES = (School.Phase.PRIMARY, School.Phase.NURSERY, School.Phase.MIDDLE_PRIMARY)


def phase_group():
    """The service offer's phase group of a school: primary, nursery and middle-deemed-primary
    schools have the primary offer, every other school the secondary one."""
    return Case(
        When(phase__in=PRIMARY_PHASES, then=Value(ServiceOffer.PhaseGroup.PRIMARY.value)),
        default=Value(ServiceOffer.PhaseGroup.SECONDARY.value),
        output_field=CharField(),
    )


def with_required_role(schools):
    """Annotate the role the current tier's service offer asks of the school's police contact."""
    required_role = Subquery(
        ServiceOffer.objects.filter(
            level_id=OuterRef("tier_level_id"), phase_group=OuterRef("phase_group")
        )
        .order_by()  # one per tier and phase group; no ordering joins in every school's subquery
        .values("contact_role")[:1]
    )
    return with_tiers(schools).annotate(phase_group=phase_group(), required_role=required_role)


def needing_contact_change(schools, *, team_model: bool, today):
    """The schools whose police contact does not fit their tier's offer, or who have none.

    In the team caseload model a team holds the schools: a school the offer gives a Safer
    Schools officer belongs with that team, and one it gives a neighbourhood officer does not.
    Otherwise the named contact's role must be the one the offer asks for.
    """
    schools = with_required_role(schools)
    if team_model:
        sso_team = Q(team__kind=Team.Kind.SAFER_SCHOOLS)
        return schools.filter(
            Q(team__isnull=True)
            | (Q(required_role=Role.SAFER_SCHOOLS_OFFICER) & ~sso_team)
            | (Q(required_role=Role.NEIGHBOURHOOD_OFFICER) & sso_team)
        )
    contact_role = Subquery(
        NamedContact.objects.current(on=today)
        .filter(school=OuterRef("pk"))
        .order_by("-starts_on")
        .values("officer__role")[:1]
    )
    return schools.annotate(contact_role=contact_role).filter(
        Q(contact_role__isnull=True)
        | (
            Q(required_role__isnull=False)
            & ~Q(required_role="")
            & ~Q(contact_role=F("required_role"))
        )
    )
