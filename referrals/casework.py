"""Workflows of casework's safeguards (issue 22): consent and lawful basis, closure approval,
flags, signposting to the force's services and safety plans.

Like services.py: keyword-only, atomic, `full_clean()`, the actor explicit (`by=`), an audit
entry each, a case-log entry where the case changes, and no name in an audit entry or email.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import SUPERVISOR_ROLES, User

from . import services
from .models import (
    Case,
    CaseFlag,
    CaseLogEntry,
    CaseworkSettings,
    ClosureRequest,
    ConsentRecord,
    InterventionService,
    LawfulBasis,
    SafetyPlan,
    SafetyPlanFactor,
    SafetyPlanStep,
    Signposting,
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
def referral_receive_with_consent(*, by: User, consent: dict, request=None, **fields):
    """Receive a referral (services.referral_receive) with who knows and agrees to it."""
    referral = services.referral_receive(by=by, request=request, **fields)
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
