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
