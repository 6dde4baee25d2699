"""The case page's safeguards section (issue 22): flags, closure request, consent records,
signposting and the safety plan, in one include so the case page itself barely changes."""

from django import template

from referrals.models import ClosureRequest, ConsentRecord, SafetyPlan

register = template.Library()


@register.inclusion_tag("referrals/casework/_case_safeguards.html", takes_context=True)
def case_safeguards(context, case):
    """Render the case's flags, pending closure request, consent records and signposting."""
    user = context["request"].user
    consents = list(
        ConsentRecord.objects.filter(case=case).select_related("lawful_basis", "recorded_by")
    )
    # The pending request and the last one returned, newest first, in one query.
    closures = (
        list(
            case.closure_requests.filter(
                status__in=[ClosureRequest.Status.PENDING, ClosureRequest.Status.RETURNED]
            ).select_related("requested_by", "decided_by")
        )
        if _present(case, "has_closure_requests")
        else []
    )
    has_plan = getattr(case, "has_safety_plan", None)  # the case page reads it with the case
    if has_plan is None:
        has_plan = SafetyPlan.objects.filter(case=case).exists()
    flags = case.flags.unresolved().select_related("flagged_by")
    transfers = case.transfers.select_related("to_officer", "to_team", "to_force")
    return {
        "request": context["request"],
        "case": case,
        "flags": list(flags) if _present(case, "has_open_flags") else [],
        "pending_closure": next(
            (c for c in closures if c.status == ClosureRequest.Status.PENDING), None
        ),
        "last_returned": next(
            (c for c in closures if c.status == ClosureRequest.Status.RETURNED), None
        ),
        "consents": consents,
        "signpostings": list(case.signpostings.select_related("service", "signposted_by")),
        "has_plan": has_plan,
        "can_flag": user.has_perm("referrals.flag_case", case),
        "can_signpost": user.has_perm("referrals.signpost_case", case),
        "can_decide": user.has_perm("referrals.decide_closure", case),
        "can_transfer": user.has_perm("referrals.transfer_case", case),
        "transfers": list(transfers) if _present(case, "has_transfers") else [],
    }


def _present(case, flag) -> bool:
    """Whether the case has rows of a kind: read with the case (Case.objects.
    with_safeguards_present) on the case page; True (so they are read) anywhere else."""
    return getattr(case, flag, True)
