"""The partnership cycle in the browser: the headteacher agrees the proposed level; the officer
sets an objective and an action owned by the school; the school's owner updates it."""

import datetime

import pytest
from django.utils import timezone

from conftest import build_world
from needs_assessment.tests.factories import approved_assessment
from partnership.models import Action, LevelAgreement, Objective
from partnership.tests.factories import COMPLEX

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_level_is_agreed_and_the_plan_is_acted_on(page, browser, live_server):
    world = build_world()
    school = world.schools["a1"]
    approved_assessment(school, COMPLEX, by=world.sso, approver=world.manager)

    # The headteacher sees the proposed level with its evidence and agrees it.
    sign_in(page, world.headteacher)
    page.goto(school.get_absolute_url())
    page.get_by_role("link", name="Level, checklist, action plan and termly reviews").click()
    assert_accessible(page)
    page.get_by_role("link", name="See the level and its evidence").click()
    assert page.get_by_role("heading", name="The proposed level: Complex").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, we agree the level").check()
    page.get_by_role("button", name="Send your answer").click()
    assert page.get_by_text("Your answer has been sent to the police.").is_visible()
    assert_accessible(page)
    assert LevelAgreement.objects.get(school=school).status == LevelAgreement.Status.AGREED

    # The officer sets an objective and an action owned by the school.
    officer = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    officer.set_default_timeout(15_000)
    sign_in(officer, world.sso)
    officer.goto(f"/partnership/schools/{school.pk}/")
    assert_accessible(officer)
    officer.get_by_role("link", name="Add an objective").click()
    officer.get_by_role("button", name="Add the objective").click()  # nothing filled in
    assert officer.get_by_text("Choose the aim of the objective").first.is_visible()
    assert_accessible(officer)
    officer.get_by_label("Aim").select_option(label="Reduce offending by pupils")
    officer.get_by_label("Baseline").fill("8")
    officer.get_by_label("Target change in %").fill("25")
    fill_date(officer, "Target date", timezone.localdate() + datetime.timedelta(days=200))
    officer.get_by_role("button", name="Add the objective").click()
    assert officer.get_by_text("Objective added to the plan.").is_visible()
    assert Objective.objects.get(plan__school=school).target_value == 6
    officer.get_by_role("link", name="Add an action").click()
    assert_accessible(officer)
    officer.get_by_label("What will be done").fill("Restorative conferences after exclusions")
    officer.get_by_label("Short term (up to 6 months, reviewed monthly)").check()
    officer.get_by_label("Who owns it").select_option(value=str(world.school_link.pk))
    today = timezone.localdate()
    fill_date(officer, "Start date", today)
    fill_date(officer, "Due date", today + datetime.timedelta(days=90))
    officer.get_by_role("button", name="Add the action").click()
    assert officer.get_by_text("Action added").is_visible()
    assert_accessible(officer)
    officer.context.close()
    action = Action.objects.get(plan__school=school)
    assert action.owner == world.school_link and action.owner_side == "school"

    # The school's owner finds it among their actions and updates it.
    owner = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    owner.set_default_timeout(15_000)
    sign_in(owner, world.school_link)
    owner.get_by_role("link", name="All your actions").click()
    assert_accessible(owner)
    owner.get_by_role("link", name="Restorative conferences after exclusions").click()
    assert_accessible(owner)
    owner.get_by_label("In progress").check()
    owner.get_by_label("Progress (optional)").fill("First two conferences held")
    owner.get_by_role("button", name="Save progress").click()
    assert owner.get_by_text("Progress saved.").is_visible()
    assert_accessible(owner)
    owner.context.close()
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.progress_note == "First two conferences held"


def test_a_pupil_answers_the_safety_survey_once_and_the_school_sees_the_result(
    page, browser, live_server
):
    from partnership import voice
    from schools.models import Term

    world = build_world()
    school = world.schools["a1"]
    survey = voice.survey_open(
        school=school, term=Term.current_for(school.force), by=world.headteacher
    )

    page.goto(survey.public_path())
    assert_accessible(page)
    page.get_by_role("button", name="Send your answer").click()
    assert page.get_by_text("Choose how safe you feel").first.is_visible()
    assert_accessible(page)
    page.get_by_label("A pupil").check()
    page.get_by_label("Mostly safe").check()
    page.get_by_role("group", name="This term, have you been bullied").get_by_label("No").check()
    page.get_by_role("button", name="Send your answer").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert_accessible(page)
    page.goto(survey.public_path())
    assert page.get_by_role("heading", name="You have already answered").is_visible()

    head = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    head.set_default_timeout(15_000)
    sign_in(head, world.headteacher)
    head.goto(survey.get_absolute_url())
    assert head.get_by_text("1 answer; 100% feel safe or mostly safe.").is_visible()
    assert head.get_by_role("img", name="QR code of the survey link").is_visible()
    assert_accessible(head)
    head.context.close()
