"""Steering and management groups: signed terms, meetings with an agenda from the plans,
minutes, actions in owners' lists, an .ics invitation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail
from partnership import groups
from partnership.models import GroupMember, Meeting, MeetingAction
from partnership.tests.factories import agreed_level, management_group, plan_with_action

pytestmark = pytest.mark.django_db


def _group(world):
    return management_group(
        world.schools["a1"],
        by=world.manager,
        members={
            world.school_link: "School link",
            world.headteacher: "Senior leadership representative",
            world.neighbourhood: "The school's officer",
            world.sergeant: "The officer's line manager",
        },
    )


def test_members_sign_the_terms_of_reference_by_typing_their_name(client, world):
    group = _group(world)
    client.force_login(world.headteacher)
    url = reverse("partnership:group_sign", args=[group.pk])
    wrong = client.post(url, {"signed_name": "Someone Else"})
    assert "Type your name as it is on your account" in wrong.content.decode()
    client.post(url, {"signed_name": world.headteacher.full_name})
    member = GroupMember.objects.get(group=group, user=world.headteacher)
    assert member.signed_at is not None and member.signed_current_terms
    group.terms_of_reference += "\nThe group also reviews transition."
    group.save()
    member.refresh_from_db()
    assert not member.signed_current_terms  # a changed wording needs signing again
    client.post(url, {"signed_name": world.headteacher.full_name})
    member.refresh_from_db()
    assert member.signed_current_terms
    assert AuditEntry.objects.filter(action="partnership.group.terms_signed").exists()
    # Someone who is not a member cannot sign.
    client.force_login(world.dsl)
    assert client.post(url, {"signed_name": world.dsl.full_name}).status_code == 403


def test_a_meeting_draws_its_agenda_from_the_plan_and_invites_every_member(client, world):
    school = world.schools["a1"]
    agreed_level(school, by=world.sso, approver=world.manager)
    plan, action = plan_with_action(
        school,
        by=world.sso,
        owner=world.school_link,
        today=timezone.localdate() - datetime.timedelta(days=40),
    )
    group = _group(world)
    client.force_login(world.sergeant)
    day = timezone.localdate() + datetime.timedelta(days=7)
    url = reverse("partnership:meeting_create", args=[group.pk])
    bad = client.post(
        url,
        {
            "on_0": day.day,
            "on_1": day.month,
            "on_2": day.year,
            "at": "25:99",
            "location": "Library",
        },
    )
    assert "Enter the start time as hours and minutes" in bad.content.decode()
    client.post(
        url,
        {
            "on_0": day.day,
            "on_1": day.month,
            "on_2": day.year,
            "at": "14:30",
            "location": "Library",
        },
    )
    meeting = Meeting.objects.get(group=group)
    assert "Short-term actions due for their monthly review" in meeting.agenda
    assert action.description in meeting.agenda
    invitations = OutboxEmail.objects.filter(
        key__startswith=f"partnership.meeting.{meeting.pk}.invited"
    )
    assert invitations.count() == 4
    assert invitations.first().attachments[0]["mimetype"] == "text/calendar"
    ics = client.get(reverse("partnership:meeting_ics", args=[meeting.pk]))
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "SUMMARY:Alder Academy management group" in body


def test_minutes_and_actions_land_in_the_owners_list(client, world):
    group = _group(world)
    meeting = groups.meeting_schedule(
        group=group,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        location="Hall",
        by=world.sergeant,
    )
    client.force_login(world.sergeant)
    client.post(
        reverse("partnership:meeting_detail", args=[meeting.pk]),
        {"minutes": "Attendance discussed.", "decisions": "Level agreed."},
    )
    meeting.refresh_from_db()
    assert meeting.decisions == "Level agreed."
    due = timezone.localdate() + datetime.timedelta(days=30)
    url = reverse("partnership:meeting_action_add", args=[meeting.pk])
    not_member = client.post(
        url,
        {
            "description": "x",
            "owner": world.dsl.pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    assert "Choose a member of the group" in not_member.content.decode()
    client.post(
        url,
        {
            "description": "Share the attendance figures",
            "owner": world.school_link.pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    action = MeetingAction.objects.get(meeting=meeting)
    client.force_login(world.school_link)
    assert (
        "Share the attendance figures"
        in client.get(reverse("partnership:my_actions")).content.decode()
    )
    client.post(reverse("partnership:meeting_action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done
    # The school's minutes are not for another school or a partner who is not a member.
    client.force_login(world.other_school_headteacher)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(world.partner)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_the_steering_agenda_lists_plans_with_overdue_actions(world):
    school = world.schools["a1"]
    plan, action = plan_with_action(school, by=world.sso, owner=world.school_link)
    action.due_on = action.starts_on
    action.save()
    steering = groups.group_create(
        force=world.forces["a"], kind="steering", name="Dorset steering group", by=world.manager
    )
    agenda = groups.draft_agenda(steering, today=action.starts_on + datetime.timedelta(days=1))
    assert f"{school.name}: 1 action overdue" in agenda
    assert "Officer time against the levels" in agenda


def test_schools_whose_level_expects_a_management_group_are_listed_until_they_have_one(
    client, world
):
    agreed_level(world.schools["a1"], by=world.sso, approver=world.manager)
    client.force_login(world.manager)
    page = client.get(reverse("partnership:group_list")).content.decode()
    assert "Alder Academy: <a" in page
    prefilled = client.get(
        reverse("partnership:group_create") + f"?school={world.schools['a1'].pk}"
    )
    assert "Alder Academy management group" in prefilled.content.decode()
    _group(world)
    assert "Alder Academy: <a" not in client.get(reverse("partnership:group_list")).content.decode()


def test_a_steering_group_of_one_area_reviews_only_its_schools(world):
    from schools.tests.factories import SchoolFactory

    elsewhere = SchoolFactory(force=world.forces["a"], la_code="999", la_name="Elsewhere")
    _, action = plan_with_action(elsewhere, by=world.sso, owner=world.sso)
    action.due_on = action.starts_on
    action.save()
    area = groups.group_create(
        force=world.forces["a"],
        kind="steering",
        name="North steering group",
        la_code=world.schools["a1"].la_code,
        by=world.manager,
    )
    whole = groups.group_create(
        force=world.forces["a"], kind="steering", name="Force steering group", by=world.manager
    )
    day = action.starts_on + datetime.timedelta(days=1)
    assert elsewhere.name not in groups.draft_agenda(area, today=day)
    assert elsewhere.name in groups.draft_agenda(whole, today=day)
