"""Workflows of multi-agency panels and of actions owned outside the police.

Kept beside services.py (the casework workflows it calls). Like them, each function is
keyword-only, atomic, takes the acting user, calls full_clean() and writes its audit entry,
which carries ids and choices, never a young person's name.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AGENCY_ROLES, OFFICER_ROLES, SCHOOL_ROLES, Force, User
from accounts.outbox import queue_email

from . import services
from .models import (
    Action,
    Case,
    CaseLogEntry,
    PanelAgendaItem,
    PanelMeeting,
    PanelMember,
    ReminderSent,
)

Kind = CaseLogEntry.Kind


@transaction.atomic
def panel_create(
    *,
    force: Force,
    by: User,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    access_days_before: int | None = None,
    access_days_after: int | None = None,
    request=None,
) -> PanelMeeting:
    """Set up a panel meeting; its reading window defaults to the force's setting. The
    sergeant or manager who sets it up sits on it."""
    meeting = PanelMeeting(
        force=force,
        title=title,
        starts_at=starts_at,
        place=place,
        access_days_before=force.panel_access_days_before
        if access_days_before is None
        else access_days_before,
        access_days_after=force.panel_access_days_after
        if access_days_after is None
        else access_days_after,
        created_by=by,
    )
    meeting.full_clean(exclude=["access_from", "access_until"])
    meeting.save()
    PanelMember.objects.create(meeting=meeting, user=by, added_by=by)
    audit.record(
        "referrals.panel.created",
        actor=by,
        target=meeting,
        changes={
            "starts_at": meeting.starts_at.isoformat(),
            "access_from": meeting.access_from.isoformat(),
            "access_until": meeting.access_until.isoformat(),
        },
        request=request,
    )
    return meeting


@transaction.atomic
def panel_add_member(*, meeting: PanelMeeting, by: User, user: User, request=None) -> PanelMember:
    """Add a person of the force's police, schools or partner agencies to the meeting."""
    if meeting.members.filter(user=user).exists():
        raise ValidationError({"user": f"{user.display_name} is already a member"})
    member = PanelMember(meeting=meeting, user=user, added_by=by)
    member.full_clean(exclude=["meeting", "added_by"])
    member.save()
    audit.record(
        "referrals.panel.member_added",
        actor=by,
        target=meeting,
        changes={"user": user.pk},
        request=request,
    )
    return member


@transaction.atomic
def panel_remove_member(*, member: PanelMember, by: User, request=None) -> None:
    meeting = member.meeting
    user_id = member.user_id
    member.delete()
    audit.record(
        "referrals.panel.member_removed",
        actor=by,
        target=meeting,
        changes={"user": user_id},
        request=request,
    )


@transaction.atomic
def panel_add_case(*, meeting: PanelMeeting, by: User, case: Case, request=None) -> PanelAgendaItem:
    """Put a case the user holds on the agenda; its log says who may now read it, and when."""
    if not Case.objects.held_by(by).filter(pk=case.pk).exists():
        raise ValidationError({"reference": "Enter the reference of a case you hold"})
    if meeting.agenda.filter(case=case).exists():
        raise ValidationError({"reference": f"Case {case.reference} is already on the agenda"})
    item = PanelAgendaItem(meeting=meeting, case=case, added_by=by)
    item.full_clean(exclude=["meeting", "added_by", "decision"])
    item.save()
    services._log(
        case,
        Kind.RECORD,
        f"Put on the agenda of the multi-agency panel {meeting.reference} ({meeting.title}, "
        f"{timezone.localtime(meeting.starts_at):%d %B %Y %H:%M}). Its members may read this "
        f"case from {timezone.localtime(meeting.access_from):%d %B %Y %H:%M} until "
        f"{timezone.localtime(meeting.access_until):%d %B %Y %H:%M}.",
        by=by,
    )
    audit.record(
        "referrals.panel.case_added",
        actor=by,
        target=case,
        changes={"panel": meeting.pk},
        request=request,
    )
    return item


@transaction.atomic
def panel_record_attendance(
    *, meeting: PanelMeeting, by: User, attended: set[int], request=None, now=None
) -> None:
    """Record who attended: members whose ids are in `attended` did, the others did not."""
    now = now or timezone.now()
    if now < meeting.starts_at:
        raise ValidationError("Attendance can be recorded once the meeting has started")
    members = list(meeting.members.all())
    for member in members:
        member.attended = member.pk in attended
    PanelMember.objects.bulk_update(members, ["attended"])
    meeting.attendance_recorded_at = now
    meeting.save(update_fields=["attendance_recorded_at", "updated"])
    audit.record(
        "referrals.panel.attendance_recorded",
        actor=by,
        target=meeting,
        changes={"attended": sorted(m.user_id for m in members if m.attended)},
        request=request,
    )


