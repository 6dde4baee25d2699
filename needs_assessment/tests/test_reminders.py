"""Reassessment reminders: each due date is announced once, to the force's managers and the contact."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from needs_assessment import services
from needs_assessment.reminders import send_due_reassessment_reminders as run_job
from needs_assessment.tasks import remind_due_reassessments
from needs_assessment.tests.factories import approved_assessment
from schools.models import NamedContact, School

pytestmark = pytest.mark.django_db

FACTORS = ("location", "attendance", "high_risk", "demographics")


def send_due_reassessment_reminders(**kwargs):
    """Run the daily job and commit, so its outbox rows are sent as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return run_job(**kwargs)


def approve(world, school, *, on, assessor="sso", approver="manager"):
    """Assess `school` as Universal and approve it on the date `on` (due a year later)."""
    return approved_assessment(
        school,
        dict.fromkeys(FACTORS, "universal"),
        by=world.users[assessor],
        approver=world.users[approver],
        today=on,
        evidence="Quiet area",
    )


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def due(world, today):
    """Alder (force A, named contact: the neighbourhood officer) and Cedar (force B), both due."""
    NamedContact.objects.filter(school=world.schools["a1"]).update(
        starts_on=today - datetime.timedelta(days=30)
    )
    year_ago = today.replace(year=today.year - 1)
    alder = approve(world, world.schools["a1"], on=year_ago)
    cedar = approve(
        world,
        world.schools["b1"],
        on=year_ago,
        assessor="other_force_sso",
        approver="other_force_manager",
    )
    mail.outbox.clear()
    return alder, cedar


def test_due_assessments_email_the_managers_and_the_named_contact(world, due, today):
    assert send_due_reassessment_reminders(today=today) == 2
    to_manager = sent_to(world.manager.email)
    to_contact = sent_to(world.neighbourhood.email)
    assert len(to_manager) == len(to_contact) == 1
    assert "Alder Academy" in to_manager[0].body and "Cedar School" not in to_manager[0].body
    assert "Alder Academy" in to_contact[0].body
    assert to_manager[0].subject == "1 school due for reassessment"
    # Another force's manager hears of their own schools only.
    to_other = sent_to(world.other_force_manager.email)
    assert len(to_other) == 1
    assert "Cedar School" in to_other[0].body and "Alder Academy" not in to_other[0].body
    # No one else: not the officers, sergeants or administrators of either force.
    assert {address for m in mail.outbox for address in m.to} == {
        world.manager.email,
        world.neighbourhood.email,
        world.other_force_manager.email,
    }


def test_running_twice_sends_nothing_more(world, due, today):
    send_due_reassessment_reminders(today=today)
    count = len(mail.outbox)
    assert send_due_reassessment_reminders(today=today) == 0
    assert send_due_reassessment_reminders(today=today + datetime.timedelta(days=1)) == 0
    assert remind_due_reassessments() == 0  # the daily task, however often beat fires
    assert len(mail.outbox) == count


def test_nothing_is_sent_before_the_due_date(world, due, today):
    assert send_due_reassessment_reminders(today=today - datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


def test_a_new_due_date_after_a_reassessment_request_is_reminded_once(world, due, today):
    alder, _ = due
    send_due_reassessment_reminders(today=today)
    mail.outbox.clear()
    # Reminded for today; a manager gives the school a month to be reassessed.
    later = today + datetime.timedelta(days=30)
    services.reassessment_request(assessment=alder, by=world.manager, due_on=later)
    assert send_due_reassessment_reminders(today=today) == 0
    assert send_due_reassessment_reminders(today=later) == 1
    assert len(sent_to(world.manager.email)) == 1
    assert len(sent_to(world.neighbourhood.email)) == 1
    assert sent_to(world.other_force_manager.email) == []
    assert send_due_reassessment_reminders(today=later) == 0
    assert len(mail.outbox) == 2


def test_a_review_brought_forward_is_reminded_on_its_new_date(world, today):
    NamedContact.objects.filter(school=world.schools["a1"]).update(
        starts_on=today - datetime.timedelta(days=30)
    )
    alder = approve(world, world.schools["a1"], on=today - datetime.timedelta(days=100))
    mail.outbox.clear()
    assert send_due_reassessment_reminders(today=today) == 0
    services.reassessment_request(assessment=alder, by=world.manager, due_on=today)
    assert send_due_reassessment_reminders(today=today) == 1
    assert send_due_reassessment_reminders(today=today) == 0
    assert len(sent_to(world.manager.email)) == 1


def test_a_reapproval_due_again_is_reminded_once(world, due, today):
    send_due_reassessment_reminders(today=today)
    mail.outbox.clear()
    # Reassessed and approved: the new assessment is current, due a year after its approval.
    renewed = approve(world, world.schools["a1"], on=today - datetime.timedelta(days=10))
    assert send_due_reassessment_reminders(today=today) == 0
    due_day = renewed.review_due_on
    assert send_due_reassessment_reminders(today=due_day) == 1
    assert "Alder Academy" in sent_to(world.manager.email)[0].body
    assert send_due_reassessment_reminders(today=due_day + datetime.timedelta(days=1)) == 0
    assert len(sent_to(world.manager.email)) == 1


def test_disabled_managers_and_contacts_are_not_emailed(world, due, today):
    world.manager.disable(by=world.admin)
    world.neighbourhood.disable(by=world.admin)
    second = UserFactory(
        organisation=world.orgs["police_a"], role=Role.PREVENTION_MANAGER, email="m2@example.org"
    )
    send_due_reassessment_reminders(today=today)
    assert sent_to(world.manager.email) == [] and sent_to(world.neighbourhood.email) == []
    assert len(sent_to(second.email)) == 1


def test_a_school_without_a_named_contact_is_still_reminded_to_managers(world, today):
    year_ago = today.replace(year=today.year - 1)
    approve(world, world.schools["a2"], on=year_ago)  # Birch has no named contact
    mail.outbox.clear()
    assert send_due_reassessment_reminders(today=today) == 1
    assert [m.to for m in mail.outbox] == [[world.manager.email]]


def test_one_email_lists_all_of_a_recipients_due_schools(world, today):
    year_ago = today.replace(year=today.year - 1)
    NamedContact.objects.create(
        school=world.schools["a2"],
        officer=world.neighbourhood,
        starts_on=today - datetime.timedelta(days=5),
    )
    NamedContact.objects.filter(school=world.schools["a1"]).update(starts_on=year_ago)
    for key in ("a1", "a2"):
        approve(world, world.schools[key], on=year_ago)
    mail.outbox.clear()
    assert send_due_reassessment_reminders(today=today) == 2
    (to_contact,) = sent_to(world.neighbourhood.email)
    assert to_contact.subject == "2 schools due for reassessment"
    assert "Alder Academy" in to_contact.body and "Birch Primary" in to_contact.body


def test_a_closed_school_is_not_reminded(world, due, today):
    School.objects.filter(pk=world.schools["a1"].pk).update(status=School.Status.CLOSED)
    assert send_due_reassessment_reminders(today=today) == 1  # Cedar only
    assert sent_to(world.manager.email) == [] and sent_to(world.neighbourhood.email) == []
