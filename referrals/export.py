"""Subject access: everything held about one young person, as a PDF made by WeasyPrint."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import AccessLogEntry

from .models import (
    Case,
    ConsentRecord,
    PanelAgendaItem,
    SafetyPlan,
    SafetyPlanStep,
    Signposting,
    TransferReceipt,
    YoungPerson,
    match_key,
)

CONSENT_RELATED = ("lawful_basis", "recorded_by")


def _hand_overs_received(person: YoungPerson, cases: list[Case]) -> list[TransferReceipt]:
    """The hand-overs the force received about the young person: those that opened or joined
    one of their cases, and those not (yet) taken on, matched by name and date of birth."""
    key = match_key(person.first_name, person.last_name)
    receipts = TransferReceipt.objects.filter(
        force_id=person.force_id, date_of_birth=person.date_of_birth
    ).select_related("decided_by", "new_school", "to_officer", "to_team", "case")
    return [
        receipt
        for receipt in receipts.order_by("created", "pk")
        if receipt.case_id in {case.pk for case in cases}
        or (receipt.case_id is None and match_key(receipt.first_name, receipt.last_name) == key)
    ]


def subject_access_context(person: YoungPerson, *, by=None) -> dict:
    """Return every record about the young person: referrals and their consent, cases with
    risk, actions, shares, consent and lawful bases, safety plan, signposting, panels,
    hand-overs, flags, closure requests and the log, and who viewed them."""
    cases = list(
        Case.objects.filter(young_person=person)
        .select_related("team", "officer")
        .prefetch_related(
            "risk_assessments__assessed_by",
            "actions__owner_user",
            "shares__user",
            Prefetch(
                "consent_records",
                queryset=ConsentRecord.objects.select_related(*CONSENT_RELATED).order_by(
                    "created", "pk"
                ),
            ),
            Prefetch(
                "signpostings",
                queryset=Signposting.objects.select_related(
                    "service", "signposted_by", "outcome_by"
                ).order_by("signposted_on", "pk"),
            ),
            Prefetch(
                "panel_agenda_items",
                queryset=PanelAgendaItem.objects.select_related(
                    "meeting", "decision__author"
                ).order_by("meeting__starts_at", "pk"),
            ),
            "transfers__to_officer",
            "transfers__to_team",
            "transfers__to_force",
            "transfers__requested_by",
            "flags__flagged_by",
            "flags__resolved_by",
            "closure_requests__requested_by",
            "closure_requests__decided_by",
        )
        .order_by("opened_on", "pk")
    )
    plans = {
        plan.case_id: plan
        for plan in SafetyPlan.objects.filter(case__in=cases)
        .select_related("updated_by")
        .prefetch_related(
            "factors",
            Prefetch("steps", queryset=SafetyPlanStep.objects.order_by("factor", "pk")),
        )
    }
    for case in cases:
        case.timeline = list(
            case.log_entries.select_related("author").order_by("occurred_on", "created", "pk")
        )
        plan = plans.get(case.pk)
        if plan is not None:
            steps = {}
            for step in plan.steps.all():
                steps.setdefault(step.factor_id, []).append(step)
            plan.factor_rows = [(factor, steps.get(factor.pk, [])) for factor in plan.factors.all()]
        case.plan = plan
    case_type = ContentType.objects.get_for_model(Case)
    views = (
        AccessLogEntry.objects.filter(
            target_type=case_type, target_id__in=[str(c.pk) for c in cases]
        )
        .select_related("actor")
        .order_by("created")
    )
    referrals = list(
        person.referrals.select_related(
            "school",
            "referred_by",
            "decided_by",
            "incident",
            "consent__lawful_basis",
            "consent__recorded_by",
        ).order_by("created")
    )
    for referral in referrals:
        try:
            referral.consent_held = referral.consent
        except ConsentRecord.DoesNotExist:
            referral.consent_held = None
    return {
        "person": person,
        "referrals": referrals,
        "cases": cases,
        "receipts": _hand_overs_received(person, cases),
        "views": views,
        "generated_at": timezone.now(),
        "generated_by": by,
    }


def render_subject_access_pdf(person: YoungPerson, *, by=None) -> bytes:
    """Return the subject access PDF; the HTML is the same template, for a preview or a test."""
    from weasyprint import HTML  # imported late: it is heavy and only exports need it

    html = render_to_string("referrals/subject_access.html", subject_access_context(person, by=by))
    return HTML(string=html).write_pdf()
