"""Local crime gets indicators of its own on the three-tier framework's location factor.

"incidents_per_week" is the incidents a school reported (0004); police.uk crime around the
school is "local_crime_per_week" (with the force's starting thresholds) and
"local_crime_per_1000_pupils" (evidence only). Each force's latest three-tier version gains
them; a version already used by an assessment is never edited: it is copied to the next
version first (as needs_assessment.framework_services.framework_revise does), so every
assessment, approved or not, keeps the version it was made with.
"""

from django.db import migrations
from django.db.models import Max

FRAMEWORK_KEY = "three-tier"
FACTOR_KEY = "location"
NEW_INDICATORS = [
    {
        "key": "local_crime_per_week",
        "name": (
            "Crime and ASB reported within the school's radius, a week "
            "(six-month average), from police.uk"
        ),
        "unit": "a week",
        "help_text": (
            "Filled in from police.uk street-level crime when the assessment starts. "
            "Starting points for the force to set: Enhanced above 5 a week, Complex above 15."
        ),
        "thresholds": [{"level": "complex", "above": 15}, {"level": "enhanced", "above": 5}],
    },
    {
        "key": "local_crime_per_1000_pupils",
        "name": (
            "Crime and ASB within the school's radius in a year, per 1,000 pupils, from police.uk"
        ),
        "unit": "per 1,000",
        "help_text": (
            "Filled in from police.uk street-level crime when the assessment starts. "
            "Evidence only until the force sets thresholds for it."
        ),
        "thresholds": [],
    },
]


def _revise(apps, framework):
    """Copy a version in use to the next version (chosen if it was) and return the copy."""
    Framework = apps.get_model("needs_assessment", "Framework")
    Level = apps.get_model("needs_assessment", "Level")
    Factor = apps.get_model("needs_assessment", "Factor")
    Descriptor = apps.get_model("needs_assessment", "Descriptor")
    Indicator = apps.get_model("needs_assessment", "Indicator")
    ServiceOffer = apps.get_model("needs_assessment", "ServiceOffer")

    latest = Framework.objects.filter(force_id=framework.force_id, key=framework.key).aggregate(
        latest=Max("version")
    )["latest"]
    was_chosen = framework.is_chosen
    if was_chosen:
        framework.is_chosen = False  # one chosen framework per force: unset before setting
        framework.save(update_fields=["is_chosen"])
    copy = Framework.objects.create(
        force_id=framework.force_id,
        key=framework.key,
        version=latest + 1,
        name=framework.name,
        description=framework.description,
        rule_summary=framework.rule_summary,
        is_chosen=was_chosen,
    )
    levels = {}
    for level in Level.objects.filter(framework=framework):
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
            criteria=list(level.criteria),
            resources=level.resources,
            resources_source=level.resources_source,
        )
    factors = {}
    for factor in Factor.objects.filter(framework=framework):
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
            order=i.order,
            computed_from=i.computed_from,
        )
        for i in Indicator.objects.filter(framework=framework)
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
        )
        for o in ServiceOffer.objects.filter(framework=framework)
    )
    # The aims and expectations the guidance gives (migration 0007) go with the new version.
    from needs_assessment.defaults import THREE_TIER, add_aims_and_expectations

    add_aims_and_expectations(copy, THREE_TIER, get_model=apps.get_model)
    return copy


def add_local_crime_indicators(apps, schema_editor):
    Framework = apps.get_model("needs_assessment", "Framework")
    Factor = apps.get_model("needs_assessment", "Factor")
    Indicator = apps.get_model("needs_assessment", "Indicator")
    Level = apps.get_model("needs_assessment", "Level")
    Assessment = apps.get_model("needs_assessment", "Assessment")

    for force_id in (
        Framework.objects.filter(key=FRAMEWORK_KEY).values_list("force_id", flat=True).distinct()
    ):
        framework = (
            Framework.objects.filter(force_id=force_id, key=FRAMEWORK_KEY)
            .order_by("-version")
            .first()
        )
        keys = [item["key"] for item in NEW_INDICATORS]
        if Indicator.objects.filter(framework=framework, key__in=keys).exists():
            continue  # the force has local crime indicators already
        if not Factor.objects.filter(framework=framework, key=FACTOR_KEY).exists():
            continue  # the force reshaped its framework: it adds its own
        if Assessment.objects.filter(framework=framework).exists():
            framework = _revise(apps, framework)
        factor = Factor.objects.get(framework=framework, key=FACTOR_KEY)
        level_keys = set(Level.objects.filter(framework=framework).values_list("key", flat=True))
        order = Indicator.objects.filter(framework=framework).aggregate(last=Max("order"))["last"]
        for n, item in enumerate(NEW_INDICATORS, start=1 + (order if order is not None else -1)):
            Indicator.objects.create(
                framework=framework,
                factor=factor,
                key=item["key"],
                name=item["name"],
                unit=item["unit"],
                help_text=item["help_text"],
                thresholds=[t for t in item["thresholds"] if t["level"] in level_keys],
                order=n,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("needs_assessment", "0007_shipped_frameworks_follow_the_guidance"),
    ]

    operations = [
        migrations.RunPython(add_local_crime_indicators, migrations.RunPython.noop),
    ]
