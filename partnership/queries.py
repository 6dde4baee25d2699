"""What the partnership pages read: the latest figures, the plan's progress, the termly
review's figures and the officer time the levels promise."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone

from bookings.models import Booking, Evaluation
from needs_assessment.models import Assessment, IndicatorValue
from needs_assessment.queries import officer_capacity
from needs_assessment.services import computed_level_for
from referrals.models import Referral
from schools.models import Engagement, Term
from schools.panels import promised_for

from .models import Action, ActionPlan, Objective, SchoolFigures, SurveyAnswer


def current_assessment(school):
    """The school's current assessment with its levels, framework and the school's answer on
    the level (`level_agreement`), in one query."""
    assessment = (
        Assessment.objects.filter(school=school, is_current=True)
        .select_related("computed_level", "proposed_level", "framework", "level_agreement")
        .first()
    )
    if assessment is not None:
        assessment.school = school
    return assessment


_TERM_FIELDS = ("pk", "name", "starts_on", "ends_on")


def term_fields(term) -> dict:
    """Expressions of a school: the fields of the first term of `term` (a queryset of terms
    that may use OuterRef("force_id")), read back by `attach_current_term`."""
    return {f"current_term_{name}": Subquery(term.values(name)[:1]) for name in _TERM_FIELDS}


def with_current_term(schools, *, on=None):
    """Annotate today's term of each school's force (read back by `attach_current_term`)."""
    on = on or timezone.localdate()
    term = Term.objects.filter(force_id=OuterRef("force_id")).containing(on).order_by("starts_on")
    return schools.annotate(**term_fields(term))


def with_term(schools, term_pk):
    """Annotate the term `term_pk` when it belongs to each school's force (None otherwise)."""
    term = Term.objects.filter(pk=term_pk, force_id=OuterRef("force_id"))
    return schools.annotate(**term_fields(term))


def attach_current_term(school):
    """Set `school.current_term` from `with_current_term`'s annotations (the force's terms are
    created on first need by Term.current_for when none holds today)."""
    if school.current_term_pk is None:
        school.current_term = Term.current_for(school.force)
        return school.current_term
    term = Term(
        pk=school.current_term_pk,
        force=school.force,
        name=school.current_term_name,
        starts_on=school.current_term_starts_on,
        ends_on=school.current_term_ends_on,
    )
    term._state.adding = False
    term._state.db = school._state.db
    school.current_term = term
    return term


def expectations_with_checks(level, school) -> list:
    """The level's expectations, each with `check`: the school's tick (with who ticked it) or
    None, in one query (the tick joined through a filtered relation)."""
    from accounts.models import User

    from .models import ExpectationCheck

    rows = list(
        level.expectations.annotate(
            school_check=FilteredRelation("checks", condition=Q(checks__school=school))
        ).annotate(
            check_pk=F("school_check__pk"),
            check_evidence=F("school_check__evidence"),
            check_ticked_on=F("school_check__ticked_on"),
            check_by_pk=F("school_check__ticked_by__pk"),
            check_by_name=F("school_check__ticked_by__full_name"),
            check_by_email=F("school_check__ticked_by__email"),
            check_by_rank=F("school_check__ticked_by__rank"),
            check_by_collar=F("school_check__ticked_by__collar_number"),
        )
    )
    for expectation in rows:
        expectation.check = None
        if expectation.check_pk is not None:
            expectation.check = ExpectationCheck(
                pk=expectation.check_pk,
                school=school,
                expectation=expectation,
                evidence=expectation.check_evidence,
                ticked_on=expectation.check_ticked_on,
                ticked_by=User(
                    pk=expectation.check_by_pk,
                    full_name=expectation.check_by_name,
                    email=expectation.check_by_email,
                    rank=expectation.check_by_rank,
                    collar_number=expectation.check_by_collar,
                ),
            )
    return rows


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
    plan = ActionPlan.objects.filter(school=school, year=year).first()
    if plan is None:
        return ActionPlan(school=school, year=year)
    plan.school = school  # the page's school, not read again
    return plan


def plan_progress(plan: ActionPlan, values: dict | None = None) -> list[ObjectiveProgress]:
    """Each objective with the latest measured value of its aim and how far it has come.

    Without `values`, each objective is read with its aim's value in the school's current
    assessment and the share feeling safe in its latest answered survey: one query."""
    if plan.pk is None:
        return []
    return _progress(plan.objectives.all(), plan.school_id, values)


def progress_in(school, *, year) -> list[ObjectiveProgress]:
    """plan_progress of the school's plan for the school year, without reading the plan."""
    return _progress(Objective.objects.filter(plan__school=school, plan__year=year), school.pk)


