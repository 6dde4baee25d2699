"""The partnership cycle: levels agreed with schools or in discussion, and the plans' progress."""

from django.db.models import Count, Q

from needs_assessment.queries import officer_capacity
from partnership.models import Action, LevelAgreement, Objective, academic_year_of

from ..tables import Table


def agreements_of(scope):
    """The current levels of the scope's schools with the schools' answers."""
    return LevelAgreement.objects.filter(assessment__is_current=True, school__in=scope.schools())


def levels_agreed(scope) -> Table:
    counts = dict(agreements_of(scope).values_list("status").annotate(n=Count("pk")).order_by())
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
        agreed=Count("pk", filter=Q(status=LevelAgreement.Status.AGREED)),
        discussion=Count("pk", filter=Q(status=LevelAgreement.Status.DISCUSSION)),
    )
    year = academic_year_of(scope.as_at)
    actions = Action.objects.filter(plan__year=year, plan__school__in=scope.schools()).aggregate(
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        open=Count("pk", filter=~Q(status=Action.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=Action.Status.DONE) & Q(due_on__lt=scope.as_at)),
    )
    objectives = Objective.objects.filter(plan__year=year, plan__school__in=scope.schools()).count()
    promised, posts = officer_capacity(scope.force_id)
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
