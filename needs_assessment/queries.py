"""Queryset helpers other apps read tiers through (the assessment table, the dashboards)."""

from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Assessment


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
