"""The case page's safeguards section (issue 22): flags, closure request, consent records,
signposting and the safety plan, in one include so the case page itself barely changes."""

from django import template

from referrals.models import ConsentRecord, SafetyPlan

register = template.Library()


@register.inclusion_tag("referrals/casework/_case_safeguards.html", takes_context=True)
def case_safeguards(context, case):
    """Render the case's flags, pending closure request, consent records and signposting."""
    user = context["request"].user
    consents = list(
        ConsentRecord.objects.filter(case=case).select_related("lawful_basis", "recorded_by")
    )
    return {
        "request": context["request"],
        "case": case,
        "flags": list(case.flags.unresolved().select_related("flagged_by")),
        "pending_closure": case.closure_requests.pending().select_related("requested_by").first(),
        "last_returned": case.closure_requests.filter(status="returned")
        .select_related("decided_by")
        .first(),
        "consents": consents,
        "signpostings": list(case.signpostings.select_related("service", "signposted_by")),
        "has_plan": SafetyPlan.objects.filter(case=case).exists(),
        "can_flag": user.has_perm("referrals.flag_case", case),
        "can_signpost": user.has_perm("referrals.signpost_case", case),
        "can_decide": user.has_perm("referrals.decide_closure", case),
        "can_transfer": user.has_perm("referrals.transfer_case", case),
        "transfers": list(case.transfers.select_related("to_officer", "to_team", "to_force")),
    }
