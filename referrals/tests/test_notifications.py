"""Who is emailed when casework reaches them: the receiving team's sergeants, an officer a case
is allocated to or shared with. Once each, after the commit, naming no young person."""

import datetime

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from referrals import notifications, services

pytestmark = pytest.mark.django_db

FIRST, LAST = "Tamsin", "Oakridge"


def _receive(world, *, by, school=None):
    return services.referral_receive(
        by=by,
        first_name=FIRST,
        last_name=LAST,
        date_of_birth=datetime.date(2011, 3, 27),
        thresholds=["exploitation"],
        source="proactive",
        concern="Named in an overnight robbery report.",
        school=school,
    )


def _names_nobody(message):
    text = " ".join([message.subject, message.body, *(c for c, _ in message.alternatives)])
    return FIRST not in text and LAST not in text


def _to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]


def test_a_referral_is_announced_to_the_sergeants_of_the_schools_team_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    school = world.schools["a1"]
    school.team = world.teams["npt_a"]
    school.save()
    other_sergeant = UserFactory(
        organisation=world.orgs["police_a"], role=Role.SERGEANT, team=world.teams["sst_a"]
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = _receive(world, by=world.sso, school=school)
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[world.sergeant.email]]
    assert not _to(mailoutbox, other_sergeant)
    message = mailoutbox[0]
    assert referral.reference in message.subject and referral.get_absolute_url() in message.body
    assert _names_nobody(message)
    referral.refresh_from_db()
    assert notifications.referral_arrived(referral) is False
    assert len(mailoutbox) == 1


def test_without_a_school_team_the_safer_schools_sergeant_is_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    sst_sergeant = UserFactory(
        organisation=world.orgs["police_a"], role=Role.SERGEANT, team=world.teams["sst_a"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _receive(world, by=world.sso)
    assert [m.to for m in mailoutbox] == [[sst_sergeant.email]]


def test_a_force_without_a_receiving_sergeant_tells_all_its_sergeants(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _receive(world, by=world.sso)
    assert [m.to for m in mailoutbox] == [[world.sergeant.email]]
    assert world.other_force_sso.email not in {m.to[0] for m in mailoutbox}


def test_the_officer_hears_of_each_allocation_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _receive(world, by=world.sso)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.referral_accept(
            referral=referral,
            by=world.sergeant,
            risk_level="high",
            team=world.teams["npt_a"],
            officer=world.neighbourhood,
        )
    mailoutbox[:] = [m for m in mailoutbox if m.to != [world.sso.email]]  # the referrer's
    [message] = mailoutbox
    assert message.to == [world.neighbourhood.email]
    assert case.reference in message.subject and case.get_absolute_url() in message.body
    assert _names_nobody(message)
    case.refresh_from_db()
    assert notifications.case_allocated(case) is False
    assert len(mailoutbox) == 1

    # Re-allocated to another officer, that officer is told; to the same one, nobody is.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_allocate(
            case=case, by=world.sergeant, team=world.teams["sst_a"], officer=world.sso
        )
    assert [m.to for m in mailoutbox][1:] == [[world.sso.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.case_allocate(
            case=case, by=world.sergeant, team=world.teams["sst_a"], officer=world.sso
        )
    assert len(mailoutbox) == 2
    # A sergeant who takes the case themselves is not emailed about it.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_allocate(
            case=case, by=world.sergeant, team=world.teams["npt_a"], officer=world.sergeant
        )
    assert len(mailoutbox) == 2


def test_the_officer_a_case_is_shared_with_is_told_once(
    world, case, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share = services.case_share(
            case=case, by=world.neighbourhood, user=world.sso, reason="Knows the family"
        )
    [message] = mailoutbox
    assert message.to == [world.sso.email] and case.reference in message.subject
    assert "Knows the family" not in message.body
    assert case.young_person.first_name not in message.body + message.subject
    share.refresh_from_db()
    assert notifications.case_shared(share) is False
    assert len(mailoutbox) == 1
