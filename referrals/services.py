"""Workflows of referral casework. Each writes its audit entry; none puts a name in one.

Audit entries print their target as "Case 1A2B3C4D" or "Referral …" and carry ids, choices
and dates in `changes`, never names, dates of birth or free text about a child.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import OFFICER_ROLES, Team, User
from incidents import services as incident_services
from incidents.models import Incident

from . import notifications
from .models import (
    Action,
    Case,
    CaseLogEntry,
    CaseShare,
    Referral,
    ReferralShare,
    RiskAssessment,
    Source,
    YoungPerson,
)

Kind = CaseLogEntry.Kind


def _log(case, kind, summary, *, by, occurred_on=None, **fields) -> CaseLogEntry:
    entry = CaseLogEntry(
        case=case,
        kind=kind,
        summary=summary,
        author=by,
        occurred_on=occurred_on or timezone.localdate(),
        **fields,
    )
    entry.full_clean()
    entry.save()
    return entry


def _check_officer(*, force, team: Team, officer: User):
    errors = {}
    if team is None or team.force_id != force.pk:
        errors["team"] = "Choose a team of this force"
    if officer is None or officer.force_id != force.pk or officer.role not in OFFICER_ROLES:
        errors["officer"] = "Choose an officer of this force"
    elif not officer.is_active:
        errors["officer"] = "Choose an officer whose account is active"
    elif team is not None and officer.team_id != team.pk:
        errors["officer"] = f"Choose an officer of {team.name}"
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------- intake


@transaction.atomic
def referral_receive(
    *,
    by: User,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    thresholds: list[str],
    source: str,
    concern: str,
    school=None,
    year_group: str = "",
    mash_referral_made: bool = False,
    mash_reference: str = "",
    request=None,
) -> Referral:
    """Record a referral in the force's inbox; a young person with an open case joins it."""
    force = by.force
    first_name, last_name = first_name.strip(), last_name.strip()
    person = (
        YoungPerson.objects.matching(
            force=force, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
        )
        .select_for_update()
        .order_by("pk")
        .first()
    )
    if person is None:
        person = YoungPerson(
            force=force,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            school=school,
            year_group=year_group,
        )
        person.full_clean(exclude=["match_key"])
        person.save()
    else:
        # Keep the newest school and year group the referrer knows.
        changed = []
        if school is not None and person.school_id != school.pk:
            person.school, changed = school, [*changed, "school"]
        if year_group and person.year_group != year_group:
            person.year_group, changed = year_group, [*changed, "year_group"]
        if changed:
            person.save(update_fields=[*changed, "updated"])
    open_case = Case.objects.open().filter(young_person=person).first()
    referral = Referral(
        force=force,
        young_person=person,
        school=school,
        thresholds=list(thresholds),
        source=source,
        concern=concern,
        mash_referral_made=mash_referral_made if source == Source.SCHOOL else False,
        mash_reference=mash_reference if source == Source.SCHOOL else "",
        referred_by=by,
        case=open_case,
    )
    referral.full_clean()
    referral.save()
    if open_case is not None:
        _log(
            open_case,
            Kind.REFERRAL,
            f"A new referral ({referral.reference}) joined this open case: "
            f"{'; '.join(referral.get_threshold_labels())}. Source: "
            f"{referral.get_source_display()}.",
            by=by,
        )
    audit.record(
        "referrals.referral.received",
        actor=by,
        target=referral,
        changes={
            "young_person": person.pk,
            "source": source,
            "thresholds": list(thresholds),
            "school": school.pk if school else None,
            "joined_case": open_case.pk if open_case else None,
        },
        request=request,
    )
    notifications.referral_arrived(referral)
    return referral


