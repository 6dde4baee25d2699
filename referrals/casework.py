"""Workflows of casework's safeguards (issue 22): consent and lawful basis, closure approval,
flags, signposting to the force's services and safety plans.

Like services.py: keyword-only, atomic, `full_clean()`, the actor explicit (`by=`), an audit
entry each, a case-log entry where the case changes, and no name in an audit entry or email.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import audit
from accounts.models import OFFICER_ROLES, SUPERVISOR_ROLES, Role, Team, User
from accounts.outbox import queue_email

from . import services
from .models import (
    Case,
    CaseFlag,
    CaseLogEntry,
    CaseTransfer,
    CaseworkSettings,
    ClosureRequest,
    ConsentRecord,
    InterventionService,
    LawfulBasis,
    Referral,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    SafetyPlanFactor,
    SafetyPlanStep,
    Signposting,
    TransferReceipt,
    TransferStatus,
    YoungPerson,
)
from .services import _log, case_close

Kind = CaseLogEntry.Kind

CONSENT_FIELDS = (
    "young_person",
    "parents",
    "lawful_basis",
    "necessary_and_proportionate",
    "minimum_shared",
    "how_secure",
    "decision",
)


# ---------------------------------------------------------------------------- settings and lists


@transaction.atomic
def casework_settings_update(
    *, force, by: User, closure_needs_approval: bool, request=None
) -> CaseworkSettings:
    """Change how the force runs casework."""
    row = CaseworkSettings.objects.for_force(force)
    row = CaseworkSettings.objects.select_for_update().get(pk=row.pk)
    before = row.closure_needs_approval
    row.closure_needs_approval = closure_needs_approval
    row.full_clean()
    row.save()
    audit.record(
        "referrals.settings.updated",
        actor=by,
        target=row,
        changes={"closure_needs_approval": [before, closure_needs_approval]},
        request=request,
    )
    return row


@transaction.atomic
def lawful_basis_save(
    *, force, by: User, basis: LawfulBasis | None = None, request=None, **fields
) -> LawfulBasis:
    """Add a lawful basis to the force's list, or change one (a basis in use is kept, and
    can only be taken off the list)."""
    basis = basis or LawfulBasis(force=force)
    before = {name: getattr(basis, name) for name in fields}
    for name, value in fields.items():
        setattr(basis, name, value.strip() if isinstance(value, str) else value)
    basis.full_clean()
    basis.save()
    audit.record(
        "referrals.lawful_basis.saved",
        actor=by,
        target=basis,
        changes={name: [before[name], getattr(basis, name)] for name in fields},
        request=request,
    )
    return basis


@transaction.atomic
def intervention_service_save(
    *, force, by: User, service: InterventionService | None = None, request=None, **fields
) -> InterventionService:
    """Add a service to the force's directory, or change one."""
    created = service is None
    service = service or InterventionService(force=force)
    for name, value in fields.items():
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.full_clean()
    service.save()
    audit.record(
        "referrals.intervention_service.added"
        if created
        else "referrals.intervention_service.changed",
        actor=by,
        target=service,
        changes={"kind": service.kind, "is_active": service.is_active},
        request=request,
    )
    return service


# ---------------------------------------------------------------------------- consent


def consent_record(*, by: User, force, subject: str, consent: dict, request=None, **about):
    """Record who knows and agrees to a referral or a disclosure, or the lawful basis used
    without their agreement. `about` names the record (case=, referral=, case_share=, …)."""
    record = ConsentRecord(
        force=force,
        subject=subject,
        recorded_by=by,
        **{name: consent.get(name) for name in CONSENT_FIELDS if name in consent},
        **about,
    )
    record.minimum_shared = (record.minimum_shared or "").strip()
    record.how_secure = (record.how_secure or "").strip()
    record.decision = (record.decision or "").strip()
    if record.gives_consent:
        # With consent, the questions for sharing without it are not asked: keep no answers.
        record.lawful_basis = None
        record.necessary_and_proportionate = False
        record.minimum_shared = record.how_secure = record.decision = ""
    record.full_clean()
    record.save()
    audit.record(
        "referrals.consent.recorded",
        actor=by,
        target=record.case or record.referral,
        force=force,
        changes={
            "consent_record": record.pk,
            "subject": subject,
            "young_person": record.young_person,
            "parents": record.parents,
            "with_consent": record.with_consent,
            "lawful_basis": record.lawful_basis_id,
        },
        request=request,
    )
    return record


