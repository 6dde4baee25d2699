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


def _school_with_crime(force, per_month, pupils=500, school=None):
    lon, lat = lon_lat(408_900, 96_400)
    place = {
        "easting": 408_900,
        "northing": 96_400,
        "longitude": lon,
        "latitude": lat,
        "number_of_pupils": pupils,
    }
    if school is None:
        school = SchoolFactory(force=force, **place)
    else:
        for field, value in place.items():
            setattr(school, field, value)
        school.save()
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


def test_reported_incidents_and_local_crime_fill_separate_indicators(world):
    """incidents_per_week comes from the incidents the school reported, local_crime_per_week
    from police.uk around it: each with its own evidence note, neither overwriting the other."""
    from incidents.tests.factories import IncidentFactory

    force = world.forces["a"]
    school = world.schools["a1"]
    for _ in range(13):  # 13 in the last 26 weeks: 0.50 a week
        IncidentFactory(school=school, reported_by=world.dsl)
    _school_with_crime(force, per_month=20, school=school)

    assessment = services.assessment_start(school=school, by=world.sso)

    values = {v.indicator.key: v for v in assessment.indicator_values.select_related("indicator")}
    incidents, crime = values["incidents_per_week"], values["local_crime_per_week"]
    assert incidents.value == Decimal("0.50")
    assert incidents.source_note.startswith("13 incidents the school reported, ")
    assert crime.value == Decimal("4.64")
    assert crime.source_note.startswith(
        "120 crimes and ASB reports within 500 m, September 2020 to February 2021"
    )
    assert "data.police.uk" in crime.source_note and "police" not in incidents.source_note
    # Saving keeps both: the computed value from the incidents, whatever was typed, and the
    # local crime figure with its note.
    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings={},
        indicators={"incidents_per_week": Decimal("9"), "local_crime_per_week": Decimal("4.64")},
    )
    values = {v.indicator.key: v for v in assessment.indicator_values.select_related("indicator")}
    assert (values["incidents_per_week"].value, values["local_crime_per_week"].value) == (
        Decimal("0.50"),
        Decimal("4.64"),
    )
    assert values["incidents_per_week"].source_note.startswith("13 incidents the school reported")
    assert values["local_crime_per_week"].source_note.startswith("120 crimes and ASB reports")


def test_local_crime_never_fills_the_incidents_indicator(world):
    force = world.forces["a"]
    school = _school_with_crime(force, per_month=20)
    assert indicator_evidence(school, ["incidents_per_week"]) == {}
    from localcrime.evidence import indicator_values

    assert indicator_values(force.pk, "incidents_per_week", [school]) == {}
    assert indicator_values(force.pk, "local_crime_per_week", [school]) == {
        school.pk: Decimal("4.64")
    }
    # A school with no incidents reported gets no incidents figure from local crime either.
    assessment = services.assessment_start(school=school, by=world.sso)
    keys = set(assessment.indicator_values.values_list("indicator__key", flat=True))
    assert "incidents_per_week" not in keys and "local_crime_per_week" in keys