@transaction.atomic
def referral_from_incident(*, incident, by: User, request=None, **fields) -> Referral:
    """Refer a young person into casework from an incident a school reported: the referral
    is received as any other and links to the incident, whose outcome then reads "referred
    into casework" (recorded now if the officer had not recorded an outcome yet)."""
    referral = referral_receive(by=by, request=request, **fields)
    referral.incident = incident
    referral.save(update_fields=["incident", "updated"])
    if incident.status != Incident.Status.CLOSED:
        incident_services.incident_record_outcome(
            incident=incident, by=by, outcome=Incident.Outcome.REFERRED, request=request
        )
    audit.record(
        "referrals.referral.from_incident",
        actor=by,
        target=referral,
        changes={"incident": incident.pk},
        request=request,
    )
    return referral


def _mark_allocated(case: Case, *, by: User) -> None:
    """Stamp a new allocation; the officer is emailed (notifications.case_allocated, once the
    case is saved) unless they allocated it to themselves."""
    case.allocated_at = timezone.now()
    if case.officer_id == by.pk:
        case.allocation_emailed_for = case.allocated_at


# ---------------------------------------------------------------------------- triage


@transaction.atomic
def referral_accept(
    *, referral: Referral, by: User, risk_level: str, team: Team, officer: User, request=None
) -> Case:
    """Accept a referral: open a case (or keep the open one it joined), set risk, allocate."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.RECEIVED:
        raise ValidationError("This referral has already been decided.")
    _check_officer(force=referral.force, team=team, officer=officer)
    case = Case.objects.open().filter(young_person_id=referral.young_person_id).first()
    if case is None:
        case = Case(
            force=referral.force,
            young_person_id=referral.young_person_id,
            risk_level=risk_level,
            team=team,
            officer=officer,
        )
        _mark_allocated(case, by=by)
        case.full_clean()
        case.save()
        notifications.case_allocated(case)
        RiskAssessment.objects.create(
            case=case,
            level=risk_level,
            assessed_by=by,
            reason="Set when the referral was accepted.",
        )
        _log(
            case,
            Kind.REFERRAL,
            f"Referral {referral.reference} accepted: {'; '.join(referral.get_threshold_labels())}. "
            f"Source: {referral.get_source_display()}. Risk {case.get_risk_level_display().lower()}. "
            f"Allocated to {officer.display_name}, {team.name}.",
            by=by,
        )
        audit.record(
            "referrals.case.opened",
            actor=by,
            target=case,
            changes={
                "referral": referral.pk,
                "risk_level": risk_level,
                "team": team.pk,
                "officer": officer.pk,
            },
            request=request,
        )
    else:
        _log(case, Kind.REFERRAL, f"Referral {referral.reference} accepted into this case.", by=by)
        if case.risk_level != risk_level:
            case_reassess_risk(
                case=case, by=by, level=risk_level, reason="Re-assessed on a new referral."
            )
        if case.officer_id != officer.pk or case.team_id != team.pk:
            case_allocate(case=case, by=by, team=team, officer=officer, request=request)
    referral.status = Referral.Status.ACCEPTED
    referral.case = case
    referral.decided_by = by
    referral.decided_at = timezone.now()
    referral.save()
    audit.record(
        "referrals.referral.accepted",
        actor=by,
        target=referral,
        changes={"case": case.pk, "risk_level": risk_level, "officer": officer.pk},
        request=request,
    )
    _tell_referrer(referral)
    return case


@transaction.atomic
def referral_decline(
    *, referral: Referral, by: User, reason: str, signposted_to: str, request=None
) -> Referral:
    """Decline a referral with the reason and where the young person was signposted."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.RECEIVED:
        raise ValidationError("This referral has already been decided.")
    if not reason.strip():
        raise ValidationError({"decline_reason": "Enter why the referral is declined"})
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason.strip()
    referral.signposted_to = signposted_to.strip()
    referral.decided_by = by
    referral.decided_at = timezone.now()
    referral.full_clean()
    referral.save()
    if referral.case_id:
        _log(
            referral.case,
            Kind.REFERRAL,
            f"Referral {referral.reference} declined: {referral.decline_reason}",
            by=by,
        )
    audit.record("referrals.referral.declined", actor=by, target=referral, request=request)
    _tell_referrer(referral)
    return referral