def consent_summary(record: ConsentRecord) -> str:
    """One sentence for the case log: who knew and agreed, or the basis used without consent."""
    people = (
        f"Young person: {record.get_young_person_display().lower()}; parents: "
        f"{record.get_parents_display().lower()}."
    )
    if record.with_consent:
        return f"{people} Shared with their consent."
    return (
        f"{people} Shared without consent. Lawful basis: {record.lawful_basis.name}. "
        f"Minimum shared: {record.minimum_shared}. Why: {record.decision}"
    )


@transaction.atomic
def case_share_with_consent(
    *, case: Case, by: User, user: User, reason: str, consent: dict, request=None
):
    """Share the case with an officer (services.case_share) and record consent or the basis."""
    share = services.case_share(case=case, by=by, user=user, reason=reason, request=request)
    record = consent_record(
        by=by,
        force=case.force,
        subject=ConsentRecord.Subject.CASE_SHARE,
        consent=consent,
        case=case,
        case_share=share,
        request=request,
    )
    _log(
        case,
        Kind.RECORD,
        f"Consent for sharing with {user.display_name}: {consent_summary(record)}",
        by=by,
    )
    return share


@transaction.atomic
def referral_share_with_consent(*, referral, by: User, reason: str, consent: dict, request=None):
    """Share a referral with the school (services.referral_share_with_school), with consent."""
    share = services.referral_share_with_school(
        referral=referral, by=by, reason=reason, request=request
    )
    record = consent_record(
        by=by,
        force=referral.force,
        subject=ConsentRecord.Subject.SCHOOL_SHARE,
        consent=consent,
        case=referral.case,
        referral_share=share,
        request=request,
    )
    _log(
        referral.case,
        Kind.RECORD,
        f"Consent for sharing with the school: {consent_summary(record)}",
        by=by,
    )
    return share


@transaction.atomic
def case_log_add_with_consent(
    *, case: Case, by: User, consent: dict | None, request=None, **fields
):
    """Add to the case log (services.case_log_add); information shared records its consent."""
    entry = services.case_log_add(case=case, by=by, request=request, **fields)
    if entry.kind == Kind.INFORMATION_SHARED:
        if consent is None:
            raise ValidationError("Say whether the young person and parents know and agree.")
        consent_record(
            by=by,
            force=case.force,
            subject=ConsentRecord.Subject.INFORMATION_SHARED,
            consent=consent,
            case=case,
            log_entry=entry,
            request=request,
        )
    return entry


@transaction.atomic
def referral_receive_with_consent(
    *, by: User, consent: dict, incident=None, request=None, **fields
) -> Referral:
    """Receive a referral (services.referral_receive, or, from an incident at school,
    services.referral_from_incident) with who knows and agrees to it."""
    if incident is None:
        referral = services.referral_receive(by=by, request=request, **fields)
    else:
        referral = services.referral_from_incident(
            incident=incident, by=by, request=request, **fields
        )
    consent_record(
        by=by,
        force=referral.force,
        subject=ConsentRecord.Subject.REFERRAL,
        consent=consent,
        referral=referral,
        case=referral.case,
        request=request,
    )
    return referral


# ---------------------------------------------------------------------------- closure approval


def closure_needs_approval(case: Case, user: User) -> bool:
    """True when the force wants a sergeant's approval and the user is not one (nor a manager)."""
    if user.role in SUPERVISOR_ROLES:
        return False
    return CaseworkSettings.objects.for_force(case.force).closure_needs_approval


