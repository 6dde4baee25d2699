"""Steering and management groups: members, signed terms of reference, meetings with an agenda
drawn from the plans due for review, minutes, and actions that land in their owners' lists."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts import audit
from accounts.models import User
from accounts.outbox import queue_email
from agreements.models import sha256_hex
from agreements.services import client_evidence

from .models import (
    Action,
    ActionPlan,
    Group,
    GroupMember,
    LevelAgreement,
    Meeting,
    MeetingAction,
    TermsSignature,
    TermsVersion,
    academic_year_of,
)
from .queries import capacity_warning, plan_progress

TERMS_OF_REFERENCE = {
    Group.Kind.STEERING: (
        "Purpose: to steer the Safer Schools Partnership across the force's area.\n"
        "The group meets every quarter. It agrees each school's intervention level with the "
        "school, reviews the schools' action plans against their targets, celebrates what has "
        "worked, re-checks each level against crime, offending and education figures, and "
        "matches police and partner time to the levels.\n"
        "Members: the police, the local authority, the youth offending team, children's "
        "services, health and schools' representatives. Decisions are recorded in the minutes; "
        "each action has one owner and a date."
    ),
    Group.Kind.MANAGEMENT: (
        "Purpose: to run the partnership with one school day to day.\n"
        "Members: the school's link from its senior leadership, a senior leadership "
        "representative, the school's officer and the officer's line manager.\n"
        "The group meets every half term, reviews the school's short-term actions every month "
        "and its plan every term, and reports to the steering group."
    ),
}


@transaction.atomic
def group_create(
    *, force, kind: str, name: str, school=None, la_code: str = "", by: User, request=None
) -> Group:
    group = Group(
        force=force,
        kind=kind,
        school=school if kind == Group.Kind.MANAGEMENT else None,
        la_code=la_code if kind == Group.Kind.STEERING else "",
        name=name.strip(),
        terms_of_reference=TERMS_OF_REFERENCE[kind],
    )
    group.full_clean()
    group.save()
    terms_freeze(group, by=by)
    audit.record(
        "partnership.group.created",
        actor=by,
        target=group,
        request=request,
        changes={"kind": kind, "name": group.name},
    )
    return group


@transaction.atomic
def member_add(*, group: Group, user: User, role_in_group: str, by: User, request=None):
    if user.force_id != group.force_id or not user.is_active:
        raise ValidationError({"user": "Choose a person of this force"})
    if group.members.filter(user=user).exists():
        raise ValidationError({"user": "This person is already a member"})
    member = GroupMember(group=group, user=user, role_in_group=role_in_group.strip())
    member.full_clean()
    member.save()
    audit.record(
        "partnership.group.member_added",
        actor=by,
        target=group,
        request=request,
        changes={"member": user.pk, "role": member.role_in_group},
    )
    return member


def terms_freeze(group: Group, *, by: User | None) -> TermsVersion:
    """Freeze the group's wording as its next version, with the SHA-256 members sign."""
    latest = group.current_terms()
    version = TermsVersion(
        group=group,
        number=(latest.number + 1) if latest else 1,
        text=group.terms_of_reference,
        text_sha256=sha256_hex(group.terms_of_reference),
        created_by=by,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def terms_change(*, group: Group, text: str, by: User, request=None) -> TermsVersion:
    """Change the terms of reference: a new version, which every member is asked to sign."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    text = text.strip()
    if text == group.terms_of_reference:
        raise ValidationError({"text": "Change the wording, or go back without saving"})
    before = group.terms_of_reference
    group.terms_of_reference = text
    group.full_clean()
    group.save()
    version = terms_freeze(group, by=by)
    audit.record(
        "partnership.group.terms_changed",
        actor=by,
        target=group,
        request=request,
        changes={
            "terms_of_reference": [before, text],
            "version": version.number,
            "sha256": version.text_sha256,
        },
    )
    for member in group.members.select_related("user").filter(user__is_active=True):
        queue_email(
            to=member.user.email,
            template="partnership/email/terms_changed",
            subject=f"Please sign the new terms of reference of {group.name}",
            context={"user": member.user, "group": group, "version": version},
            key=f"partnership.group.{group.pk}.terms.v{version.number}.please_sign",
            about=group,
            force=group.force_id,
        )
    return version


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


@transaction.atomic
def terms_sign(
    *,
    group: Group,
    by: User,
    typed_name: str,
    confirmed: bool,
    version_number: int | None = None,
    request=None,
    now=None,
) -> TermsSignature:
    """A member signs the latest version of the terms of reference, as an agreement is signed:
    the exact wording's SHA-256, the typed name, the time and the browser are kept."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    member = group.members.select_related("user__organisation").filter(user=by).first()
    if member is None:
        raise ValidationError("Only a member of the group signs its terms of reference.")
    version = group.current_terms()
    if version is None or version.text != group.terms_of_reference:
        # A wording changed outside terms_change (the admin) is frozen before anyone signs it.
        version = terms_freeze(group, by=None)
    if version_number is not None and version_number != version.number:
        raise ValidationError(
            "The terms of reference changed while you were reading them. "
            "Read the new wording and sign again."
        )
    if not version.is_intact:
        raise ValidationError("The terms of reference do not match their fingerprint.")
    if version.signatures.filter(user=by).exists():
        raise ValidationError("You have already signed the terms of reference.")
    errors = {}
    if not typed_name.strip():
        errors["typed_name"] = "Type your full name"
    elif not _same_name(typed_name, by.full_name):
        errors["typed_name"] = f"Type your name as it is on your account: {by.full_name}"
    if not confirmed:
        errors["confirmed"] = "Confirm that you have read the terms of reference and agree to them"
    if errors:
        raise ValidationError(errors)
    signature = TermsSignature(
        group=group,
        version=version,
        user=by,
        role_in_group=member.role_in_group,
        organisation=by.organisation.name,
        typed_name=" ".join(typed_name.split()),
        signed_at=now or timezone.now(),
        content_sha256=version.text_sha256,
        **client_evidence(request),
    )
    signature.full_clean()
    signature.save()
    audit.record(
        "partnership.group.terms_signed",
        actor=by,
        target=group,
        request=request,
        changes={"member": by.pk, "version": version.number, "sha256": version.text_sha256},
    )
    return signature


MANAGEMENT_GROUP_EXPECTATION = "management_group"


def level_expects_a_management_group(level) -> bool:
    """Whether a level expects a local management group: levels 1 to 4 of the guidance, or
    the tiers the force names by linking its framework's "management_group" expectation
    (force managers change which levels on the framework's page)."""
    return bool(level) and level.expectations.filter(key=MANAGEMENT_GROUP_EXPECTATION).exists()


def default_management_members(school, *, today=None) -> list[tuple[User, str]]:
    """The local management group the guidance names: the school's link from its senior
    leadership, a senior leadership representative (the headteacher), the school's named
    officer and the officer's line manager (their team's sergeant). People without an active
    account are left out; they are added when the group is next checked."""
    from accounts.models import Role
    from agreements.services import current_named_officer

    staff = User.objects.filter(organisation_id=school.organisation_id, is_active=True)
    link = staff.filter(role=Role.SCHOOL_LINK).order_by("pk").first()
    head = staff.filter(role=Role.HEADTEACHER).order_by("pk").first()
    officer = current_named_officer(school, today=today)
    officer = officer if officer and officer.is_active else None
    sergeant = None
    if officer and officer.team_id and officer.team.sergeant_id:
        sergeant = officer.team.sergeant if officer.team.sergeant.is_active else None
    people = [
        (link, "School link"),
        (head, "Senior leadership representative"),
        (officer, "The school's officer"),
        (sergeant, "The officer's line manager"),
    ]
    return [(user, role) for user, role in people if user is not None]


@transaction.atomic
def management_group_ensure(*, assessment, by: User | None, request=None) -> Group | None:
    """After a level is approved or agreed: a school whose level expects a local management
    group gets one, with the default members. Idempotent: an existing group is kept, and only
    default members not yet on it are added."""
    school = assessment.school
    if not (assessment.is_current and level_expects_a_management_group(assessment.level)):
        return None
    group = Group.objects.select_for_update().filter(
        school=school, kind=Group.Kind.MANAGEMENT
    ).first() or group_create(
        force=school.force,
        kind=Group.Kind.MANAGEMENT,
        name=f"{school.name} management group"[:150],
        school=school,
        by=by,
        request=request,
    )
    on_group = set(group.members.values_list("user_id", flat=True))
    for user, role in default_management_members(school):
        if user.pk not in on_group:
            member_add(group=group, user=user, role_in_group=role, by=by, request=request)
    return group


def schools_needing_a_management_group(force_id):
    """Open schools whose current level expects a local management group (levels 1 to 4 of
    the guidance, or the tiers the force's framework names) and that have none."""
    from needs_assessment.models import Assessment
    from schools.models import School

    expects = Assessment.objects.filter(is_current=True, school=OuterRef("pk")).filter(
        Q(proposed_level__expectations__key="management_group")
        | Q(proposed_level__isnull=True, computed_level__expectations__key="management_group")
    )
    return (
        School.objects.filter(force_id=force_id)
        .open()
        .filter(Exists(expects))
        .exclude(Exists(Group.objects.filter(school=OuterRef("pk"), kind=Group.Kind.MANAGEMENT)))
        .order_by("name")
    )


def draft_agenda(group: Group, *, today=None) -> str:
    """The agenda: what the group reviews, drawn from the plans due for review."""
    today = today or timezone.localdate()
    year = academic_year_of(today)
    lines = ["1. Apologies and the minutes of the last meeting"]
    if group.kind == Group.Kind.MANAGEMENT:
        plan = ActionPlan.objects.filter(school=group.school, year=year).first()
        lines.append("2. The school's level and its checklist")
        lines.append("3. The action plan's objectives against their targets")
        if plan:
            for row in plan_progress(plan):
                progress = (
                    f"{row.percent}% of the way" if row.percent is not None else "not measured"
                )
                lines.append(f"   - {row.objective.aim.name}: {progress}")
            due = [a for a in plan.actions.select_related("owner") if a.is_review_due(today=today)]
            lines.append("4. Short-term actions due for their monthly review")
            lines += [f"   - {a.description} ({a.owner.display_name})" for a in due] or [
                "   - None"
            ]
        else:
            lines.append("4. Agree this year's action plan")
        lines.append("5. The termly review and its sign-off")
    else:
        area = {"la_code": group.la_code} if group.la_code else {}
        answers = dict(
            LevelAgreement.objects.filter(
                school__force_id=group.force_id, assessment__is_current=True
            )
            .filter(**{f"school__{k}": v for k, v in area.items()})
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        lines.append(
            f"2. Levels: {answers.get('agreed', 0)} agreed, {answers.get('discussion', 0)} in "
            f"discussion, {answers.get('awaiting', 0)} waiting for the school"
        )
        overdue = (
            Action.objects.filter(plan__school__force_id=group.force_id, plan__year=year)
            .filter(**{f"plan__school__{k}": v for k, v in area.items()})
            .exclude(status=Action.Status.DONE)
            .filter(Q(due_on__lt=today))
            .values_list("plan__school__name")
            .annotate(n=Count("pk"))
            .order_by("plan__school__name")
        )
        lines.append("3. Plans due for review (schools with actions overdue)")
        lines += [
            f"   - {name}: {n} action{'s' if n != 1 else ''} overdue" for name, n in overdue
        ] or ["   - None"]
        warning = capacity_warning(group.force_id)
        lines.append(f"4. Officer time against the levels{': ' + warning if warning else ''}")
        lines.append("5. Successes to celebrate")
    lines.append(f"{int(lines[-1][0]) + 1}. Any other business")
    return "\n".join(lines)


def ics_for(meeting: Meeting) -> str:
    """The meeting as an iCalendar invitation (RFC 5545), an hour and a half long."""
    start = meeting.starts_at.astimezone(datetime.UTC)
    end = start + datetime.timedelta(minutes=90)
    stamp = meeting.created.astimezone(datetime.UTC) if meeting.created else start

    def escape(text):
        return (
            text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Safer Schools Partnership//Meetings//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{settings.SITE_URL.split('//')[-1].strip('/') or 'safer-schools'}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{end:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{escape(meeting.group.name)}",
        f"LOCATION:{escape(meeting.location)}",
        f"DESCRIPTION:{escape(meeting.agenda)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


@transaction.atomic
def meeting_schedule(*, group: Group, starts_at, location: str, by: User, request=None) -> Meeting:
    """Schedule a meeting with its drafted agenda and send every member an invitation."""
    meeting = Meeting(
        group=group,
        starts_at=starts_at,
        location=location.strip(),
        agenda=draft_agenda(group, today=timezone.localtime(starts_at).date()),
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        "partnership.meeting.scheduled",
        actor=by,
        target=meeting,
        request=request,
        changes={"starts_at": starts_at.isoformat(), "location": meeting.location},
    )
    invitation = ics_for(meeting)
    for member in group.members.select_related("user").filter(user__is_active=True):
        queue_email(
            to=member.user.email,
            template="partnership/email/meeting_invitation",
            subject=f"Invitation: {group.name}, {timezone.localtime(starts_at):%-d %B %Y}",
            context={"user": member.user, "meeting": meeting},
            key=f"partnership.meeting.{meeting.pk}.invited",
            about=meeting,
            force=group.force_id,
            attachments=[("invitation.ics", invitation, "text/calendar")],
        )
    return meeting


@transaction.atomic
def meeting_record(*, meeting: Meeting, minutes: str, decisions: str, by: User, request=None):
    meeting.minutes, meeting.decisions = minutes.strip(), decisions.strip()
    meeting.full_clean()
    meeting.save()
    audit.record("partnership.meeting.minuted", actor=by, target=meeting, request=request)
    return meeting


@transaction.atomic
def meeting_action_add(
    *, meeting: Meeting, description: str, owner: User, due_on, by: User, request=None
) -> MeetingAction:
    """An action the meeting agreed: it lands in its owner's list, and they are told."""
    if not meeting.group.members.filter(user=owner).exists():
        raise ValidationError({"owner": "Choose a member of the group"})
    action = MeetingAction(
        meeting=meeting, description=description.strip(), owner=owner, due_on=due_on
    )
    action.full_clean()
    action.save()
    audit.record(
        "partnership.meeting.action_added",
        actor=by,
        target=action,
        request=request,
        changes={"owner": owner.pk, "due_on": due_on.isoformat()},
    )
    queue_email(
        to=owner.email,
        template="partnership/email/meeting_action",
        subject=f"An action for you from {meeting.group.name}",
        context={"user": owner, "action": action},
        key=f"partnership.meeting_action.{action.pk}.assigned",
        about=action,
        force=meeting.group.force_id,
    )
    return action


@transaction.atomic
def meeting_action_done(*, action: MeetingAction, by: User, request=None) -> MeetingAction:
    action.done = True
    action.save()
    audit.record("partnership.meeting.action_done", actor=by, target=action, request=request)
    return action