def _tell_referrer(referral):
    """Write the referrer's email to the outbox in the decision's transaction."""
    from .tasks import queue_referral_outcome_email

    queue_referral_outcome_email(referral)


# ---------------------------------------------------------------------------- the case


@transaction.atomic
def case_log_add(
    *,
    case: Case,
    by: User,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    shared_what: str = "",
    shared_with: str = "",
    shared_basis: str = "",
    corrects: CaseLogEntry | None = None,
    request=None,
) -> CaseLogEntry:
    """Add an entry to the case log; a correction points at the entry it corrects."""
    if kind not in CaseLogEntry.OFFICER_KINDS:
        raise ValidationError({"kind": "Choose what happened from the list"})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError("A correction must point at an entry of the same case.")
    entry = _log(
        case,
        kind,
        summary,
        by=by,
        occurred_on=occurred_on,
        shared_what=shared_what if kind == Kind.INFORMATION_SHARED else "",
        shared_with=shared_with if kind == Kind.INFORMATION_SHARED else "",
        shared_basis=shared_basis if kind == Kind.INFORMATION_SHARED else "",
        corrects=corrects,
    )
    audit.record(
        "referrals.case.log_corrected" if corrects else "referrals.case.logged",
        actor=by,
        target=case,
        changes={
            "entry": entry.pk,
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            **({"corrects": corrects.pk} if corrects else {}),
            # A disclosure is logged as one: to whom and on what basis.
            **(
                {"shared_with": shared_with, "shared_basis": shared_basis}
                if kind == Kind.INFORMATION_SHARED
                else {}
            ),
        },
        request=request,
    )
    return entry


