"""What the partnership pages read: the latest figures, the plan's progress, the termly
review's figures and the officer time the levels promise."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from bookings.models import Booking, Evaluation
from needs_assessment.models import Assessment, IndicatorValue
from needs_assessment.queries import officer_capacity
from needs_assessment.services import computed_level_for
from referrals.models import Referral
from schools.models import Engagement
from schools.panels import promised_for

from .models import ActionPlan, Objective, SchoolFigures, SurveyAnswer


def current_assessment(school):
    return (
        Assessment.objects.filter(school=school, is_current=True)
        .select_related("computed_level", "proposed_level", "framework")
        .first()
    )


def latest_values(school) -> dict[str, Decimal]:
    """Return {indicator key: value} of the school's current assessment; the school's latest
    safety survey, once answered, gives the "feel safe" figure."""
    values = dict(
        IndicatorValue.objects.filter(assessment__school=school, assessment__is_current=True)
        .values_list("indicator__key", "value")
        .order_by()
    )
    survey = latest_survey_share(school)
    if survey is not None:
        values["feel_safe_percent"] = survey
    return values


def latest_survey_share(school) -> Decimal | None:
    """The share (%) who feel safe or mostly safe in the school's latest answered survey."""
    row = (
        SurveyAnswer.objects.filter(survey__school=school)
        .values("survey__term__starts_on")
        .annotate(n=Count("pk"), safe=Count("pk", filter=Q(feels_safe__in=["yes", "mostly"])))
        .order_by("-survey__term__starts_on")
        .first()
    )
    if not row or not row["n"]:
        return None
    return (Decimal(row["safe"]) * 100 / row["n"]).quantize(Decimal("0.01"))


@dataclass
class ObjectiveProgress:
    objective: Objective
    latest: Decimal | None
    percent: int | None


def plan_in(school, *, year) -> ActionPlan:
    """The school's plan for the school year, or an unsaved, empty one (a page view makes none)."""
    return ActionPlan.objects.filter(school=school, year=year).first() or ActionPlan(
        school=school, year=year
    )


def plan_progress(plan: ActionPlan, values: dict | None = None) -> list[ObjectiveProgress]:
    """Each objective with the latest measured value of its aim and how far it has come."""
    if plan.pk is None:
        return []
    values = latest_values(plan.school) if values is None else values
    rows = []
    for objective in plan.objectives.select_related("aim"):
        latest = values.get(objective.aim.indicator_key) if objective.aim.indicator_key else None
        rows.append(ObjectiveProgress(objective, latest, objective.progress(latest)))
    return rows


def level_recheck(assessment):
    """Return the level the data of the current assessment points to, when it is not the
    school's level (an override, or a framework changed since), else None."""
    if assessment is None or assessment.level is None:
        return None
    computed = computed_level_for(assessment)
    if computed is None or computed.key == assessment.level.key:
        return None
    return computed


def review_figures(school, term) -> dict:
    """The termly review's figures for a school: counts only, no young person named."""
    engagements = Engagement.objects.filter(school=school).in_term(term)
    by_purpose = Counter(
        dict(engagements.values_list("purpose").annotate(n=Count("pk")).order_by())
    )
    labels = dict(Engagement.Purpose.choices)
    in_term = Q(created__date__gte=term.starts_on, created__date__lte=term.ends_on)
    referrals = Referral.objects.filter(in_term, school=school).count()
    slots_in_term = Q(
        slot__starts_at__date__gte=term.starts_on, slot__starts_at__date__lte=term.ends_on
    )
    bookings = Booking.objects.filter(
        slots_in_term, school=school, status=Booking.Status.CONFIRMED
    ).count()
    evaluations = Evaluation.objects.filter(
        booking__school=school,
        booking__slot__starts_at__date__gte=term.starts_on,
        booking__slot__starts_at__date__lte=term.ends_on,
    ).count()
    promised = promised_for(school, term)
    supplied = SchoolFigures.objects.filter(school=school, term=term).first()
    return {
        "school_figures": {
            "exclusions": supplied.exclusions,
            "truancy_percent": str(supplied.unauthorised_absence_percent),
            "absence_percent": str(supplied.total_absence_percent),
            "incidents": supplied.incidents,
            "bullying_reports": supplied.bullying_reports,
        }
        if supplied
        else None,
        "term": str(term),
        "promised": promised,
        "delivered": engagements.count(),
        "by_role": {str(labels.get(k, k)): v for k, v in sorted(by_purpose.items())},
        "referrals": referrals,
        "bookings": bookings,
        "evaluations": evaluations,
    }


def capacity_warning(force_id) -> str:
    """A sentence when the levels promise more weekly officers than the force has, else ""."""
    promised, posts = officer_capacity(force_id)
    if promised <= posts:
        return ""
    return (
        f"{promised} school{'s' if promised != 1 else ''} are promised an officer at least "
        f"weekly against {posts} Safer Schools officer post{'s' if posts != 1 else ''}."
    )
