"""The life of an assessment: draft, submit, approve or return; and the tier it sets."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from schools.models import School

from . import notifications
from .computed import computed_value, supplied_values
from .models import Assessment, Framework, IndicatorValue, Level, Rating
from .signals import assessment_approved, tier_changed
from .tiering import LevelRule, compute_level, factor_levels, indicator_level


def computed_level_for(assessment: Assessment) -> Level | None:
    """Return the tier the assessment's ratings and indicators give (see tiering.py)."""
    from .models import Level

    # By the framework's id: an assessment read without its framework costs no query for it.
    levels = list(Level.objects.filter(framework_id=assessment.framework_id))
    by_key = {level.key: level for level in levels}
    manual = {
        r.factor.key: (r.level.key if r.level_id else None)
        for r in assessment.ratings.select_related("factor", "level")
    }
    from_indicators: dict[str, list[str | None]] = {}
    for value in assessment.indicator_values.select_related("indicator__factor"):
        indicator = value.indicator
        if indicator.factor_id and indicator.thresholds:
            from_indicators.setdefault(indicator.factor.key, []).append(
                indicator_level(indicator.thresholds, value.value)
            )
    ranks = {level.key: level.rank for level in levels}
    ratings = factor_levels(manual, from_indicators, ranks)
    if not any(ratings.values()):
        return None
    rules = [
        LevelRule(
            level.key,
            level.rank,
            tuple(level.key_factors),
            level.min_factors,
            level.lifted_by_higher,
        )
        for level in levels
    ]
    return by_key[compute_level(rules, ratings)]