@transaction.atomic
def case_reassess_risk(
    *,
    case: Case,
    by: User,
    level: str,
    reason: str = "",
    after_multi_agency_assessment: bool = False,
    request=None,
) -> RiskAssessment:
    """Record a new risk assessment; the case's risk follows it and the history keeps the old."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    previous = case.risk_level
    assessment = RiskAssessment(
        case=case,
        level=level,
        reason=reason,
        after_multi_agency_assessment=after_multi_agency_assessment,
        assessed_by=by,
    )
    assessment.full_clean()
    assessment.save()
    case.risk_level = level
    case.save(update_fields=["risk_level", "updated"])
    _log(
        case,
        Kind.RISK,
        f"Risk {'re-assessed after a multi-agency assessment' if after_multi_agency_assessment else 're-assessed'}: "
        f"{case.get_risk_level_display().lower()} (was {previous}). {reason}".strip(),
        by=by,
    )
    audit.record(
        "referrals.case.risk_assessed",
        actor=by,
        target=case,
        changes={
            "risk_level": [previous, level],
            "after_multi_agency": after_multi_agency_assessment,
        },
        request=request,
    )
    return assessment


@transaction.atomic
def case_allocate(*, case: Case, by: User, team: Team, officer: User, request=None) -> Case:
    """Allocate the case to a team and an officer of it."""
    _check_officer(force=case.force, team=team, officer=officer)
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = {"team": case.team_id, "officer": case.officer_id}
    case.team, case.officer = team, officer
    if before["officer"] != officer.pk:
        _mark_allocated(case, by=by)
    case.full_clean()
    case.save()
    notifications.case_allocated(case)
    _log(case, Kind.ALLOCATION, f"Allocated to {officer.display_name}, {team.name}.", by=by)
    audit.record(
        "referrals.case.allocated",
        actor=by,
        target=case,
        changes={
            "team": [before["team"], team.pk],
            "officer": [before["officer"], officer.pk],
        },
        request=request,
    )
    return case


@transaction.atomic
def case_share(*, case: Case, by: User, user: User, reason: str, request=None) -> CaseShare:
    """Let one more officer of the force read and work the case: an explicit, logged act."""
    if user.force_id != case.force_id or user.role not in OFFICER_ROLES or not user.is_active:
        raise ValidationError({"user": "Choose an active officer of this force"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the officer needs to see this case"})
    if CaseShare.objects.active().filter(case=case, user=user).exists():
        raise ValidationError({"user": f"The case is already shared with {user.display_name}"})
    share = CaseShare.objects.create(case=case, user=user, reason=reason.strip(), shared_by=by)
    _log(case, Kind.SHARED, f"Shared with {user.display_name}. Reason: {share.reason}", by=by)
    audit.record(
        "referrals.case.shared",
        actor=by,
        target=case,
        changes={"shared_with": user.pk, "share": share.pk},
        request=request,
    )
    notifications.case_shared(share)
    return share


@transaction.atomic
def case_unshare(*, share: CaseShare, by: User, request=None) -> CaseShare:
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at:
        return share
    share.revoked_at, share.revoked_by = timezone.now(), by
    share.save(update_fields=["revoked_at", "revoked_by", "updated"])
    _log(share.case, Kind.SHARED, f"No longer shared with {share.user.display_name}.", by=by)
    audit.record(
        "referrals.case.unshared",
        actor=by,
        target=share.case,
        changes={"shared_with": share.user_id, "share": share.pk},
        request=request,
    )
    return share


@transaction.atomic
def referral_share_with_school(
    *, referral: Referral, by: User, reason: str, request=None
) -> ReferralShare:
    """Let the young person's school see a referral it did not make: an explicit, logged act.

    The school's DSL and headteacher then see its status, thresholds and referrer. The reason
    is kept in the case's access log, the share in its audit trail and case log.
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("school", "case")
        .get(pk=referral.pk)
    )
    if referral.case_id is None:
        raise ValidationError("Only a referral that belongs to a case can be shared with a school.")
    if referral.school_id is None:
        raise ValidationError("This referral names no school to share it with.")
    if referral.made_by_school:
        raise ValidationError("The school made this referral and already sees it.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the school needs to see this referral"})
    if ReferralShare.objects.active().filter(referral=referral).exists():
        raise ValidationError(f"This referral is already shared with {referral.school.name}.")
    share = ReferralShare(
        referral=referral, school=referral.school, reason=reason.strip(), shared_by=by
    )
    share.full_clean()
    share.save()
    case = referral.case
    _log(
        case,
        Kind.SHARED,
        f"Referral {referral.reference} shared with {referral.school.name} (its DSL and "
        f"headteacher see its status, thresholds and referrer). Reason: {share.reason}",
        by=by,
    )
    audit.record_access(
        actor=by, target=case, action="shared with school", reason=share.reason, request=request
    )
    audit.record(
        "referrals.referral.shared_with_school",
        actor=by,
        target=case,
        changes={"referral": referral.pk, "school": referral.school_id, "share": share.pk},
        request=request,
    )
    return share


@transaction.atomic
def referral_unshare_with_school(*, share: ReferralShare, by: User, request=None) -> ReferralShare:
    """Stop showing a shared referral to the school; the share stays on record."""
    share = (
        ReferralShare.objects.select_for_update(of=("self",))
        .select_related("referral__case", "school")
        .get(pk=share.pk)
    )
    if share.revoked_at:
        return share
    share.revoked_at, share.revoked_by = timezone.now(), by
    share.save(update_fields=["revoked_at", "revoked_by", "updated"])
    case = share.referral.case
    _log(
        case,
        Kind.SHARED,
        f"Referral {share.referral.reference} no longer shared with {share.school.name}.",
        by=by,
    )
    audit.record(
        "referrals.referral.unshared_with_school",
        actor=by,
        target=case,
        changes={"referral": share.referral_id, "school": share.school_id, "share": share.pk},
        request=request,
    )
    return share


