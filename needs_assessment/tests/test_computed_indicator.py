"""Reports a week, averaged over six months, is computed from the incidents the school
reported, with the incidents as its evidence: the assessor no longer types it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.tests.factories import IncidentFactory
from needs_assessment import services
from needs_assessment.models import Framework, Indicator

pytestmark = pytest.mark.django_db


def _incidents(world, n, days_ago=3):
    for _ in range(n):
        IncidentFactory(
            school=world.schools["a1"],
            reported_by=world.dsl,
            occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )


def test_the_shipped_indicator_is_computed(world):
    for framework in Framework.objects.filter(force=world.forces["a"]):
        indicator = framework.indicators.get(key="incidents_per_week")
        assert indicator.computed_from == "incidents_per_week"


def test_saving_an_assessment_takes_the_value_from_the_incidents_not_the_typed_one(world):
    _incidents(world, 13)
    _incidents(world, 2, days_ago=300)  # older than 26 weeks: not counted
    IncidentFactory(school=world.schools["a1"], reported_by=world.dsl, status=Incident.Status.DRAFT)
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={},
        indicators={"incidents_per_week": Decimal("9"), "fsm_percent": Decimal("20")},
    )
    values = dict(assessment.indicator_values.values_list("indicator__key", "value"))
    assert values == {"incidents_per_week": Decimal("0.50"), "fsm_percent": Decimal("20")}


def test_no_incidents_gives_no_value(world):
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={},
        indicators={"incidents_per_week": Decimal("4")},
    )
    assert not assessment.indicator_values.exists()


def test_the_five_level_framework_rates_its_factor_from_the_computed_value(world):
    framework = Framework.objects.get(force=world.forces["a"], key="five-level")
    indicator = Indicator.objects.get(framework=framework, key="incidents_per_week")
    assert indicator.thresholds  # "above 2 a week" places a school at level 2
    _incidents(world, 26 * 3)  # three a week
    framework.is_chosen = True
    Framework.objects.filter(force=world.forces["a"]).update(is_chosen=False)
    framework.save()
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    assessment = services.assessment_save(
        assessment=assessment, by=world.sso, ratings={}, indicators={}
    )
    assert assessment.indicator_values.get(indicator=indicator).value == Decimal("3.00")
    # Three a week rates the incidents factor from the number alone: the school gets a level
    # with nothing typed, where a school with no incidents gets none yet.
    assert assessment.computed_level is not None
    quiet = services.assessment_start(school=world.schools["a2"], by=world.sso)
    quiet = services.assessment_save(assessment=quiet, by=world.sso, ratings={}, indicators={})
    assert quiet.computed_level is None


def test_the_assessment_page_shows_the_value_and_links_to_the_incidents(client, world):
    _incidents(world, 13)
    assessment = services.assessment_start(school=world.schools["a1"], by=world.sso)
    client.force_login(world.sso)
    page = client.get(
        reverse("needs_assessment:assessment_edit", args=[assessment.pk])
    ).content.decode()
    assert "0.50 a week, computed from" in page
    link = f"{reverse('incidents:list')}?school={world.schools['a1'].pk}&amp;period=6m"
    assert f'href="{link}">13 incidents' in page
    assert 'name="indicator_incidents_per_week"' not in page
    listed = client.get(
        reverse("incidents:list"), {"school": world.schools["a1"].pk, "period": "6m"}
    )
    assert "13 incidents in the 26 weeks" in listed.content.decode()
