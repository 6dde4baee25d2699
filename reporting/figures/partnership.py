"""The partnership cycle: levels agreed with schools or in discussion, and the plans' progress."""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from needs_assessment.models import Assessment
from needs_assessment.queries import officer_capacity
from partnership.models import Action, LevelAgreement, Objective, academic_year_of

from ..tables import Table


def agreements_of(scope):
    """The levels of the scope's schools with the schools' answers, annotated `answer`: today,
    each school's current level and its answer; for a period that has ended, the level last
    approved by its end and the answer given by then (waiting if it came later)."""
    answers = LevelAgreement.objects.filter(school__in=scope.schools())
    if not scope.is_past:
        return answers.filter(assessment__is_current=True).annotate(answer=F("status"))
    later = Assessment.objects.filter(
        school=OuterRef("school"),
        status=Assessment.Status.APPROVED,
        approved_on__lte=scope.as_at,
        approved_on__gt=OuterRef("assessment__approved_on"),
    )
    return (
        answers.filter(assessment__approved_on__lte=scope.as_at)
        .exclude(Exists(later))
        .annotate(
            answer=Case(
                When(
                    Q(answered_at__isnull=True) | Q(answered_at__date__gt=scope.as_at),
                    then=Value(LevelAgreement.Status.AWAITING),
                ),
                default=F("status"),
            )
        )
    )


def levels_agreed(scope) -> Table:
    counts = dict(agreements_of(scope).values_list("answer").annotate(n=Count("pk")).order_by())
    query = scope.list_query()
    table = Table(
        "levels_agreed",
        "Levels agreed with schools",
        ["School's answer", "Schools"],
        note="Each school's current level, approved by a manager, and whether the school "
        "agreed it or asked to discuss it.",
    )
    for status, label in LevelAgreement.Status.choices:
        table.rows.append(
            [
                label,
                scope.standing_link(
                    counts.get(status, 0), "partnership:level_list", status=status, **query
                ),
            ]
        )
    return table


def build(scope) -> list[Table]:
    return [levels_agreed(scope)]


def headlines(scope) -> list[tuple[str, int]]:
    """Levels agreed, the plans' objectives and actions, and the officer time promised."""
    answers = agreements_of(scope).aggregate(
        agreed=Count("pk", filter=Q(answer=LevelAgreement.Status.AGREED)),
        discussion=Count("pk", filter=Q(answer=LevelAgreement.Status.DISCUSSION)),
    )
    year = academic_year_of(scope.as_at)
    actions = Action.objects.filter(plan__year=year, plan__school__in=scope.schools()).aggregate(
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        open=Count("pk", filter=~Q(status=Action.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=Action.Status.DONE) & Q(due_on__lt=scope.as_at)),
    )
    objectives = Objective.objects.filter(plan__year=year, plan__school__in=scope.schools()).count()
    promised, posts = officer_capacity(scope.force_id, on=scope.as_at if scope.is_past else None)
    return [
        ("Levels agreed with the school", answers["agreed"]),
        ("Levels in discussion with the school", answers["discussion"]),
        ("Action plan objectives this school year", objectives),
        ("Plan actions done", actions["done"]),
        ("Plan actions open", actions["open"]),
        ("Plan actions overdue", actions["overdue"]),
        ("Schools promised an officer at least weekly", promised),
        ("Safer Schools officers in post", posts),
    ]
