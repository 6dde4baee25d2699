"""The school's figures each term and its anonymous safety survey."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from needs_assessment.models import Aim
from needs_assessment.tests.factories import approved_assessment
from partnership import services, voice
from partnership.models import SchoolFigures, SurveyAnswer
from partnership.queries import plan_progress
from partnership.tests.factories import COMPLEX
from schools.models import Term

pytestmark = pytest.mark.django_db

FIGURES = {
    "exclusions": "4",
    "unauthorised_absence_percent": "1.5",
    "total_absence_percent": "6.2",
    "incidents": "3",
    "bullying_reports": "7",
    "results_percent": "",
}


def test_school_staff_supply_the_terms_figures_checked_and_kept(client, world):
    school = world.schools["a1"]
    client.force_login(world.dsl)
    url = reverse("partnership:figures_edit", args=[school.pk])
    bad = client.post(url, FIGURES | {"unauthorised_absence_percent": "9", "exclusions": "-1"})
    page = bad.content.decode()
    assert "Truancy cannot be more than total absence" in page and "Enter 0 or more" in page
    assert client.post(url, FIGURES | {"total_absence_percent": "101"}).status_code == 200
    assert client.post(url, FIGURES).status_code == 302
    row = SchoolFigures.objects.get(school=school)
    assert row.exclusions == 4 and row.submitted_by == world.dsl
    assert AuditEntry.objects.filter(action="partnership.figures.supplied").exists()
    # Police see them on the school's partnership page, marked as supplied by the school.
    client.force_login(world.sso)
    page = client.get(reverse("partnership:school", args=[school.pk])).content.decode()
    assert "Supplied by the school" in page


def test_the_survey_is_anonymous_and_takes_one_answer_per_device(client, world):
    school = world.schools["a1"]
    survey = voice.survey_open(
        school=school, term=Term.current_for(school.force), by=world.headteacher
    )
    client.logout()
    url = survey.public_path()
    assert "How safe do you feel?" in client.get(url).content.decode()
    refused = client.post(url, {"respondent": "pupil"})
    assert "Choose how safe you feel" in refused.content.decode()
    answered = client.post(url, {"respondent": "pupil", "feels_safe": "no", "bullied": "yes"})
    assert "Thank you" in answered.content.decode()
    again = client.post(url, {"respondent": "pupil", "feels_safe": "yes", "bullied": "no"})
    assert "You have already answered" in again.content.decode()
    assert SurveyAnswer.objects.filter(survey=survey).count() == 1
    answer = SurveyAnswer.objects.get()
    assert client.cookies[voice.DEVICE_COOKIE].value not in answer.device  # only a one-way key
    client.cookies.clear()  # another device
    client.post(url, {"respondent": "parent", "feels_safe": "mostly", "bullied": "no"})
    results = voice.survey_results(survey)
    assert results["total"] == 2 and results["safe_percent"] == 50
    client.force_login(world.headteacher)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "<svg" in page and "50% feel safe or mostly safe" in page


def test_the_survey_feeds_the_feel_safe_objective(world):
    school = world.schools["a1"]
    assessment = approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)
    survey = voice.survey_open(
        school=school, term=Term.current_for(school.force), by=world.headteacher
    )
    for n, feels in enumerate(["yes", "yes", "yes", "no"]):
        voice.survey_answer(
            survey=survey, device=f"d{n}", respondent="pupil", feels_safe=feels, bullied=False
        )
    plan = services.plan_of(school)
    aim = Aim.objects.get(framework=assessment.framework, key="safety")
    assert aim.indicator_key == "feel_safe_percent"
    services.objective_add(
        plan=plan,
        by=world.sso,
        aim=aim,
        baseline=Decimal("60"),
        target_percent=Decimal("50"),
        target_on=Term.current_for(school.force).ends_on,
    )
    (row,) = plan_progress(plan)
    assert row.latest == Decimal("75.00")
    assert row.percent == 50  # from 60 towards 90


def _value(assessment, key):
    return assessment.indicator_values.filter(indicator__key=key).first()


def test_the_schools_figures_fill_the_assessment_being_prepared(client, world):
    from needs_assessment import services as assessment_services

    school = world.schools["a1"]
    draft = assessment_services.assessment_start(school=school, by=world.sso)
    client.force_login(world.dsl)
    url = reverse("partnership:figures_edit", args=[school.pk])
    assert client.post(url, FIGURES).status_code == 302
    truancy = _value(draft, "school_truancy_percent")
    assert truancy.value == Decimal("1.5")
    assert truancy.source_note.startswith("Supplied by the school: its figures for the")
    assert _value(draft, "school_exclusions").value == 4
    assert _value(draft, "school_bullying_reports").value == 7
    assert _value(draft, "school_results_percent") is None  # not given, not written
    assert AuditEntry.objects.filter(
        action="needs_assessment.assessment.values_supplied", actor=world.dsl
    ).exists()
    # A correction of the term's figures follows; a value the assessor typed over is theirs.
    assessment_services.assessment_save(
        assessment=draft,
        by=world.sso,
        ratings={},
        indicators={"school_exclusions": Decimal("5")},
    )
    client.post(url, FIGURES | {"exclusions": "6", "unauthorised_absence_percent": "2"})
    assert _value(draft, "school_truancy_percent").value == Decimal("2")
    assert _value(draft, "school_exclusions").value == 5
    assert _value(draft, "school_exclusions").source_note == ""


def test_a_new_assessment_starts_with_the_latest_figures_supplied(world):
    from needs_assessment import services as assessment_services

    school = world.schools["a1"]
    voice.figures_submit(
        school=school,
        term=Term.current_for(school.force),
        by=world.dsl,
        exclusions=2,
        unauthorised_absence_percent=Decimal("1.0"),
        total_absence_percent=Decimal("5.0"),
        incidents=1,
        bullying_reports=0,
        results_percent=Decimal("61.5"),
    )
    draft = assessment_services.assessment_start(school=school, by=world.sso)
    assert _value(draft, "school_results_percent").value == Decimal("61.5")
    assert "Supplied by the school" in _value(draft, "school_absence_percent").source_note


def test_figures_outside_the_forces_range_for_the_indicator_are_refused(client, world):
    from needs_assessment import services as assessment_services
    from needs_assessment.models import Indicator

    school = world.schools["a1"]
    draft = assessment_services.assessment_start(school=school, by=world.sso)
    Indicator.objects.filter(framework=draft.framework, key="school_incidents").update(maximum=2)
    client.force_login(world.dsl)
    url = reverse("partnership:figures_edit", args=[school.pk])
    page = client.post(url, FIGURES | {"incidents": "3"}).content.decode()
    assert "must be between 0 and 2" in page
    assert not SchoolFigures.objects.filter(school=school).exists()