@transaction.atomic
def assessment_start(*, school: School, by: User, request=None) -> Assessment:
    """Open a draft assessment of a school with the force's chosen framework (or return the open one)."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    open_one = (
        Assessment.objects.filter(school=school).exclude(status=Assessment.Status.APPROVED).first()
    )
    if open_one is not None:
        return open_one
    framework = Framework.objects.chosen_for(school.force)
    if framework is None:
        raise ValidationError("The force has not chosen a needs-assessment framework yet.")
    assessment = Assessment.objects.create(school=school, framework=framework, assessed_by=by)
    Rating.objects.bulk_create(
        Rating(assessment=assessment, factor=f) for f in framework.factors.all()
    )
    _fill_from_evidence(assessment)
    audit.record(
        "needs_assessment.assessment.started",
        actor=by,
        target=assessment,
        request=request,
        changes={"school": school.pk, "framework": framework.pk},
    )
    return assessment


def _fill_from_evidence(assessment: Assessment) -> None:
    """Record the indicators the product can fill, each with its own evidence note: those
    computed from the incidents the school reported, and the local crime figures (location)
    with the months they cover; then the tier they give. The assessor may type other values
    (not computed ones) or rate by hand."""
    from localcrime.evidence import indicator_evidence

    indicators = {i.key: i for i in assessment.framework.indicators.all()}
    found = {}
    for key, indicator in indicators.items():
        computed = computed_value(indicator, assessment.school)
        if computed is not None and computed.count:
            found[key] = (computed.value, computed.note)
    # Local crime fills only its own indicators, never one computed from incidents.
    typed = [key for key, indicator in indicators.items() if not indicator.computed_from]
    for key, evidence in indicator_evidence(assessment.school, typed).items():
        found.setdefault(key, (evidence.value, evidence.note))
    for key, pair in supplied_values(assessment.school, typed).items():
        found.setdefault(key, pair)
    if not found:
        return
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            assessment=assessment, indicator=indicators[key], value=value, source_note=note[:250]
        )
        for key, (value, note) in found.items()
    )
    assessment.computed_level = computed_level_for(assessment)
    assessment.save(update_fields=["computed_level", "updated"])


@transaction.atomic
def assessment_supply_values(
    *, school: School, values: dict[str, tuple[Decimal, str]], by: User, request=None
) -> Assessment | None:
    """Write values another app supplies ({indicator key: (value, evidence note)}, e.g. the
    school's termly figures) into the school's assessment being prepared, each checked against
    its indicator's range. A value the assessor typed over (no note) is theirs and is kept.
    Return the assessment written to, or None when none is being prepared."""
    assessment = (
        Assessment.objects.select_for_update()
        .filter(school=school, status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED])
        .first()
    )
    if assessment is None:
        return None
    indicators = {i.key: i for i in assessment.framework.indicators.filter(key__in=values)}
    recorded = {v.indicator.key: v for v in assessment.indicator_values.select_related("indicator")}
    changes = {}
    for key, indicator in indicators.items():
        value, note = values[key]
        if value is None or indicator.computed_from:
            continue
        if value < indicator.minimum or (
            indicator.maximum is not None and value > indicator.maximum
        ):
            raise ValidationError({key: _range_message(indicator)})
        row = recorded.get(key)
        if row is not None and not row.source_note:
            continue  # typed by the assessor
        if row is not None and row.value == value and row.source_note == note[:250]:
            continue
        IndicatorValue.objects.update_or_create(
            assessment=assessment,
            indicator=indicator,
            defaults={"value": value, "source_note": note[:250]},
        )
        changes[key] = [str(row.value) if row else None, str(value)]
    if changes:
        assessment.computed_level = computed_level_for(assessment)
        assessment.save(update_fields=["computed_level", "updated"])
        audit.record(
            "needs_assessment.assessment.values_supplied",
            actor=by,
            target=assessment,
            request=request,
            changes=changes,
        )
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    by: User,
    ratings: dict[str, tuple[str | None, str]],
    indicators: dict[str, Decimal | None],
    proposed_level: Level | None = None,
    override_reason: str = "",
    request=None,
) -> Assessment:
    """Save ratings, evidence and numbers; recompute the tier; keep a proposal only with a reason."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise ValidationError("This assessment can no longer be changed.")
    framework = assessment.framework
    levels = {level.key: level for level in framework.levels.all()}
    before = {
        "ratings": {
            r.factor.key: [r.level.key if r.level_id else None, r.evidence]
            for r in assessment.ratings.select_related("factor", "level")
        },
        "indicators": {
            v.indicator.key: str(v.value)
            for v in assessment.indicator_values.select_related("indicator")
        },
    }
    for rating in assessment.ratings.select_related("factor"):
        if rating.factor.key in ratings:
            level_key, evidence = ratings[rating.factor.key]
            rating.level = levels.get(level_key) if level_key else None
            rating.evidence = evidence.strip()
            rating.save(update_fields=["level", "evidence"])
    indicators = dict(indicators)
    notes = {}
    for indicator in framework.indicators.all():
        computed = computed_value(indicator, assessment.school)
        if computed is not None:
            # Computed from the school's reported incidents, never typed; none is no value.
            indicators[indicator.key] = computed.value if computed.count else None
            notes[indicator.key] = computed.note[:250]
    for indicator in framework.indicators.all():
        if indicator.key not in indicators:
            continue
        value = indicators[indicator.key]
        if value is None:
            IndicatorValue.objects.filter(assessment=assessment, indicator=indicator).delete()
            continue
        if value < indicator.minimum or (
            indicator.maximum is not None and value > indicator.maximum
        ):
            raise ValidationError({f"indicator_{indicator.key}": _range_message(indicator)})
        recorded = IndicatorValue.objects.filter(assessment=assessment, indicator=indicator)
        if indicator.key in notes:
            # A computed value keeps the note of the incidents it is counted from.
            IndicatorValue.objects.update_or_create(
                assessment=assessment,
                indicator=indicator,
                defaults={"value": value, "source_note": notes[indicator.key]},
            )
            continue
        # A value the assessor changes is theirs: it no longer comes from the figures.
        recorded.exclude(value=value).update(source_note="")
        IndicatorValue.objects.update_or_create(
            assessment=assessment, indicator=indicator, defaults={"value": value}
        )
    assessment.computed_level = computed_level_for(assessment)
    if proposed_level is not None and proposed_level == assessment.computed_level:
        proposed_level = None  # proposing the computed tier is no override
    assessment.proposed_level = proposed_level
    assessment.override_reason = override_reason.strip() if proposed_level else ""
    assessment.full_clean()
    assessment.save()
    after = {
        "ratings": {k: [v[0], v[1].strip()] for k, v in ratings.items()},
        "indicators": {k: (str(v) if v is not None else None) for k, v in indicators.items()},
    }
    audit.record(
        "needs_assessment.assessment.changed",
        actor=by,
        target=assessment,
        request=request,
        changes={
            "before": before,
            "after": after,
            "computed": assessment.computed_level.key if assessment.computed_level else None,
            "proposed": proposed_level.key if proposed_level else None,
        },
    )
    return assessment


def _range_message(indicator) -> str:
    if indicator.maximum is None:
        return f"{indicator.name} must be {indicator.minimum.normalize()} or more"
    return (
        f"{indicator.name} must be between {indicator.minimum.normalize()} "
        f"and {indicator.maximum.normalize()}"
    )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: User, request=None) -> Assessment:
    """Send a complete draft to the prevention managers for approval."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise ValidationError("Only a draft or returned assessment can be submitted.")
    unrated = [
        r.factor.name
        for r in assessment.ratings.select_related("factor", "level")
        if r.level_id is None and not _rated_by_indicators(assessment, r.factor)
    ]
    if unrated:
        raise ValidationError(f"Rate every factor before submitting: {'; '.join(unrated)}.")
    missing_evidence = [
        r.factor.name for r in assessment.ratings.select_related("factor") if not r.evidence.strip()
    ]
    if missing_evidence and not assessment.indicator_values.exists():
        raise ValidationError(f"Give the evidence for: {'; '.join(missing_evidence)}.")
    if assessment.computed_level is None:
        raise ValidationError("The tier could not be computed from these ratings.")
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated"])
    audit.record(
        "needs_assessment.assessment.submitted", actor=by, target=assessment, request=request
    )
    notifications.assessment_submitted(assessment)
    return assessment


def _rated_by_indicators(assessment, factor) -> bool:
    return (
        assessment.indicator_values.filter(indicator__factor=factor)
        .exclude(indicator__thresholds=[])
        .exists()
    )


@transaction.atomic
def assessment_approve(
    *, assessment: Assessment, by: User, comment: str = "", today=None, request=None
) -> Assessment:
    """Approve: the school's current tier and service offer become this assessment's."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only an assessment waiting for approval can be approved.")
    if assessment.assessed_by_id == by.pk:
        raise ValidationError("Someone other than the assessor must approve an assessment.")
    today = today or timezone.localdate()
    previous = (
        Assessment.objects.select_for_update()
        .filter(school=assessment.school, is_current=True)
        .first()
    )
    previous_level = previous.level if previous else None
    if previous:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated"])
    assessment.status = Assessment.Status.APPROVED
    assessment.decided_by = by
    assessment.decided_at = timezone.now()
    assessment.decision_comment = comment.strip()
    assessment.approved_on = today
    assessment.is_current = True
    assessment.review_due_on = _add_year(today)
    assessment.save()
    level = assessment.level
    audit.record(
        "needs_assessment.assessment.approved",
        actor=by,
        target=assessment,
        request=request,
        changes={
            "tier": [previous_level.key if previous_level else None, level.key],
            "review_due_on": assessment.review_due_on.isoformat(),
        },
    )
    notifications.assessment_decided(assessment)
    assessment_approved.send(sender=Assessment, assessment=assessment, by=by)
    if previous_level is None or previous_level.key != level.key:
        school = assessment.school
        transaction.on_commit(
            lambda: tier_changed.send(
                sender=Assessment,
                school=school,
                previous_level=previous_level,
                level=level,
                assessment=assessment,
            )
        )
    return assessment


def _add_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by: User, comment: str, request=None
) -> Assessment:
    """Send an assessment back to its assessor with a comment."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only an assessment waiting for approval can be returned.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change"})
    assessment.status = Assessment.Status.RETURNED
    assessment.decided_by = by
    assessment.decided_at = timezone.now()
    assessment.decision_comment = comment.strip()
    assessment.save()
    audit.record(
        "needs_assessment.assessment.returned",
        actor=by,
        target=assessment,
        request=request,
        changes={"comment": assessment.decision_comment},
    )
    notifications.assessment_decided(assessment)
    return assessment


@transaction.atomic
def reassessment_request(
    *, assessment: Assessment, by: User, due_on: datetime.date, request=None
) -> Assessment:
    """Bring a school's next assessment forward (a manager's call when risk changes)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_current:
        raise ValidationError("Only the school's current assessment has a review date.")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The date cannot be in the past"})
    before = assessment.review_due_on
    assessment.review_due_on = due_on
    assessment.save(update_fields=["review_due_on", "updated"])
    audit.record(
        "needs_assessment.review.requested",
        actor=by,
        target=assessment,
        request=request,
        changes={"review_due_on": [before.isoformat() if before else None, due_on.isoformat()]},
    )
    return assessment