@transaction.atomic
def closure_request(
    *, case: Case, by: User, outcome: str, summary: str, request=None
) -> ClosureRequest:
    """Ask a sergeant to close the case with this outcome and summary."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("This case is already closed.")
    if ClosureRequest.objects.pending().filter(case=case).exists():
        raise ValidationError("A request to close this case is already waiting for a sergeant.")
    asked = ClosureRequest(case=case, outcome=outcome, summary=summary.strip(), requested_by=by)
    asked.full_clean()
    asked.save()
    _log(
        case,
        Kind.RECORD,
        f"Closure requested ({asked.get_outcome_display().lower()}); waiting for a sergeant's "
        f"approval. {asked.summary}",
        by=by,
    )
    audit.record(
        "referrals.case.closure_requested",
        actor=by,
        target=case,
        changes={"closure_request": asked.pk, "outcome": outcome},
        request=request,
    )
    return asked


@transaction.atomic
def closure_approve(*, asked: ClosureRequest, by: User, request=None, today=None) -> Case:
    """Approve a request: the case closes with the outcome and summary the officer gave."""
    asked = ClosureRequest.objects.select_for_update().get(pk=asked.pk)
    if asked.status != ClosureRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    if asked.requested_by_id == by.pk:
        raise ValidationError("Another sergeant or a manager approves your own request.")
    asked.status, asked.decided_by, asked.decided_at = (
        ClosureRequest.Status.APPROVED,
        by,
        timezone.now(),
    )
    asked.save(update_fields=["status", "decided_by", "decided_at", "updated"])
    audit.record(
        "referrals.case.closure_approved",
        actor=by,
        target=asked.case,
        changes={"closure_request": asked.pk, "requested_by": asked.requested_by_id},
        request=request,
    )
    _log(asked.case, Kind.RECORD, "Closure approved by a sergeant.", by=by)
    return case_close(
        case=asked.case,
        by=by,
        outcome=asked.outcome,
        summary=asked.summary,
        request=request,
        today=today,
    )


@transaction.atomic
def closure_return(*, asked: ClosureRequest, by: User, reason: str, request=None):
    """Return a request to the officer with the reason; the case stays open."""
    asked = ClosureRequest.objects.select_for_update().get(pk=asked.pk)
    if asked.status != ClosureRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    asked.status, asked.decided_by, asked.decided_at = (
        ClosureRequest.Status.RETURNED,
        by,
        timezone.now(),
    )
    asked.return_reason = reason.strip()
    asked.full_clean()
    asked.save()
    _log(
        asked.case,
        Kind.RECORD,
        f"Closure request returned: the case stays open. Reason: {asked.return_reason}",
        by=by,
    )
    audit.record(
        "referrals.case.closure_returned",
        actor=by,
        target=asked.case,
        changes={"closure_request": asked.pk},
        request=request,
    )
    return asked


# ---------------------------------------------------------------------------- flags


@transaction.atomic
def case_flag(
    *, case: Case, by: User, message: str, flag_on: datetime.date, request=None
) -> CaseFlag:
    """Flag a case with a message and the date it matters by; flagged cases list first."""
    flag = CaseFlag(case=case, message=message.strip(), flag_on=flag_on, flagged_by=by)
    flag.full_clean()
    flag.save()
    _log(case, Kind.RECORD, f"Flagged for {flag_on:%-d %B %Y}: {flag.message}", by=by)
    audit.record(
        "referrals.case.flagged",
        actor=by,
        target=case,
        changes={"flag": flag.pk, "flag_on": flag_on.isoformat()},
        request=request,
    )
    return flag


@transaction.atomic
def case_flag_resolve(*, flag: CaseFlag, by: User, resolution: str = "", request=None) -> CaseFlag:
    """Resolve a flag; it stays on record with who resolved it and when."""
    flag = CaseFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at:
        return flag
    flag.resolved_at, flag.resolved_by, flag.resolution = timezone.now(), by, resolution.strip()
    flag.full_clean()
    flag.save()
    _log(
        flag.case,
        Kind.RECORD,
        f"Flag resolved: {flag.message}" + (f". {flag.resolution}" if flag.resolution else ""),
        by=by,
    )
    audit.record(
        "referrals.case.flag_resolved",
        actor=by,
        target=flag.case,
        changes={"flag": flag.pk},
        request=request,
    )
    return flag


# ---------------------------------------------------------------------------- signposting


@transaction.atomic
def case_signpost(
    *,
    case: Case,
    by: User,
    service: InterventionService,
    signposted_on: datetime.date,
    note: str = "",
    request=None,
) -> Signposting:
    """Record that the case was signposted to a service of the force's directory."""
    if signposted_on > timezone.localdate():
        raise ValidationError({"signposted_on": "The date must be today or in the past"})
    if not service.is_active:
        raise ValidationError({"service": "Choose a service the directory still offers"})
    signposting = Signposting(
        case=case, service=service, signposted_on=signposted_on, note=note.strip(), signposted_by=by
    )
    signposting.full_clean()
    signposting.save()
    _log(
        case,
        Kind.SIGNPOSTING,
        f"Signposted to {service.name} ({service.get_kind_display().lower()})."
        + (f" {signposting.note}" if signposting.note else ""),
        by=by,
        occurred_on=signposted_on,
    )
    audit.record(
        "referrals.case.signposted",
        actor=by,
        target=case,
        changes={"signposting": signposting.pk, "service": service.pk},
        request=request,
    )
    return signposting