@transaction.atomic
def case_close(
    *, case: Case, by: User, outcome: str, summary: str, request=None, today=None
) -> Case:
    """Close the case with an outcome and a closing summary."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("This case is already closed.")
    if not summary.strip():
        raise ValidationError({"closure_summary": "Enter a closing summary"})
    case.status = Case.Status.CLOSED
    case.closure_outcome = outcome
    case.closure_summary = summary.strip()
    case.closed_on = today or timezone.localdate()
    case.full_clean()
    case.save()
    _log(
        case,
        Kind.CLOSED,
        f"Closed: {case.get_closure_outcome_display()}. {case.closure_summary}",
        by=by,
    )
    audit.record(
        "referrals.case.closed",
        actor=by,
        target=case,
        changes={"outcome": outcome, "closed_on": case.closed_on.isoformat()},
        request=request,
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case, by: User, reason: str, request=None) -> Case:
    """Reopen a closed case, unless the young person already has another open one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_open:
        raise ValidationError("This case is already open.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the case is reopened"})
    if Case.objects.open().filter(young_person_id=case.young_person_id).exists():
        raise ValidationError("This young person already has an open case; work that one.")
    previous = {"outcome": case.closure_outcome, "closed_on": str(case.closed_on)}
    case.status = Case.Status.OPEN
    case.closure_outcome = ""
    case.closed_on = None
    case.save()
    _log(
        case,
        Kind.REOPENED,
        f"Reopened. Reason: {reason.strip()} (it was closed as "
        f"{dict(Case.Outcome.choices).get(previous['outcome'], previous['outcome']).lower()} "
        f"on {previous['closed_on']}; the closing summary stays in this log).",
        by=by,
    )
    audit.record(
        "referrals.case.reopened", actor=by, target=case, changes=previous, request=request
    )
    return case


@transaction.atomic
def case_set_legal_hold(*, case: Case, by: User, hold: bool, reason: str = "", request=None):
    """Put the case on legal hold (kept beyond review) or take it off."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if hold and not reason.strip():
        raise ValidationError({"legal_hold_reason": "Enter why the case must be kept"})
    before = case.legal_hold
    case.legal_hold = hold
    case.legal_hold_reason = reason.strip() if hold else ""
    case.save(update_fields=["legal_hold", "legal_hold_reason", "updated"])
    _log(
        case,
        Kind.RECORD,
        f"Legal hold {'set' if hold else 'lifted'}.{' Reason: ' + reason.strip() if hold else ''}",
        by=by,
    )
    audit.record(
        "referrals.case.legal_hold",
        actor=by,
        target=case,
        changes={"legal_hold": [before, hold]},
        request=request,
    )
    return case


# ---------------------------------------------------------------------------- action plan


@transaction.atomic
def action_add(*, case: Case, by: User, request=None, today=None, **fields) -> Action:
    """Add an action to the plan; a short-term one is reviewed a month from today. A school's
    or partner agency's action may name its owner, a person there (Action.clean checks)."""
    today = today or timezone.localdate()
    action = Action(case=case, created_by=by, **fields)
    # An officer left over from the form's other answer does not own a school's or an agency's
    # action; a person of the school or agency does (Action.clean checks them).
    if (
        action.owner_kind != Action.OwnerKind.OFFICER
        and action.owner_user_id
        and action.owner_user.role in OFFICER_ROLES
    ):
        action.owner_user = None
    if action.term == Action.Term.SHORT:
        action.next_review_on = today + relativedelta(months=1)
    action.validation_day = today
    action.full_clean(exclude=["created_by"])
    action.save()
    audit.record(
        "referrals.action.added",
        actor=by,
        target=case,
        changes={
            "action": action.pk,
            "term": action.term,
            "owner_kind": action.owner_kind,
            "owner_user": action.owner_user_id,
            "due_on": action.due_on.isoformat(),
        },
        request=request,
    )
    return action


