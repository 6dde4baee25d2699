"""Changing a force's framework: a version in use is copied first, so past assessments keep theirs."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts import audit
from accounts.models import User

from .models import (
    Aim,
    Descriptor,
    Expectation,
    Factor,
    Framework,
    Indicator,
    Level,
    ServiceOffer,
)


@dataclass(frozen=True)
class FrameworkChange:
    """The outcome of an edit: the changed record, in the version that now holds it."""

    framework: Framework
    changed: object
    new_version: bool
    diff: dict


def latest_version_of(framework: Framework) -> Framework:
    """Return the newest version of the framework's key in its force."""
    return (
        Framework.objects.filter(force_id=framework.force_id, key=framework.key)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def framework_revise(*, framework: Framework, by: User, request=None) -> Framework:
    """Return the version to edit: a deep copy at the next version if this one has assessments."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not framework.is_in_use:
        return framework
    next_version = (
        Framework.objects.filter(force_id=framework.force_id, key=framework.key).aggregate(
            latest=Max("version")
        )["latest"]
        + 1
    )
    was_chosen = framework.is_chosen
    if was_chosen:
        # One chosen framework per force (a database constraint): unset before setting.
        framework.is_chosen = False
        framework.save(update_fields=["is_chosen", "updated"])
    copy = Framework.objects.create(
        force_id=framework.force_id,
        key=framework.key,
        version=next_version,
        name=framework.name,
        description=framework.description,
        rule_summary=framework.rule_summary,
        is_chosen=was_chosen,
    )
    levels = {}
    for level in framework.levels.all():
        levels[level.pk] = Level.objects.create(
            framework=copy,
            key=level.key,
            name=level.name,
            rank=level.rank,
            description=level.description,
            key_factors=list(level.key_factors),
            min_factors=level.min_factors,
            lifted_by_higher=level.lifted_by_higher,
            colour=level.colour,
            criteria=[dict(c) for c in level.criteria],
            resources=level.resources,
            resources_source=level.resources_source,
        )
    factors = {}
    for factor in framework.factors.all():
        factors[factor.pk] = Factor.objects.create(
            framework=copy,
            key=factor.key,
            name=factor.name,
            order=factor.order,
            guidance=factor.guidance,
        )
    Descriptor.objects.bulk_create(
        Descriptor(factor=factors[d.factor_id], level=levels[d.level_id], text=d.text)
        for d in Descriptor.objects.filter(factor__framework=framework)
    )
    Indicator.objects.bulk_create(
        Indicator(
            framework=copy,
            factor=factors.get(i.factor_id),
            key=i.key,
            name=i.name,
            unit=i.unit,
            help_text=i.help_text,
            minimum=i.minimum,
            maximum=i.maximum,
            thresholds=[dict(t) for t in i.thresholds],
            thresholds_source=i.thresholds_source,
            order=i.order,
            computed_from=i.computed_from,
        )
        for i in framework.indicators.all()
    )
    ServiceOffer.objects.bulk_create(
        ServiceOffer(
            framework=copy,
            level=levels[o.level_id],
            phase_group=o.phase_group,
            contact=o.contact,
            contact_role=o.contact_role,
            frequency=o.frequency,
            engagements_per_term=o.engagements_per_term,
            uses_force_enhanced_number=o.uses_force_enhanced_number,
            offer=o.offer,
            education_inputs=o.education_inputs,
            promise_source=o.promise_source,
        )
        for o in framework.service_offers.all()
    )
    Aim.objects.bulk_create(
        Aim(
            framework=copy,
            key=a.key,
            name=a.name,
            direction=a.direction,
            indicator_key=a.indicator_key,
            lower_is_better=a.lower_is_better,
            source=a.source,
            order=a.order,
        )
        for a in framework.aims.all()
    )
    for expectation in framework.expectations.prefetch_related("levels"):
        copied = Expectation.objects.create(
            framework=copy,
            key=expectation.key,
            text=expectation.text,
            source=expectation.source,
            order=expectation.order,
        )
        copied.levels.set([levels[level.pk] for level in expectation.levels.all()])
    audit.record(
        "needs_assessment.framework.revised",
        actor=by,
        target=copy,
        request=request,
        changes={"from_version": framework.version, "version": copy.version, "chosen": was_chosen},
    )
    return copy


@transaction.atomic
def framework_choose(*, framework: Framework, by: User, request=None) -> Framework:
    """Make this framework version the one the force's new assessments use."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if latest_version_of(framework).pk != framework.pk:
        raise ValidationError("Only the latest version of a framework can be chosen.")
    previous = Framework.objects.filter(force_id=framework.force_id, is_chosen=True).first()
    if previous is not None and previous.pk == framework.pk:
        return framework
    # One chosen framework per force (a database constraint): unset before setting.
    Framework.objects.filter(force_id=framework.force_id, is_chosen=True).update(is_chosen=False)
    framework.is_chosen = True
    framework.save(update_fields=["is_chosen", "updated"])
    audit.record(
        "needs_assessment.framework.chosen",
        actor=by,
        target=framework,
        request=request,
        changes={"chosen": [str(previous) if previous else None, str(framework)]},
    )
    return framework


def _change(*, framework: Framework, by: User, request, model, key: dict, values: dict, label):
    """Validate the change, revise, apply it to the returned version's record, and audit it."""
    if latest_version_of(framework).pk != framework.pk:
        raise ValidationError("Only the latest version of a framework can be changed.")
    record = model.objects.get(framework=framework, **key)
    before = audit.snapshot(record)
    for field, value in values.items():
        setattr(record, field, value)
    diff = audit.diff(before, audit.snapshot(record))
    if not diff:  # nothing changed: no new version, no audit entry
        return FrameworkChange(framework=framework, changed=record, new_version=False, diff={})
    record.full_clean()
    with transaction.atomic():
        target = framework_revise(framework=framework, by=by, request=request)
        record = model.objects.get(framework=target, **key)
        for field, value in values.items():
            setattr(record, field, value)
        record.full_clean()
        record.save()
        new_version = target.pk != framework.pk
        audit.record(
            "needs_assessment.framework.changed",
            actor=by,
            target=target,
            request=request,
            changes={
                "changed": label(record),
                "version": target.version,
                "new_version": new_version,
                **diff,
            },
        )
    return FrameworkChange(framework=target, changed=record, new_version=new_version, diff=diff)


def level_change(*, level: Level, by: User, values: dict, request=None) -> FrameworkChange:
    """Change a level's name, description, rule or colour (in a new version if in use)."""
    return _change(
        framework=level.framework,
        by=by,
        request=request,
        model=Level,
        key={"key": level.key},
        values=values,
        label=lambda record: f"level {record.key}",
    )


def offer_change(*, offer: ServiceOffer, by: User, values: dict, request=None) -> FrameworkChange:
    """Change a service offer (in a new version if the framework is in use)."""
    return _change(
        framework=offer.framework,
        by=by,
        request=request,
        model=ServiceOffer,
        key={"level__key": offer.level.key, "phase_group": offer.phase_group},
        values=values,
        label=lambda record: f"service offer {record.level.key} {record.phase_group}",
    )


def indicator_change(
    *, indicator: Indicator, by: User, values: dict, request=None
) -> FrameworkChange:
    """Change an indicator's wording, range or thresholds (in a new version if in use)."""
    return _change(
        framework=indicator.framework,
        by=by,
        request=request,
        model=Indicator,
        key={"key": indicator.key},
        values=values,
        label=lambda record: f"indicator {record.key}",
    )