@transaction.atomic
def signposting_record_outcome(
    *,
    signposting: Signposting,
    by: User,
    outcome: str,
    outcome_on: datetime.date,
    outcome_note: str = "",
    request=None,
) -> Signposting:
    """Record what came of a signposting: the result and its date."""
    signposting = Signposting.objects.select_for_update().get(pk=signposting.pk)
    if outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": "The date must be today or in the past"})
    signposting.outcome, signposting.outcome_on = outcome, outcome_on
    signposting.outcome_note, signposting.outcome_by = outcome_note.strip(), by
    signposting.full_clean()
    signposting.save()
    _log(
        signposting.case,
        Kind.SIGNPOSTING,
        f"Result of the signposting to {signposting.service.name}: "
        f"{signposting.get_outcome_display().lower()}."
        + (f" {signposting.outcome_note}" if signposting.outcome_note else ""),
        by=by,
        occurred_on=outcome_on,
    )
    audit.record(
        "referrals.case.signposting_outcome",
        actor=by,
        target=signposting.case,
        changes={"signposting": signposting.pk, "outcome": outcome},
        request=request,
    )
    return signposting


# ---------------------------------------------------------------------------- safety plan


@transaction.atomic
def safety_plan_save(*, case: Case, by: User, review_on: datetime.date, request=None) -> SafetyPlan:
    """Start the case's safety plan, or move its review date."""
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    created = plan is None
    plan = plan or SafetyPlan(case=case)
    plan.review_on, plan.updated_by = review_on, by
    plan.full_clean()
    plan.save()
    _log(
        case,
        Kind.SAFETY_PLAN,
        f"Safety plan {'started' if created else 'updated'}; review on {review_on:%-d %B %Y}.",
        by=by,
    )
    audit.record(
        "referrals.safety_plan.saved",
        actor=by,
        target=case,
        changes={"safety_plan": plan.pk, "review_on": review_on.isoformat()},
        request=request,
    )
    return plan


@transaction.atomic
def safety_plan_add_factor(
    *, plan: SafetyPlan, by: User, kind: str, description: str, request=None
) -> SafetyPlanFactor:
    """Add a risk or a protective factor to the plan."""
    factor = SafetyPlanFactor(plan=plan, kind=kind, description=description.strip())
    factor.full_clean()
    factor.save()
    plan.updated_by = by
    plan.save(update_fields=["updated_by", "updated"])
    audit.record(
        "referrals.safety_plan.factor_added",
        actor=by,
        target=plan.case,
        changes={"safety_plan": plan.pk, "factor": factor.pk, "kind": kind},
        request=request,
    )
    return factor


@transaction.atomic
def safety_plan_add_step(
    *,
    plan: SafetyPlan,
    by: User,
    factor: SafetyPlanFactor,
    who: str,
    what: str,
    by_when: datetime.date | None = None,
    request=None,
) -> SafetyPlanStep:
    """Add who does what against one risk or protective factor of the plan."""
    step = SafetyPlanStep(
        plan=plan, factor=factor, who=who.strip(), what=what.strip(), by_when=by_when
    )
    step.full_clean()
    step.save()
    plan.updated_by = by
    plan.save(update_fields=["updated_by", "updated"])
    audit.record(
        "referrals.safety_plan.step_added",
        actor=by,
        target=plan.case,
        changes={"safety_plan": plan.pk, "step": step.pk, "factor": factor.pk},
        request=request,
    )
    return step


