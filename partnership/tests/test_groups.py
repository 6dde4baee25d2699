"""Steering and management groups: signed terms, meetings with an agenda from the plans,
minutes, actions in owners' lists, an .ics invitation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, OutboxEmail
from agreements.models import sha256_hex
from partnership import groups, services
from partnership.models import Group, Meeting, MeetingAction, TermsSignature, TermsVersion
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


def _sign(client, group, user, **extra):
    data = {
        "typed_name": user.full_name,
        "confirmed": "on",
        "version": group.current_terms().number,
    } | extra
    return client.post(
        reverse("partnership:group_sign", args=[group.pk]),
        data,
        HTTP_USER_AGENT="Mozilla/5.0 (test browser)",
    )


def test_members_sign_the_terms_of_reference_through_the_signing_engine(client, world):
    group = _group(world)
    version = group.current_terms()
    assert version.number == 1 and version.text_sha256 == sha256_hex(group.terms_of_reference)
    client.force_login(world.headteacher)
    wrong = _sign(client, group, world.headteacher, typed_name="Someone Else")
    assert "Type your name as it is on your account" in wrong.content.decode()
    unconfirmed = _sign(client, group, world.headteacher, confirmed="")
    assert "Confirm that you have read the terms of reference" in unconfirmed.content.decode()
    assert not TermsSignature.objects.exists()
    assert _sign(client, group, world.headteacher).status_code == 302
    signature = TermsSignature.objects.get(group=group, user=world.headteacher)
    # The evidence the agreements keep: the exact wording's SHA-256, name, time, browser.
    assert signature.version == version
    assert signature.content_sha256 == sha256_hex(group.terms_of_reference)
    assert signature.typed_name == world.headteacher.full_name
    assert signature.user_agent == "Mozilla/5.0 (test browser)"
    assert signature.ip_address == "127.0.0.1"
    assert signature.role_in_group == "Senior leadership representative"
    again = _sign(client, group, world.headteacher)
    assert "already signed" in again.content.decode()
    assert TermsSignature.objects.filter(user=world.headteacher).count() == 1
    assert AuditEntry.objects.filter(action="partnership.group.terms_signed").exists()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Signed</strong>" in page and version.text_sha256 in page
    client.force_login(world.school_link)  # a member still to sign: the form posts to sign
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'action="{reverse("partnership:group_sign", args=[group.pk])}"' in page


def test_a_changed_wording_is_a_new_version_that_members_sign_again(client, world):
    group = _group(world)
    client.force_login(world.headteacher)
    _sign(client, group, world.headteacher)
    client.force_login(world.manager)
    url = reverse("partnership:group_terms_edit", args=[group.pk])
    same = client.post(url, {"text": group.terms_of_reference})
    assert "Change the wording" in same.content.decode()
    new_text = group.terms_of_reference + "\nThe group also reviews transition."
    assert client.post(url, {"text": new_text}).status_code == 302
    group.refresh_from_db()
    version = group.current_terms()
    assert version.number == 2 and version.text == new_text
    # Every member is asked to sign the new wording, through the outbox.
    asked = OutboxEmail.objects.filter(
        key__startswith=f"partnership.group.{group.pk}.terms.v2.please_sign"
    )
    assert asked.count() == 4
    client.force_login(world.headteacher)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "To sign again" in page and "Sign the terms of reference" in page
    # A signer who read version 1 while it changed is told to read the new wording.
    stale = _sign(client, group, world.headteacher, version=1)
    assert "changed while you were reading" in stale.content.decode()
    assert _sign(client, group, world.headteacher).status_code == 302
    assert list(
        TermsSignature.objects.filter(user=world.headteacher).values_list(
            "version__number", flat=True
        )
    ) == [1, 2]
    # The first signature stays on record, against the wording signed.
    first = TermsSignature.objects.get(user=world.headteacher, version__number=1)
    assert first.content_sha256 == group.terms_versions.get(number=1).text_sha256


def test_only_members_sign_and_only_managers_change_the_wording(client, world):
    group = _group(world)
    client.force_login(world.dsl)
    assert _sign(client, group, world.dsl).status_code == 403
    url = reverse("partnership:group_terms_edit", args=[group.pk])
    assert client.post(url, {"text": "Anything"}).status_code == 403
    client.force_login(world.manager)
    empty = client.post(url, {"text": "  "})
    assert "Enter the terms of reference" in empty.content.decode()
    too_long = client.post(url, {"text": "x" * 5001})
    assert "5,000 characters or fewer" in too_long.content.decode()


def test_a_tampered_wording_cannot_be_signed(world):
    group = _group(world)
    version = group.current_terms()
    TermsVersion.objects.filter(pk=version.pk).update(text_sha256="0" * 64)
    with pytest.raises(ValidationError, match="fingerprint"):
        groups.terms_sign(
            group=group,
            by=world.headteacher,
            typed_name=world.headteacher.full_name,
            confirmed=True,
        )


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
    # A level approved before groups were set up on approval: the school has none yet.
    Group.objects.filter(school=world.schools["a1"]).delete()
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


def test_approving_a_level_that_expects_it_sets_up_the_management_group(world):
    school = world.schools["a1"]
    agreed_level(school, by=world.sso, approver=world.manager)
    group = Group.objects.get(school=school, kind="management")
    members = dict(group.members.values_list("user_id", "role_in_group"))
    assert members == {
        world.school_link.pk: "School link",
        world.headteacher.pk: "Senior leadership representative",
        world.neighbourhood.pk: "The school's officer",
        world.sergeant.pk: "The officer's line manager",
    }
    assert group.current_terms().number == 1
    assert AuditEntry.objects.filter(
        action="partnership.group.created", actor=world.manager
    ).exists()
    # Idempotent: a second approval, or the school agreeing, adds no group and no member.
    agreed_level(school, by=world.sso, approver=world.manager)
    services.level_agreement_answer(
        agreement=school.level_agreements.first(), by=world.headteacher, agreed=True
    )
    assert Group.objects.filter(school=school, kind="management").count() == 1
    assert group.members.count() == 4


def test_a_level_that_does_not_expect_it_sets_up_no_group(world):
    from partnership.tests.factories import ENHANCED

    school = world.schools["a1"]
    universal = dict.fromkeys(ENHANCED, "universal")
    agreed_level(school, by=world.sso, approver=world.manager, ratings=universal)
    assert not Group.objects.filter(school=school).exists()


def test_the_force_chooses_the_levels_that_expect_a_management_group(world):
    from needs_assessment.models import Expectation

    school = world.schools["a1"]
    # The force unlinks the expectation from every level: no group is set up.
    for expectation in Expectation.objects.filter(
        framework__force=school.force, key="management_group"
    ):
        expectation.levels.clear()
    agreed_level(school, by=world.sso, approver=world.manager)
    assert not Group.objects.filter(school=school).exists()


def test_the_groups_page_lists_the_steering_group_first_then_a_page_of_the_schools_groups(
    client, world
):
    from partnership.group_views import GROUPS_A_PAGE
    from schools.tests.factories import SchoolFactory

    force = world.forces["a"]
    schools = SchoolFactory.create_batch(GROUPS_A_PAGE + 5, force=force)
    Group.objects.bulk_create(
        [
            Group(force=force, kind=Group.Kind.MANAGEMENT, school=school, name=f"Z {i:03d} group")
            for i, school in enumerate(schools)
        ]
        + [Group(force=force, kind=Group.Kind.STEERING, name="Dorset steering group")]
    )
    client.force_login(world.manager)
    first = client.get(reverse("partnership:group_list"))
    listed = first.context["page"].object_list
    assert len(listed) == GROUPS_A_PAGE
    assert listed[0].kind == Group.Kind.STEERING
    assert "<title>Steering and management groups" in first.content.decode()
    second = client.get(reverse("partnership:group_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 6
    assert list(second.context["page"].object_list)[-1].name == f"Z {GROUPS_A_PAGE + 4:03d} group"
