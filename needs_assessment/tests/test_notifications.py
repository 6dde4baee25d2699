"""Decision emails: managers hear of a submission, the assessor of the decision; once each,
after the commit, with a reference and a link only."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from needs_assessment import notifications, services

pytestmark = pytest.mark.django_db

FACTORS = ("location", "attendance", "high_risk", "demographics")


def _draft(world, school):
    assessment = services.assessment_start(school=school, by=world.sso)
    services.assessment_save(
        assessment=assessment,
        by=world.sso,
        ratings=dict.fromkeys(FACTORS, ("universal", "Quiet area")),
        indicators={},
    )
    return assessment


def _to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]


def test_submitting_emails_the_forces_managers_once_after_the_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    second_manager = UserFactory(
        organisation=world.orgs["police_a"], role=Role.PREVENTION_MANAGER, email="m2@example.org"
    )
    UserFactory(
        organisation=world.orgs["police_a"],
        role=Role.PREVENTION_MANAGER,
        email="gone@example.org",
        is_active=False,
    )
    assessment = _draft(world, world.schools["a1"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.assessment_submit(assessment=assessment, by=world.sso)
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.manager.email, second_manager.email]
    )
    message = mailoutbox[0]
    assert f"URN {world.schools['a1'].urn}" in message.subject
    assert assessment.get_absolute_url() in message.body
    # Beat or a retry running the task again sends nothing more.
    assessment.refresh_from_db()
    assert notifications.assessment_submitted(assessment) is False
    assert len(mailoutbox) == 2
    assert world.other_force_manager.email not in {m.to[0] for m in mailoutbox}


def test_the_assessor_hears_when_it_is_returned_and_again_when_approved(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = _draft(world, world.schools["a1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, by=world.sso)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(assessment=assessment, by=world.manager, comment="More evidence")
    returned = _to(mailoutbox, world.sso)
    assert len(returned) == 1 and "returned" in returned[0].subject
    assert "More evidence" not in returned[0].body  # the comment stays on the page
    assessment.refresh_from_db()
    assert notifications.assessment_decided(assessment) is False

    # Resubmitted, the managers are told again; approved, the assessor is told once more.
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, by=world.sso)
    assert len(_to(mailoutbox, world.manager)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_approve(assessment=assessment, by=world.manager)
    to_assessor = _to(mailoutbox, world.sso)
    assert len(to_assessor) == 2 and "approved" in to_assessor[1].subject
    assessment.refresh_from_db()
    assert notifications.assessment_decided(assessment) is False
    assert len(_to(mailoutbox, world.sso)) == 2