@transaction.atomic
def safety_plan_step_done(*, step: SafetyPlanStep, by: User, done: bool, request=None):
    step = SafetyPlanStep.objects.select_for_update().get(pk=step.pk)
    step.done = done
    step.save(update_fields=["done", "updated"])
    audit.record(
        "referrals.safety_plan.step_done",
        actor=by,
        target=step.plan.case,
        changes={"step": step.pk, "done": done},
        request=request,
    )
    return step


# ---------------------------------------------------------------------------- transfers


def _plan_as_text(case: Case) -> str:
    """The safety plan as the receiving side reads it: factors, who does what, review date."""
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        return ""
    lines = [f"Review on {plan.review_on:%-d %B %Y}."]
    steps = {}
    for step in plan.steps.all():
        steps.setdefault(step.factor_id, []).append(step)
    for factor in plan.factors.all():
        lines.append(f"{factor.get_kind_display()}: {factor.description}")
        lines += [f"  - {step.who}: {step.what}" for step in steps.get(factor.pk, [])]
    return "\n".join(lines)


def _transfer_receivers(transfer: CaseTransfer):
    """The people told of a hand-over waiting: the named officer, else the team's sergeant
    and officers (active only)."""
    if transfer.to_officer_id:
        return [transfer.to_officer] if transfer.to_officer.is_active else []
    team = transfer.to_team
    people = User.objects.filter(
        Q(pk=team.sergeant_id) | Q(team=team), role__in=OFFICER_ROLES, is_active=True
    )
    return list(people.distinct())


@transaction.atomic
def transfer_request(
    *,
    case: Case,
    by: User,
    reason: str,
    consent: dict,
    to_officer: User | None = None,
    to_team: Team | None = None,
    share_summary: bool = False,
    summary: str = "",
    share_risk: bool = False,
    share_safety_plan: bool = False,
    request=None,
) -> CaseTransfer:
    """Ask another officer of the force, or another force's team, to take the case on.

    Only what the sender chooses goes across (a summary they write, the risk level, the
    safety plan), with who the young person is: never the case log. The receiving side's
    copy is a TransferReceipt of its own force.
    """
    case = Case.objects.select_for_update().select_related("young_person", "force").get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("Only an open case can be handed over.")
    if CaseTransfer.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        raise ValidationError("A hand-over of this case is already waiting for an answer.")
    if to_officer is not None and to_officer.pk == case.officer_id:
        raise ValidationError({"to_officer": "The case is already allocated to this officer"})
    if share_summary and not summary.strip():
        raise ValidationError({"summary": "Write the summary to share, or do not share one"})
    receiving_force = (
        to_officer.force if to_officer is not None else (to_team.force if to_team else None)
    )
    transfer = CaseTransfer(
        case=case,
        to_force=receiving_force,
        to_officer=to_officer,
        to_team=None if to_officer is not None else to_team,
        reason=reason.strip(),
        share_summary=share_summary,
        share_risk=share_risk,
        share_safety_plan=share_safety_plan,
        requested_by=by,
    )
    if receiving_force is None:
        raise ValidationError(
            {"to_officer": "Choose the officer or the team that receives the case"}
        )
    transfer.full_clean()
    transfer.save()
    person = case.young_person
    receipt = TransferReceipt(
        force=receiving_force,
        transfer=transfer,
        reference=transfer.reference,
        from_force_name=case.force.name,
        from_officer_name=by.display_name,
        to_officer=transfer.to_officer,
        to_team=transfer.to_team,
        reason=transfer.reason,
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        year_group=person.year_group,
        summary=summary.strip() if share_summary else "",
        risk_level=case.risk_level if share_risk else "",
        safety_plan_text=_plan_as_text(case) if share_safety_plan else "",
    )
    receipt.full_clean(exclude=["transfer"])
    receipt.save()
    shared = [
        name
        for name, chosen in (
            ("a summary", share_summary),
            ("the risk level", share_risk),
            ("the safety plan", share_safety_plan),
        )
        if chosen
    ]
    record = consent_record(
        by=by,
        force=case.force,
        subject=ConsentRecord.Subject.TRANSFER,
        consent=consent,
        case=case,
        request=request,
    )
    _log(
        case,
        Kind.RECORD,
        f"Hand-over {transfer.reference} requested to {transfer.receiver_display}. Reason: "
        f"{transfer.reason}. Shared: who the young person is"
        + "".join(f", {item}" for item in shared)
        + f". {consent_summary(record)}",
        by=by,
    )
    audit.record(
        "referrals.transfer.requested",
        actor=by,
        target=case,
        changes={
            "transfer": transfer.pk,
            "to_force": receiving_force.pk,
            "to_officer": transfer.to_officer_id,
            "to_team": transfer.to_team_id,
            "shared": shared,
        },
        request=request,
    )
    for person_told in _transfer_receivers(transfer):
        queue_email(
            to=person_told.email,
            template="referrals/email/transfer_requested",
            subject=f"Case hand-over {transfer.reference} is waiting for you",
            context={"user": person_told, "receipt": receipt},
            key=f"referrals.transfer.{transfer.pk}.requested",
            about=receipt,
            force=receiving_force.pk,
        )
    return transfer


