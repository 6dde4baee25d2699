"""What a force changes for its own partnership cycle: the roles its engagement log records
(the officer's four roles unless it changes them) and its levels' aims and expectations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from accounts import audit
from accounts.models import User
from needs_assessment.models import Aim, Expectation, Framework, Level, Source
from schools.models import Engagement, EngagementPurpose


def purpose_key(name: str) -> str:
    """The key a role's name gives ("Role Model" is role_model, as the four roles' keys are)."""
    return slugify(name).replace("-", "_")[:20]


@transaction.atomic
def engagement_purposes_set(*, force, names: list[str], by: User, request=None) -> list:
    """Make the force's roles the names given, in their order. A role left out is taken off
    the list (kept inactive), so the engagements logged against it keep their role."""
    names = [" ".join(n.split()) for n in names if n.strip()]
    keys = [purpose_key(n) for n in names]
    if not names:
        raise ValidationError({"names": "List at least one role"})
    if len(names) > 12:
        raise ValidationError({"names": "List up to 12 roles"})
    if any(len(n) > 60 for n in names):
        raise ValidationError({"names": "Each role must be 60 characters or fewer"})
    if not all(keys) or len(set(keys)) != len(keys):
        raise ValidationError({"names": "Give each role once, with at least one letter"})
    existing = {p.key: p for p in EngagementPurpose.objects.select_for_update().filter(force=force)}
    if not existing:  # the force starts from the four roles
        existing = {
            key: EngagementPurpose(force=force, key=key, name=name)
            for key, name in Engagement.Purpose.choices
        }
    before = [p.name for p in existing.values() if p.is_active and p.pk]
    before = before or [name for _, name in Engagement.Purpose.choices]
    for purpose in existing.values():
        purpose.is_active = False
    for order, (key, name) in enumerate(zip(keys, names, strict=True)):
        purpose = existing.get(key) or EngagementPurpose(force=force, key=key)
        purpose.name, purpose.order, purpose.is_active = name, order, True
        existing[key] = purpose
    for purpose in existing.values():
        purpose.full_clean()
        purpose.save()
    audit.record(
        "partnership.engagement_purposes.changed",
        actor=by,
        force=force,
        request=request,
        changes={"roles": [before, names]},
    )
    return [existing[k] for k in keys]


def chosen_framework(force) -> Framework | None:
    return Framework.objects.chosen_for(force)


@transaction.atomic
def aim_change(
    *, aim: Aim, by: User, name: str, indicator_key: str, lower_is_better: bool, request=None
) -> Aim:
    """Change an aim's wording or measure; it becomes the force's own (not the guidance's)."""
    if indicator_key and not aim.framework.indicators.filter(key=indicator_key).exists():
        raise ValidationError({"indicator_key": "Choose an indicator of this framework"})
    before = audit.snapshot(aim)
    aim.name, aim.indicator_key = " ".join(name.split()), indicator_key
    aim.lower_is_better = lower_is_better
    aim.direction = Aim.Direction.REDUCE if lower_is_better else Aim.Direction.IMPROVE
    diff = audit.diff(before, audit.snapshot(aim))
    if not diff:
        return aim
    aim.source = Source.FORCE
    aim.full_clean()
    aim.save()
    audit.record(
        "partnership.aim.changed",
        actor=by,
        target=aim.framework,
        request=request,
        changes={"aim": aim.key, **diff},
    )
    return aim


@transaction.atomic
def expectation_save(
    *,
    framework: Framework,
    by: User,
    text: str,
    levels: list[Level],
    expectation: Expectation | None = None,
    request=None,
) -> Expectation:
    """Add an expectation to the framework's levels, or change one's wording or levels; it
    becomes the force's own. Its levels are the tiers that expect it (the "management_group"
    expectation's levels are the ones that get a local management group)."""
    if any(level.framework_id != framework.pk for level in levels):
        raise ValidationError({"levels": "Choose levels of this framework"})
    if not levels:
        raise ValidationError({"levels": "Choose at least one level that expects it"})
    text = " ".join(text.split())
    if expectation is None:
        key = slugify(text).replace("-", "_")[:40] or "expectation"
        taken = set(framework.expectations.values_list("key", flat=True))
        base, n = key[:36], 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        last = framework.expectations.order_by("-order").first()
        expectation = Expectation(
            framework=framework, key=key, order=(last.order + 1) if last else 0
        )
        before = {}
    else:
        before = {
            "text": expectation.text,
            "levels": sorted(level.key for level in expectation.levels.all()),
        }
    expectation.text, expectation.source = text, Source.FORCE
    expectation.full_clean()
    expectation.save()
    expectation.levels.set(levels)
    after = {"text": text, "levels": sorted(level.key for level in levels)}
    audit.record(
        "partnership.expectation.changed" if before else "partnership.expectation.added",
        actor=by,
        target=framework,
        request=request,
        changes={
            "expectation": expectation.key,
            **{k: [before.get(k), v] for k, v in after.items()},
        },
    )
    return expectation