@transaction.atomic
def action_update(
    *, action: Action, by: User, status: str, reviewed: bool = False, request=None, today=None
) -> Action:
    """Record a review (the next is a month on), or that the action is done or not needed."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = {"status": action.status, "next_review_on": str(action.next_review_on)}
    action.status = status
    if status != Action.Status.OPEN:
        action.completed_on = today
        action.next_review_on = None
    else:
        action.completed_on = None
        if reviewed and action.term == Action.Term.SHORT:
            action.next_review_on = today + relativedelta(months=1)
    action.save()
    audit.record(
        "referrals.action.updated",
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


# ---------------------------------------------------------------------------- people


@transaction.atomic
def young_person_merge(
    *, keep: YoungPerson, duplicate: YoungPerson, by: User, request=None
) -> YoungPerson:
    """Fold a duplicate record into `keep`: its referrals and cases move, then it is deleted."""
    if keep.pk == duplicate.pk or keep.force_id != duplicate.force_id:
        raise ValidationError("Choose another record of the same force.")
    if YoungPerson.objects.visible_to(by).filter(pk__in=[keep.pk, duplicate.pk]).count() != 2:
        raise ValidationError("Choose a record whose cases you may open.")
    people = {
        p.pk: p
        for p in YoungPerson.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    keep, duplicate = people[keep.pk], people[duplicate.pk]
    open_cases = Case.objects.open().filter(young_person__in=[keep, duplicate])
    if open_cases.count() > 1:
        raise ValidationError(
            "Both records have an open case. Close one of the cases before merging the records."
        )
    moved_cases = list(Case.objects.filter(young_person=duplicate).values_list("pk", flat=True))
    moved_referrals = list(duplicate.referrals.values_list("pk", flat=True))
    Case.objects.filter(pk__in=moved_cases).update(young_person=keep)
    Referral.objects.filter(pk__in=moved_referrals).update(young_person=keep)
    for name in ("school", "year_group"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.save()
    open_case = Case.objects.open().filter(young_person=keep).first()
    # A referral still waiting joins the open case, as it would have on arrival.
    if open_case:
        Referral.objects.filter(
            young_person=keep, status=Referral.Status.RECEIVED, case__isnull=True
        ).update(case=open_case)
        _log(
            open_case,
            Kind.RECORD,
            f"A duplicate record of this young person was merged into this one "
            f"({len(moved_cases)} case(s), {len(moved_referrals)} referral(s) moved).",
            by=by,
        )
    duplicate_id = duplicate.pk
    YoungPerson.objects.filter(pk=duplicate_id).delete()
    audit.record(
        "referrals.young_person.merged",
        actor=by,
        target=keep,
        changes={"merged": duplicate_id, "cases": moved_cases, "referrals": moved_referrals},
        request=request,
    )
    return keep


def _delete_history_for_retention(case_id: int):
    """Delete a case's log and risk history, which are append-only save for this.

    On PostgreSQL the application's role may not delete them (README, "Database roles"):
    referrals_retention_delete(), owned by the tables' owner, checks again that the case is
    due for its retention review and deletes them (migration 0006). Elsewhere the
    collector deletes them with the case, in bulk, past the models' own refusal.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT referrals_retention_delete(%s)", [case_id])


@transaction.atomic
def case_delete_for_retention(*, case: Case, by: User, request=None, today=None) -> int:
    """Delete a case due for review, and its young person once nothing else of theirs is held.

    The audit entry keeps the ids only: nothing that identifies the young person remains.
    """
    if not Case.objects.due_for_retention_review(today=today).filter(pk=case.pk).exists():
        raise ValidationError(
            "Only a closed case whose young person has reached 25, and is not on legal hold, "
            "can be deleted."
        )
    person = case.young_person
    case_id, person_id = case.pk, person.pk
    _delete_history_for_retention(case_id)
    referral_ids = list(person.referrals.filter(case=case).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).delete()
    Case.objects.filter(pk=case_id).delete()
    person_deleted = not Case.objects.filter(young_person_id=person_id).exists()
    if person_deleted:
        YoungPerson.objects.filter(pk=person_id).delete()
    audit.record(
        "referrals.case.deleted_for_retention",
        actor=by,
        target=None,
        force=case.force,
        changes={
            "case": case_id,
            "referrals": referral_ids,
            "young_person": person_id,
            "young_person_deleted": person_deleted,
        },
        request=request,
    )
    return case_id