def _decide(receipt: TransferReceipt, *, by: User, status: str):
    receipt = TransferReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.status != TransferStatus.PENDING:
        raise ValidationError("This hand-over has already been answered.")
    if receipt.transfer_id is None:
        raise ValidationError("The sending side no longer holds this case: it cannot be answered.")
    transfer = (
        CaseTransfer.objects.select_for_update()
        .select_related("case", "requested_by")
        .get(pk=receipt.transfer_id)
    )
    now = timezone.now()
    receipt.status, receipt.decided_by, receipt.decided_at = status, by, now
    transfer.status, transfer.decided_at = status, now
    return receipt, transfer


@transaction.atomic
def transfer_accept(
    *,
    receipt: TransferReceipt,
    by: User,
    new_school=None,
    risk_level: str = "",
    dsl_message: str = "",
    dsl_told_name: bool = False,
    request=None,
) -> Case:
    """Take the case on: the receiving side opens its own case (or joins the young person's
    open one) from what was shared; the sending case closes as handed over, its history
    kept; both logs show the hand-over; the new school's DSL is told what the receiving
    officer decides (in the product, and by an email that names nobody)."""
    if by.role not in OFFICER_ROLES or not by.team_id or by.force_id != receipt.force_id:
        raise ValidationError("An officer in a team of the receiving force takes the case on.")
    if new_school is not None and new_school.force_id != receipt.force_id:
        raise ValidationError({"new_school": "Choose a school of your force"})
    if dsl_message.strip() and new_school is None:
        raise ValidationError({"new_school": "Choose the new school whose DSL is told"})
    risk_level = receipt.risk_level or risk_level
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": "Choose the risk level: high, medium or low"})
    receipt, transfer = _decide(receipt, by=by, status=TransferStatus.ACCEPTED)
    sending = transfer.case
    if sending.is_open:
        case_close(
            case=sending,
            by=by,
            outcome=Case.Outcome.HANDED_OVER,
            summary=f"Handed over ({transfer.reference}) to {by.display_name}, {by.team.name}, "
            f"{receipt.force.name}.",
            request=request,
        )
    person = (
        YoungPerson.objects.matching(
            force=receipt.force,
            first_name=receipt.first_name,
            last_name=receipt.last_name,
            date_of_birth=receipt.date_of_birth,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = YoungPerson(
            force=receipt.force,
            first_name=receipt.first_name,
            last_name=receipt.last_name,
            date_of_birth=receipt.date_of_birth,
            year_group=receipt.year_group,
        )
    if new_school is not None:
        person.school = new_school
    person.full_clean(exclude=["match_key"])
    person.save()
    case = Case.objects.open().filter(young_person=person).first()
    opened = case is None
    if opened:
        case = Case(
            force=receipt.force,
            young_person=person,
            risk_level=risk_level,
            team=by.team,
            officer=by,
        )
        case.allocated_at = case.allocation_emailed_for = timezone.now()
        case.full_clean()
        case.save()
        RiskAssessment.objects.create(
            case=case,
            level=risk_level,
            assessed_by=by,
            reason=f"Set when hand-over {transfer.reference} was accepted.",
        )
    shared = (
        (f" Summary: {receipt.summary}" if receipt.summary else "")
        + (
            f" Risk level given: {receipt.get_risk_level_display().lower()}."
            if receipt.risk_level
            else ""
        )
        + (
            f"\nSafety plan as sent:\n{receipt.safety_plan_text}"
            if receipt.safety_plan_text
            else ""
        )
    )
    _log(
        case,
        Kind.REFERRAL,
        f"Received by hand-over {transfer.reference} from {receipt.from_officer_name}, "
        f"{receipt.from_force_name}. Reason: {receipt.reason}.{shared}",
        by=by,
    )
    _log(
        sending,
        Kind.RECORD,
        f"Hand-over {transfer.reference} accepted by {by.display_name}, {by.team.name}, "
        f"{receipt.force.name}. This case's history stays here.",
        by=by,
    )
    receipt.case, receipt.new_school = case, new_school
    receipt.dsl_message, receipt.dsl_told_name = dsl_message.strip(), dsl_told_name
    if receipt.dsl_message:
        receipt.dsl_told_at = timezone.now()
    receipt.full_clean()
    receipt.save()
    transfer.save(update_fields=["status", "decided_at", "updated"])
    audit.record(
        "referrals.transfer.accepted",
        actor=by,
        target=receipt,
        changes={"case": case.pk, "opened": opened, "new_school": getattr(new_school, "pk", None)},
        request=request,
    )
    audit.record(
        "referrals.transfer.accepted",
        actor=by,
        target=sending,
        force=sending.force,
        changes={"transfer": transfer.pk},
        request=request,
    )
    if receipt.dsl_told_at:
        _tell_new_school(receipt)
    queue_email(
        to=transfer.requested_by.email,
        template="referrals/email/transfer_answered",
        subject=f"Case hand-over {transfer.reference} was accepted",
        context={"user": transfer.requested_by, "transfer": transfer, "accepted": True},
        key=f"referrals.transfer.{transfer.pk}.answered",
        about=sending,
        force=sending.force_id,
    )
    return case


def _tell_new_school(receipt: TransferReceipt):
    """Email the new school's DSLs that the police have told them something: no name, a link."""
    dsls = User.objects.filter(
        organisation_id=receipt.new_school.organisation_id, role=Role.DSL, is_active=True
    )
    for dsl in dsls:
        queue_email(
            to=dsl.email,
            template="referrals/email/transfer_school_told",
            subject="The police have shared information about a young person joining your school",
            context={"user": dsl, "receipt": receipt},
            key=f"referrals.receipt.{receipt.pk}.school_told",
            about=receipt,
            force=receipt.force_id,
        )


@transaction.atomic
def transfer_decline(*, receipt: TransferReceipt, by: User, reason: str, request=None):
    """Decline the hand-over with a reason; the sending side keeps the case open."""
    if not reason.strip():
        raise ValidationError({"decline_reason": "Enter why the hand-over is declined"})
    receipt, transfer = _decide(receipt, by=by, status=TransferStatus.DECLINED)
    receipt.decline_reason = transfer.decline_reason = reason.strip()
    receipt.save()
    transfer.save(update_fields=["status", "decided_at", "decline_reason", "updated"])
    _log(
        transfer.case,
        Kind.RECORD,
        f"Hand-over {transfer.reference} declined by {by.display_name}, {receipt.force.name}: "
        f"{receipt.decline_reason}. The case stays here.",
        by=by,
    )
    audit.record("referrals.transfer.declined", actor=by, target=receipt, request=request)
    audit.record(
        "referrals.transfer.declined",
        actor=by,
        target=transfer.case,
        force=transfer.case.force,
        changes={"transfer": transfer.pk},
        request=request,
    )
    queue_email(
        to=transfer.requested_by.email,
        template="referrals/email/transfer_answered",
        subject=f"Case hand-over {transfer.reference} was declined",
        context={"user": transfer.requested_by, "transfer": transfer, "accepted": False},
        key=f"referrals.transfer.{transfer.pk}.answered",
        about=transfer.case,
        force=transfer.case.force_id,
    )
    return receipt
