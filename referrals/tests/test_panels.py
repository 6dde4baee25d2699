"""Multi-agency panels: the window through Case.visible_to, logged reading, decisions and
actions on the case log; and actions owned at schools and partner agencies."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AccessLogEntry, Organisation, OutboxEmail, Role, User
from referrals import panel_services
from referrals.models import Action, Case, CaseLogEntry, PanelMeeting, ReminderSent

from .conftest import make_case
from .factories import agency_worker, panel_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------------------- partner agencies


def test_agency_workers_use_two_factors_and_belong_only_to_agencies(world):
    assert world.agency.requires_mfa
    assert world.agency.is_agency_worker and not world.agency.is_police_side
    stray = User(
        email="stray@example.org",
        full_name="Stray",
        organisation=world.schools["a1"].organisation,
        role=Role.PARTNER_AGENCY,
    )
    with pytest.raises(ValidationError, match="partner agency worker cannot belong"):
        stray.full_clean()
    untyped = Organisation(force=world.forces["a"], kind=Organisation.Kind.AGENCY, name="X")
    with pytest.raises(ValidationError):
        untyped.full_clean()


def test_a_manager_invites_an_agency_worker_and_a_headteacher_cannot(client, world):
    from accounts.rules import invitable_roles

    assert Role.PARTNER_AGENCY in invitable_roles(world.manager)
    assert Role.PARTNER_AGENCY in invitable_roles(world.admin)
    assert Role.PARTNER_AGENCY not in invitable_roles(world.headteacher)


# ---------------------------------------------------------------------------- the window


def test_the_agenda_case_is_visible_to_members_only_within_the_window(world):
    case, other = make_case(world), make_case(world)
    meeting = panel_meeting(world, starts_in=DAY, members=[world.agency, world.dsl], cases=[case])
    now = timezone.now()
    assert meeting.access_from == meeting.starts_at - 3 * DAY
    assert meeting.access_until == meeting.starts_at + 2 * DAY
    for member in (world.agency, world.dsl):
        assert list(Case.objects.visible_to(member)) == [case]
        assert list(Case.objects.held_by(member)) == []
    assert not Case.objects.visible_to(world.other_force_agency).exists()
    assert not Case.objects.visible_to(world.headteacher).exists()
    assert other not in Case.objects.visible_to(world.sso)

    # Move the meeting: a week on, the window has not opened; a week ago, it has closed.
    for starts_at in (now + 7 * DAY, now - 7 * DAY):
        meeting.starts_at = starts_at
        meeting.save()
        assert not Case.objects.visible_to(world.agency).exists()


def test_the_window_follows_the_force_setting(world):
    force = world.forces["a"]
    force.panel_access_days_before, force.panel_access_days_after = 5, 1
    force.save()
    starts_at = timezone.now() + 10 * DAY
    meeting = panel_services.panel_create(
        force=force, by=world.sergeant, title="Panel", starts_at=starts_at, place="Room 1"
    )
    assert meeting.access_from == starts_at - 5 * DAY
    assert meeting.access_until == starts_at + DAY
    assert meeting.members.get().user == world.sergeant


def test_the_scoping_clause_costs_one_query_however_many_meetings(world, django_assert_num_queries):
    cases = [make_case(world) for _ in range(3)]
    for case in cases:
        panel_meeting(world, starts_in=DAY, members=[world.agency], cases=[case])
    with django_assert_num_queries(1):
        assert len(list(Case.objects.visible_to(world.agency))) == 3


def test_every_view_by_a_member_is_logged_with_the_meeting(client, world):
    case = make_case(world)
    meeting = panel_meeting(world, starts_in=DAY, members=[world.agency], cases=[case])
    client.force_login(world.agency)
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.young_person.first_name in page
    assert "You cannot change it" in page
    assert "Add to the case log" not in page and "Re-assess" not in page
    client.get(case.get_absolute_url())
    views = AccessLogEntry.objects.filter(actor=world.agency, target_id=str(case.pk))
    assert views.count() == 2
    assert {v.reason for v in views} == {meeting.access_reason}
    assert meeting.reference in meeting.access_reason


def test_members_see_the_agenda_only_in_the_window(client, world):
    case = make_case(world)
    later = panel_meeting(world, starts_in=8 * DAY, members=[world.agency], cases=[case])
    client.force_login(world.agency)
    page = client.get(later.get_absolute_url()).content.decode()
    assert case.reference not in page
    assert "can be read from" in page
    client.force_login(world.sergeant)
    page = client.get(later.get_absolute_url()).content.decode()
    assert case.reference in page
    assert case.young_person.first_name not in page


# ---------------------------------------------------------------------------- running a panel


def test_a_sergeant_sets_up_a_panel_through_the_forms(client, world):
    client.force_login(world.sergeant)
    on = timezone.localdate() + DAY
    response = client.post(
        reverse("referrals:panel_create"),
        {
            "title": "North youth panel",
            **date_data("on", on),
            "at": "25:00",
            "place": "Dorchester",
            "access_days_before": "3",
            "access_days_after": "99",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the start time as hours and minutes" in page
    assert "Enter a number of days from 0 to 14" in page
    assert 'value="North youth panel"' in page
    response = client.post(
        reverse("referrals:panel_create"),
        {
            "title": "North youth panel",
            **date_data("on", on),
            "at": "14:30",
            "place": "Dorchester",
            "access_days_before": "3",
            "access_days_after": "2",
        },
    )
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"

    case = make_case(world)
    url = reverse("referrals:panel_case_add", args=[meeting.public_id])
    assert (
        "Enter the reference of an open case you hold"
        in client.post(url, {"reference": "ffffffff"}).content.decode()
    )
    assert client.post(url, {"reference": case.reference}).status_code == 302
    assert meeting.agenda.get().case == case
    assert case.log_entries.filter(summary__contains=meeting.reference).exists()

    url = reverse("referrals:panel_member_add", args=[meeting.public_id])
    assert client.post(url, {"user": world.other_force_agency.pk}).status_code == 200
    assert client.post(url, {"user": world.agency.pk}).status_code == 302
    assert meeting.members.filter(user=world.agency).exists()


def test_a_decision_and_an_action_go_on_the_case(world):
    case = make_case(world)
    meeting = panel_meeting(world, starts_in=-DAY / 2, members=[world.agency], cases=[case])
    item = meeting.agenda.get()
    entry = panel_services.panel_record_decision(
        item=item, by=world.sergeant, risk_level="high", agreed="Refer to the YJS prevention offer"
    )
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.risk_assessments.first().after_multi_agency_assessment
    assert entry.kind == CaseLogEntry.Kind.PANEL_DECISION
    assert "Risk agreed: high" in entry.summary and meeting.reference in entry.summary
    item.refresh_from_db()
    assert item.decision == entry

    action = panel_services.panel_add_action(
        item=item,
        by=world.sergeant,
        description="Offer a mentor",
        term="short",
        owner=world.agency,
        due_on=timezone.localdate() + 60 * DAY,
    )
    assert action.owner_kind == Action.OwnerKind.PARTNER and action.owner_user == world.agency
    assert action.owner_display == f"{world.agency.display_name}, Dorset Youth Justice Service"

    me = meeting.members.get(user=world.agency)
    panel_services.panel_record_attendance(meeting=meeting, by=world.sergeant, attended={me.pk})
    me.refresh_from_db()
    assert me.attended is True
    assert meeting.members.get(user=world.sergeant).attended is False


def test_attendance_waits_for_the_meeting(world):
    meeting = panel_meeting(world, starts_in=DAY)
    with pytest.raises(ValidationError):
        panel_services.panel_record_attendance(meeting=meeting, by=world.sergeant, attended=set())


def test_panel_members_are_people_of_the_force(world):
    meeting = panel_meeting(world, starts_in=DAY)
    for person in (world.other_force_agency, world.partner, world.coordinator):
        with pytest.raises(ValidationError):
            panel_services.panel_add_member(meeting=meeting, by=world.sergeant, user=person)


# ---------------------------------------------------------------------------- owned actions


def _owned(case, world, owner=None, **fields):
    owner = owner or world.agency
    return panel_services.services.action_add(
        case=case,
        by=world.neighbourhood,
        term="short",
        description="Weekly mentoring with the YJS worker",
        owner_kind=fields.pop("owner_kind", "partner"),
        owner_user=owner,
        due_on=timezone.localdate() + 90 * DAY,
        **fields,
    )


def test_an_owner_must_be_a_person_of_a_school_or_agency_of_the_force(world):
    case = make_case(world)
    for owner, kind in (
        (world.other_force_agency, "partner"),
        (world.dsl, "partner"),
        (world.agency, "school"),
        (world.partner, "partner"),
    ):
        with pytest.raises(ValidationError, match="Choose an active person"):
            _owned(case, world, owner, owner_kind=kind)
    school_owned = _owned(case, world, world.dsl, owner_kind="school")
    assert school_owned.owner_name == "Alder Academy"


def test_the_owner_sees_their_actions_but_not_the_case(
    client, world, django_assert_max_num_queries
):
    case = make_case(world)
    action = _owned(case, world)
    _owned(make_case(world), world, world.dsl, owner_kind="school")  # someone else's
    client.force_login(world.agency)
    page = client.get(reverse("referrals:my_actions")).content.decode()
    assert action.description in page and case.reference in page and "Alder Academy" in page
    assert case.young_person.first_name not in page
    assert case.young_person.last_name not in page
    assert client.get(case.get_absolute_url()).status_code == 404
    for _ in range(5):
        _owned(make_case(world), world)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("referrals:my_actions")).status_code == 200


def test_the_owner_updates_with_a_note_and_the_case_log_says_who(client, world):
    case = make_case(world)
    action = _owned(case, world)
    url = reverse("referrals:my_action_update", args=[action.pk])
    client.force_login(world.dsl)
    assert client.get(url).status_code == 404
    client.force_login(world.agency)
    response = client.post(url, {"note": "", "done": ""})
    assert "Enter what has happened" in response.content.decode()
    response = client.post(url, {"note": "Met him twice; engaging well.", "done": "no"})
    assert response.status_code == 302
    entry = case.log_entries.get(kind=CaseLogEntry.Kind.ACTION_UPDATE)
    assert entry.author == world.agency
    assert f"updated by {world.agency.display_name}" in entry.summary
    assert "engaging well" in entry.summary
    action.refresh_from_db()
    assert action.next_review_on == timezone.localdate() + relativedelta(months=1)
    client.post(url, {"note": "Finished the programme.", "done": "yes"})
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert client.get(url).status_code == 403  # done: nothing more to update

    client.force_login(world.neighbourhood)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Action updated by its owner" in page and "Finished the programme." in page


def test_owners_are_reminded_once_per_review_date_without_naming_anyone(world):
    case = make_case(world)
    action = _owned(case, world)
    officer_owned = panel_services.services.action_add(
        case=case,
        by=world.neighbourhood,
        term="short",
        description="Home visit",
        owner_kind="officer",
        owner_user=world.neighbourhood,
        due_on=timezone.localdate() + 90 * DAY,
    )
    due_day = action.next_review_on
    assert panel_services.send_owner_review_reminders(today=due_day - DAY) == 0
    assert panel_services.send_owner_review_reminders(today=due_day) == 1
    assert panel_services.send_owner_review_reminders(today=due_day + DAY) == 0
    assert ReminderSent.objects.get(kind="owner").action == action
    assert not ReminderSent.objects.filter(action=officer_owned, kind="owner").exists()
    email = OutboxEmail.objects.get(to=world.agency.email)
    text = email.subject + email.body_text + email.body_html
    assert case.young_person.first_name not in text and case.young_person.last_name not in text
    assert action.description not in text
    assert reverse("referrals:my_actions") in text
    # The next month's review is a new date: reminded again, once.
    panel_services.action_owner_update(
        action=action, by=world.agency, note="Ok", done=False, today=due_day
    )
    action.refresh_from_db()
    assert panel_services.send_owner_review_reminders(today=action.next_review_on) == 1


def test_the_reminder_is_scheduled_in_settings():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "referrals.tasks.remind_outside_action_owners" in tasks


def test_demo_panel_is_seeded_once(world):
    from demo import referrals as demo

    sst = world.teams["sst_a"]
    sst.sergeant = world.sergeant
    sst.save()
    by_role = {
        Role.DSL: world.dsl,
        Role.SERGEANT: world.sergeant,
        Role.SAFER_SCHOOLS_OFFICER: world.sso,
        Role.PARTNER_AGENCY: world.agency,
    }
    kwargs = {
        "by_role": by_role,
        "partners": [],
        "demo_school": world.schools["a1"],
        "other_school": world.schools["a2"],
        "schools": [world.schools["a1"]],
        "today": timezone.localdate(),
    }
    assert "a panel meeting" in demo.seed(world.forces["a"], **kwargs)
    assert "a panel meeting" not in demo.seed(world.forces["a"], **kwargs)
    meeting = PanelMeeting.objects.get()
    case = meeting.agenda.get().case
    assert {m.user for m in meeting.members.all()} == {world.sergeant, world.agency, world.dsl}
    assert Action.objects.get(owner_user=world.agency).case == case
    assert Case.objects.visible_to(world.agency).get() == case


def test_the_administrator_sets_the_forces_panel_window(client, world):
    client.force_login(world.admin)
    url = reverse("accounts:force_settings")
    data = {"contact_model": "named_officer", "enhanced_engagements_per_term": "6"}
    response = client.post(url, data | {"panel_access_days_before": "30"})
    assert "Enter a number of days from 0 to 14" in response.content.decode()
    assert client.post(url, data).status_code == 302  # left blank: unchanged
    force = world.forces["a"]
    force.refresh_from_db()
    assert (force.panel_access_days_before, force.panel_access_days_after) == (3, 2)
    client.post(url, data | {"panel_access_days_before": "5", "panel_access_days_after": "1"})
    force.refresh_from_db()
    assert (force.panel_access_days_before, force.panel_access_days_after) == (5, 1)


def test_panel_pages_cost_the_same_however_many_meetings_and_cases(client, world, count_queries):
    client.force_login(world.sergeant)
    meeting = panel_meeting(world, starts_in=DAY, members=[world.agency], cases=[make_case(world)])
    # The first request of a session, and of a page, costs more: warm both.
    client.get(reverse("referrals:panel_list"))
    client.get(meeting.get_absolute_url())
    few = (
        count_queries(client, reverse("referrals:panel_list")),
        count_queries(client, meeting.get_absolute_url()),
    )
    for _ in range(4):
        case = make_case(world)
        panel_meeting(world, starts_in=DAY, members=[world.dsl], cases=[case])
        panel_services.panel_add_case(meeting=meeting, by=world.sergeant, case=case)
        panel_services.panel_add_member(
            meeting=meeting, by=world.sergeant, user=agency_worker(world, f"worker{case.pk}")
        )
    many = (
        count_queries(client, reverse("referrals:panel_list")),
        count_queries(client, meeting.get_absolute_url()),
    )
    assert many == few


def test_an_agency_worker_home_page_lists_their_panels_and_actions(client, world):
    case = make_case(world)
    meeting = panel_meeting(world, starts_in=DAY, members=[world.agency], cases=[case])
    panel_meeting(world, starts_in=-7 * DAY, members=[world.agency], title="Old panel")
    _owned(case, world)
    client.force_login(world.agency)
    page = client.get(reverse("home")).content.decode()
    assert meeting.title in page and "Old panel" not in page
    assert "Casework actions you own</a>: 1 open" in page
    assert case.young_person.first_name not in page