def actions_in(school, *, year):
    """The actions of the school's plan for the school year, with their owners."""
    return Action.objects.filter(plan__school=school, plan__year=year).select_related("owner")


def _progress(objectives, school_id, values=None) -> list[ObjectiveProgress]:
    objectives = objectives.select_related("aim")
    if values is None:
        objectives = objectives.annotate(**_latest_value_of_aim(school_id))
    rows = []
    for objective in objectives:
        key = objective.aim.indicator_key
        if values is not None:
            latest = values.get(key) if key else None
        elif key == SURVEY_KEY and objective.survey_answers:
            latest = (Decimal(objective.survey_safe) * 100 / objective.survey_answers).quantize(
                Decimal("0.01")
            )
        else:
            latest = objective.indicator_value if key else None
        rows.append(ObjectiveProgress(objective, latest, objective.progress(latest)))
    return rows


SURVEY_KEY = "feel_safe_percent"


def _latest_value_of_aim(school_id) -> dict:
    """Expressions of an objective: its aim's value in the school's current assessment, and
    the answers and safe answers of the school's latest answered survey (as latest_values)."""
    from django.db.models import IntegerField

    from .models import Survey

    value = IndicatorValue.objects.filter(
        assessment__school_id=school_id,
        assessment__is_current=True,
        indicator__key=OuterRef("aim__indicator_key"),
    ).order_by()
    latest_term = (
        Survey.objects.filter(school_id=school_id, answers__isnull=False)
        .order_by("-term__starts_on")
        .values("term__starts_on")[:1]
    )
    answers = SurveyAnswer.objects.filter(
        survey__school_id=school_id, survey__term__starts_on=Subquery(latest_term)
    ).order_by()

    def counted(filter_=None):
        return Subquery(
            answers.filter(**(filter_ or {}))
            .values("survey__school_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        )

    return {
        "indicator_value": Subquery(value.values("value")[:1]),
        "survey_answers": counted(),
        "survey_safe": counted({"feels_safe__in": ["yes", "mostly"]}),
    }


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
    """The termly review's figures for a school: counts only, no young person named.

    Two queries: the term's engagements by role, and the referrals, bookings, evaluations and
    the school's own figures for the term read with the school (the promise comes with the
    school's current assessment, read once per school object)."""
    from django.db.models import IntegerField
    from django.db.models.functions import Coalesce

    from schools.models import School

    engagements = Engagement.objects.filter(school=school).in_term(term)
    by_purpose = Counter(
        dict(engagements.values_list("purpose").annotate(n=Count("pk")).order_by())
    )
    labels = dict(Engagement.Purpose.choices)

    def count_of(queryset):
        return Coalesce(
            Subquery(
                queryset.order_by().values("school_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    in_term = Q(created__date__gte=term.starts_on, created__date__lte=term.ends_on)
    slots_in_term = Q(
        slot__starts_at__date__gte=term.starts_on, slot__starts_at__date__lte=term.ends_on
    )
    evaluations = (
        Evaluation.objects.filter(
            booking__school_id=OuterRef("pk"),
            booking__slot__starts_at__date__gte=term.starts_on,
            booking__slot__starts_at__date__lte=term.ends_on,
        )
        .order_by()
        .values("booking__school_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    supplied_fields = (
        "exclusions",
        "unauthorised_absence_percent",
        "total_absence_percent",
        "incidents",
        "bullying_reports",
    )
    row = (
        School.objects.filter(pk=school.pk)
        .annotate(
            supplied=FilteredRelation("termly_figures", condition=Q(termly_figures__term=term))
        )
        .values(
            "supplied__pk",
            *(f"supplied__{name}" for name in supplied_fields),
            n_referrals=count_of(Referral.objects.filter(in_term, school_id=OuterRef("pk"))),
            n_bookings=count_of(
                Booking.objects.filter(
                    slots_in_term, school_id=OuterRef("pk"), status=Booking.Status.CONFIRMED
                )
            ),
            n_evaluations=Coalesce(Subquery(evaluations, output_field=IntegerField()), 0),
        )
        .first()
    )
    promised = promised_for(school, term)
    supplied = (
        SchoolFigures(**{name: row[f"supplied__{name}"] for name in supplied_fields})
        if row["supplied__pk"] is not None
        else None
    )
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
        "delivered": sum(by_purpose.values()),
        "by_role": {str(labels.get(k, k)): v for k, v in sorted(by_purpose.items())},
        "referrals": row["n_referrals"],
        "bookings": row["n_bookings"],
        "evaluations": row["n_evaluations"],
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
