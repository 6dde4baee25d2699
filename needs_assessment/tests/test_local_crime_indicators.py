"""Local crime has indicators of its own on the three-tier framework's location factor, apart
from the incidents the school reported; forces made before them gain them by a migration that
never edits a version already used by an assessment."""

import importlib

import pytest
from django.apps import apps

from needs_assessment.defaults import THREE_TIER
from needs_assessment.models import Framework, Indicator
from needs_assessment.tests.factories import approved_assessment

pytestmark = pytest.mark.django_db

LOCAL_CRIME = ("local_crime_per_week", "local_crime_per_1000_pupils")
migration = importlib.import_module("needs_assessment.migrations.0008_local_crime_indicators")


def test_the_shipped_tier_framework_has_local_crime_on_location_apart_from_incidents(world):
    framework = Framework.objects.get(force=world.forces["a"], key="three-tier")
    indicators = {i.key: i for i in framework.indicators.select_related("factor")}
    weekly, per_pupil = (
        indicators["local_crime_per_week"],
        indicators["local_crime_per_1000_pupils"],
    )
    assert weekly.factor.key == per_pupil.factor.key == "location"
    assert "police.uk" in weekly.name and weekly.computed_from == ""
    # Starting points for the force, in the framework's own levels, most intensive first.
    assert weekly.thresholds == [
        {"level": "complex", "above": 15},
        {"level": "enhanced", "above": 5},
    ]
    assert "Starting points for the force to set" in weekly.help_text
    assert per_pupil.thresholds == []
    assert indicators["incidents_per_week"].computed_from == "incidents_per_week"
    # The five-level framework has no location factor: local crime is not added there.
    five = Framework.objects.get(force=world.forces["a"], key="five-level")
    assert not five.indicators.filter(key__in=LOCAL_CRIME).exists()
    levels = {level["key"] for level in THREE_TIER["levels"]}
    assert {t["level"] for t in weekly.thresholds} <= levels


def test_the_framework_page_says_the_thresholds_are_the_forces_to_set(client, world):
    framework = Framework.objects.get(force=world.forces["a"], key="three-tier")
    client.force_login(world.manager)
    page = client.get(framework.get_absolute_url()).content.decode()
    assert "Crime and ASB reported within the school&#x27;s radius" in page
    assert "Starting points for the force to set: Enhanced above 5 a week" in page


def test_the_migration_adds_them_copying_a_version_in_use(world):
    used = Framework.objects.get(force=world.forces["a"], key="three-tier")
    unused = Framework.objects.get(force=world.forces["b"], key="three-tier")
    assert used.is_chosen
    # Before the migration: neither force's framework has local crime indicators.
    Indicator.objects.filter(key__in=LOCAL_CRIME).delete()
    ratings = {factor.key: "universal" for factor in used.factors.all()}
    ratings["location"] = "enhanced"
    approved = approved_assessment(
        world.schools["a1"], ratings, by=world.sso, approver=world.manager
    )
    before = (approved.framework_id, approved.computed_level_id, approved.status)
    values_before = list(approved.indicator_values.values_list("indicator_id", "value"))

    migration.add_local_crime_indicators(apps, None)

    # Force a's version 1 is in use: it is kept as it was, and version 2 (now the chosen one)
    # has everything it had and the local crime indicators on its location factor.
    used.refresh_from_db()
    assert not used.is_chosen
    assert not used.indicators.filter(key__in=LOCAL_CRIME).exists()
    copy = Framework.objects.get(force=world.forces["a"], key="three-tier", version=2)
    assert copy.is_chosen
    assert set(copy.indicators.values_list("key", flat=True)) == set(
        used.indicators.values_list("key", flat=True)
    ) | set(LOCAL_CRIME)
    weekly = copy.indicators.get(key="local_crime_per_week")
    assert weekly.factor.framework_id == copy.pk and weekly.factor.key == "location"
    assert weekly.thresholds == [
        {"level": "complex", "above": 15},
        {"level": "enhanced", "above": 5},
    ]
    assert copy.indicators.get(key="incidents_per_week").computed_from == "incidents_per_week"
    for part in ("levels", "factors", "service_offers"):
        assert getattr(copy, part).count() == getattr(used, part).count()
    # The approved assessment is untouched.
    approved.refresh_from_db()
    assert (approved.framework_id, approved.computed_level_id, approved.status) == before
    assert list(approved.indicator_values.values_list("indicator_id", "value")) == values_before
    # Force b's framework is unused: it gains them in place, after its other indicators.
    assert not Framework.objects.filter(force=world.forces["b"], version=2).exists()
    last = unused.indicators.exclude(key__in=LOCAL_CRIME).order_by("-order").first()
    added = unused.indicators.filter(key__in=LOCAL_CRIME).order_by("order")
    assert [i.key for i in added] == list(LOCAL_CRIME)
    assert added[0].order > last.order

    # Run again: nothing more.
    frameworks = Framework.objects.count()
    migration.add_local_crime_indicators(apps, None)
    assert Framework.objects.count() == frameworks
    assert Indicator.objects.filter(key="local_crime_per_week").count() == 2


def test_the_migration_leaves_a_force_that_has_them_or_reshaped_its_framework(world):
    framework = Framework.objects.get(force=world.forces["a"], key="three-tier")
    framework.indicators.filter(key="local_crime_per_week").update(thresholds=[])
    other = Framework.objects.get(force=world.forces["b"], key="three-tier")
    other.indicators.filter(key__in=LOCAL_CRIME).delete()
    other.factors.filter(key="location").update(key="area")

    migration.add_local_crime_indicators(apps, None)

    assert framework.indicators.get(key="local_crime_per_week").thresholds == []
    assert not other.indicators.filter(key__in=LOCAL_CRIME).exists()
    assert Framework.objects.filter(key="three-tier").count() == 2
