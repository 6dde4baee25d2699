"""Hand-overs (issue 22 item 7): the sending officer asks another officer of the force, or
another force's team, to take a case on; the receiving side reads only its own record of
the hand-over (TransferReceipt, of its force, with what the sender chose to share), and
accepts or declines it; the new school's DSL reads what the receiving officer tells them.

Every view of a receipt is logged: it names the young person.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import SCHOOL_REFERRER_ROLES

from . import casework
from .case_views import _case, _form_page
from .casework_forms import (
    TransferAcceptForm,
    TransferDeclineForm,
    TransferRequestForm,
    add_consent_questions,
    consent_answers,
)
from .models import TransferReceipt

PAGE_SIZE = 50


@never_cache
@login_required
def transfer_request(request, public_id):
    """The sending officer chooses who takes the case on and what goes across."""
    case = _case(request, public_id, "referrals.transfer_case")
    form = TransferRequestForm(request.POST or None, case=case)
    add_consent_questions(form, force=case.force, what="the hand-over")
    if request.method == "POST" and form.is_valid() and (consent := consent_answers(form)):
        data = form.cleaned_data
        try:
            transfer = casework.transfer_request(
                case=case,
                by=request.user,
                request=request,
                consent=consent,
                to_officer=data["to_officer"],
                to_team=data["to_team"],
                reason=data["reason"],
                share_summary=data["share_summary"],
                summary=data["summary"],
                share_risk=data["share_risk"],
                share_safety_plan=data["share_safety_plan"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"Hand-over {transfer.reference} sent. The case is yours until accepted."
            )
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Hand the case over",
        intro="For example, when the young person moves from Year 6 to a secondary school, or "
        "to another force's area. The receiving officer accepts or declines; only what you "
        "choose goes across, and this case and its log stay here.",
    )


def _receipt(request, public_id):
    return get_object_or_404(
        TransferReceipt.objects.visible_to(request.user).select_related(
            "to_officer", "to_team", "new_school", "case", "decided_by"
        ),
        public_id=public_id,
    )


@never_cache
@permission_required("referrals.receive_transfers")
def transfer_list(request):
    """Hand-overs to the user or their team, waiting ones first; for a new school's DSL and
    headteacher, what the police told the school. References only."""
    receipts = (
        TransferReceipt.objects.visible_to(request.user)
        .select_related("to_officer", "to_team")
        .only(
            "public_id",
            "reference",
            "status",
            "created",
            "from_force_name",
            "from_officer_name",
            "to_officer__full_name",
            "to_officer__email",
            "to_officer__rank",
            "to_officer__collar_number",
            "to_team__name",
            "force",
            "dsl_told_at",
            "dsl_told_name",
            "first_name",
            "last_name",
        )
        .order_by("-status", "-created", "-pk")
    )
    page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
    school_side = request.user.role in SCHOOL_REFERRER_ROLES
    if school_side:
        audit.record_accesses(
            actor=request.user, targets=page.object_list, action="listed", request=request
        )
    context = {"page": page, "school_side": school_side}
    return render(request, "referrals/casework/transfer_list.html", context)


@never_cache
@login_required
def transfer_receipt(request, public_id):
    """The receiving side's hand-over: what was shared, and accept or decline. The new
    school's DSL sees only what they were told."""
    receipt = _receipt(request, public_id)
    user = request.user
    audit.record_access(actor=user, target=receipt, request=request)
    if user.role in SCHOOL_REFERRER_ROLES:
        return render(request, "referrals/casework/transfer_school.html", {"receipt": receipt})
    context = {
        "receipt": receipt,
        "can_answer": user.has_perm("referrals.answer_transfer", receipt),
    }
    return render(request, "referrals/casework/transfer_receipt.html", context)


def _answer_page(request, receipt, form, title):
    audit.record_access(actor=request.user, target=receipt, request=request)
    return render(
        request,
        "referrals/casework/transfer_answer.html",
        {"receipt": receipt, "form": form, "title": title},
    )


@never_cache
@login_required
def transfer_accept(request, public_id):
    receipt = _receipt(request, public_id)
    if not request.user.has_perm("referrals.answer_transfer", receipt):
        raise PermissionDenied
    form = TransferAcceptForm(request.POST or None, receipt=receipt, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = casework.transfer_accept(
                receipt=receipt, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Hand-over accepted. The case is yours.")
            return redirect(case)
    return _answer_page(request, receipt, form, "Accept the hand-over")


@never_cache
@login_required
def transfer_decline(request, public_id):
    receipt = _receipt(request, public_id)
    if not request.user.has_perm("referrals.answer_transfer", receipt):
        raise PermissionDenied
    form = TransferDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework.transfer_decline(
                receipt=receipt,
                by=request.user,
                reason=form.cleaned_data["decline_reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Hand-over declined. The sending officer is told.")
            return redirect("referrals:transfer_list")
    return _answer_page(request, receipt, form, "Decline the hand-over")