@transaction.atomic
def panel_record_decision(
    *, item: PanelAgendaItem, by: User, risk_level: str, agreed: str, request=None
) -> CaseLogEntry:
    """Record the panel's decision on a case: the risk agreed (a multi-agency re-assessment
    when it differs) and what was agreed, as an entry of the case log."""
    meeting, case = item.meeting, item.case
    if case.risk_level != risk_level:
        services.case_reassess_risk(
            case=case,
            by=by,
            level=risk_level,
            reason=f"Agreed at the multi-agency panel {meeting.reference}.",
            after_multi_agency_assessment=True,
            request=request,
        )
        case.refresh_from_db(fields=["risk_level"])
    when = timezone.localtime(meeting.starts_at)
    entry = services._log(
        case,
        Kind.PANEL_DECISION,
        f"Multi-agency panel {meeting.reference} ({meeting.title}, {when:%d %B %Y}). "
        f"Risk agreed: {case.get_risk_level_display().lower()}. Agreed: {agreed}",
        by=by,
        occurred_on=min(when.date(), timezone.localdate()),
    )
    item.decision = entry
    item.save(update_fields=["decision"])
    audit.record(
        "referrals.panel.decision_recorded",
        actor=by,
        target=case,
        changes={"panel": meeting.pk, "entry": entry.pk, "risk_level": risk_level},
        request=request,
    )
    return entry


def owner_kind_of(user: User) -> str:
    """The kind of owner a person is: an officer, the school, or a partner agency."""
    if user.role in OFFICER_ROLES:
        return Action.OwnerKind.OFFICER
    if user.role in SCHOOL_ROLES:
        return Action.OwnerKind.SCHOOL
    if user.role in AGENCY_ROLES:
        return Action.OwnerKind.PARTNER
    raise ValidationError({"owner": "Choose an officer, or a person of a school or agency"})


@transaction.atomic
def panel_add_action(
    *,
    item: PanelAgendaItem,
    by: User,
    description: str,
    term: str,
    owner: User,
    due_on: datetime.date,
    request=None,
    today=None,
) -> Action:
    """Add an action agreed at the panel to the case's plan, owned by a named person."""
    kind = owner_kind_of(owner)
    return services.action_add(
        case=item.case,
        by=by,
        request=request,
        today=today,
        term=term,
        description=description,
        owner_kind=kind,
        owner_user=owner,
        owner_name="" if kind == Action.OwnerKind.OFFICER else owner.organisation.name,
        due_on=due_on,
    )


@transaction.atomic
def action_owner_update(
    *, action: Action, by: User, note: str, done: bool, request=None, today=None
) -> Action:
    """The owner of an action (at a school or partner agency) records progress with a note:
    the case log says "updated by" them, and a short-term action's review moves a month on."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    if action.owner_user_id != by.pk or action.status != Action.Status.OPEN:
        raise ValidationError("Only the owner of an open action can update it")
    before = {"status": action.status, "next_review_on": str(action.next_review_on)}
    if done:
        action.status = Action.Status.DONE
        action.completed_on = today
        action.next_review_on = None
    elif action.term == Action.Term.SHORT:
        action.next_review_on = today + relativedelta(months=1)
    action.save()
    organisation = by.organisation.name if by.organisation_id else ""
    services._log(
        action.case,
        Kind.ACTION_UPDATE,
        f"Action updated by {by.display_name} ({organisation})"
        f"{': done' if done else ''}. Action: {action.description}\nNote: {note}",
        by=by,
        occurred_on=today,
    )
    audit.record(
        "referrals.action.updated_by_owner",
        actor=by,
        target=action.case,
        changes={
            "action": action.pk,
            "status": [before["status"], action.status],
            "next_review_on": [before["next_review_on"], str(action.next_review_on)],
        },
        request=request,
    )
    return action


def send_owner_review_reminders(*, today=None) -> int:
    """Email each owner outside the police whose action's monthly review is due, once per
    review date; return how many. The email names no young person and no case."""
    today = today or timezone.localdate()
    due = (
        Action.objects.review_due(on=today)
        .filter(
            case__status=Case.Status.OPEN,
            owner_user__isnull=False,
            owner_user__is_active=True,
            owner_kind__in=[Action.OwnerKind.SCHOOL, Action.OwnerKind.PARTNER],
        )
        .select_related("owner_user", "case")
    )
    sent = 0
    for action in due:
        owner = action.owner_user
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    action=action,
                    kind=ReminderSent.Kind.OWNER_REVIEW,
                    for_date=action.next_review_on,
                    recipient=owner,
                )
                queue_email(
                    to=owner.email,
                    key=f"referrals.action.{action.pk}.owner_review.{action.next_review_on}",
                    about=action,
                    force=action.case.force_id,
                    template="referrals/email/owner_review_reminder",
                    subject="Monthly review due: an action you own",
                    context={"user": owner, "action": action},
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
