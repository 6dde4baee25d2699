"""Local crime as the evidence of the location factor: filled in when an assessment starts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from localcrime.evidence import indicator_evidence
from localcrime.figures import refresh_figures
from localcrime.models import CrimeType, LoadedMonth
from localcrime.tests.factories import StreetCrimeFactory
from localcrime.tests.support import lon_lat
from needs_assessment import services
from needs_assessment.models import Framework, IndicatorValue
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

MONTHS = [datetime.date(2020, m, 1) for m in range(9, 13)] + [
    datetime.date(2021, 1, 1),
    datetime.date(2021, 2, 1),
]


def _school_with_crime(force, per_month, pupils=500):
    lon, lat = lon_lat(408_900, 96_400)
    school = SchoolFactory(
        force=force,
        easting=408_900,
        northing=96_400,
        longitude=lon,
        latitude=lat,
        number_of_pupils=pupils,
    )
    for month in MONTHS:
        LoadedMonth.objects.get_or_create(
            force=force, month=month, defaults={"loaded_at": timezone.now()}
        )
        for _ in range(per_month):
            StreetCrimeFactory(
                force=force,
                month=month,
                crime_type=CrimeType.ASB,
                easting=school.easting + 30,
                northing=school.northing,
            )
    refresh_figures(force.pk)
    return school


def _location_thresholds(force):
    framework = Framework.objects.chosen_for(force)
    levels = list(framework.levels.order_by("-rank"))
    indicator = framework.indicators.get(key="local_crime_per_week")
    # The most intensive tier above 3 a week, the next above 1 a week.
    indicator.thresholds = [
        {"level": levels[0].key, "above": 3},
        {"level": levels[1].key, "above": 1},
    ]
    indicator.save()
    return framework, levels


def test_an_assessment_starts_with_the_location_figure_and_the_tier_it_gives(world):
    force = world.forces["a"]
    framework, levels = _location_thresholds(force)
    # 20 a month for six months (September to February, 181 days): 120 / 25.86 weeks = 4.64.
    school = _school_with_crime(force, per_month=20)

    assessment = services.assessment_start(school=school, by=world.sso)

    value = IndicatorValue.objects.get(assessment=assessment, indicator__key="local_crime_per_week")
    assert value.value == Decimal("4.64")
    assert value.source_note.startswith(
        "120 crimes and ASB reports within 500 m, September 2020 to February 2021"
    )
    # Location rated the most intensive tier gives the framework's tier for location alone.
    assert assessment.computed_level is not None


def test_the_assessor_can_type_another_figure_and_it_is_theirs(world):
    force = world.forces["a"]
    framework, levels = _location_thresholds(force)
    school = _school_with_crime(force, per_month=20)
    assessment = services.assessment_start(school=school, by=world.sso)
    from_figures = assessment.computed_level

    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={},
        indicators={"local_crime_per_week": Decimal("0.5")},
    )

    value = IndicatorValue.objects.get(assessment=assessment, indicator__key="local_crime_per_week")
    assert (value.value, value.source_note) == (Decimal("0.50"), "")
    assessment.refresh_from_db()
    assert from_figures is not None
    assert assessment.computed_level is None or assessment.computed_level.rank < from_figures.rank


def test_per_1000_pupils_and_against_the_force_median(world):
    force = world.forces["a"]
    busy = _school_with_crime(force, per_month=2, pupils=400)
    quiet = SchoolFactory(force=force, easting=420_000, northing=96_400)
    StreetCrimeFactory(force=force, month=MONTHS[-1], easting=420_000, northing=96_400)
    refresh_figures(force.pk)

    found = indicator_evidence(busy, ["local_crime_per_1000_pupils", "local_crime_against_median"])

    # 12 within 500 m over the year (six months loaded) for 400 pupils: 30 per 1,000.
    assert found["local_crime_per_1000_pupils"].value == Decimal("30.0")
    # The force's placed schools have 12 and 1: the median is 6.5; 12 is 184.6% of it.
    assert found["local_crime_against_median"].value == Decimal("184.6")
    assert indicator_evidence(quiet, ["local_crime_per_week"])["local_crime_per_week"].value > 0


def test_no_figure_for_a_school_without_a_position_or_before_any_month(world):
    force = world.forces["a"]
    assert indicator_evidence(world.schools["a1"], ["local_crime_per_week"]) == {}
    _school_with_crime(force, per_month=1)
    assert indicator_evidence(world.schools["a1"], ["local_crime_per_week"]) == {}


def test_the_reassessment_reminder_says_when_local_crime_moved_a_band(world, mailoutbox):
    from django.core import mail
    from django.test import TestCase

    from localcrime.models import StreetCrime
    from needs_assessment.reminders import send_due_reassessment_reminders
    from needs_assessment.tests.factories import approved_assessment

    force = world.forces["a"]
    framework, levels = _location_thresholds(force)
    busy = _school_with_crime(force, per_month=20)
    today = timezone.localdate()
    ratings = {factor.key: "universal" for factor in framework.factors.all()}
    approved_assessment(
        busy,
        ratings,
        by=world.sso,
        approver=world.manager,
        today=today.replace(year=today.year - 1),
    )
    # The area has quietened since: none of the crime is there any more.
    StreetCrime.objects.filter(force=force).delete()
    refresh_figures(force.pk)

    with TestCase.captureOnCommitCallbacks(execute=True):
        send_due_reassessment_reminders(today=today)

    (email,) = [m for m in mail.outbox if world.manager.email in m.to]
    assert (
        f"local crime has moved a band: it now rates location below every threshold "
        f"(it was {levels[0].name})" in email.body
    )
