"""Closure approval and flags (issue 22 item 8).

Where the force wants it, an officer asks to close a case and a sergeant or manager approves
(the case closes) or returns it with a reason; a case can be flagged with a message and a
date, and flagged cases list first. Every page that shows the case logs the view.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import casework
from .case_views import _case, _form_page
from .casework_forms import ClosureDecisionForm, ClosureRequestForm, FlagForm, FlagResolveForm
from .models import ClosureRequest

PAGE_SIZE = 50


@never_cache
@login_required
def closure_request(request, public_id):
    """An officer asks a sergeant to close the case, with the outcome and a closing summary."""
    case = _case(request, public_id, "referrals.request_closure")
    pending = case.closure_requests.pending().select_related("requested_by").first()
    form = ClosureRequestForm(request.POST or None)
    if pending is None and request.method == "POST" and form.is_valid():
        try:
            casework.closure_request(
                case=case, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Closure requested. A sergeant will approve or return it.")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Ask to close the case",
        intro="Your force asks a sergeant to approve each closure. The case stays open until "
        "a sergeant approves your request; if it is returned, you will see why.",
        template="referrals/casework/closure_request.html",
        pending=pending,
    )


@never_cache
@login_required
def closure_decide(request, public_id, request_pk):
    """A sergeant or manager approves the closure (the case closes) or returns it."""
    case = _case(request, public_id, "referrals.decide_closure")
    asked = get_object_or_404(
        case.closure_requests.pending().select_related("requested_by"), pk=request_pk
    )
    form = ClosureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                casework.closure_approve(asked=asked, by=request.user, request=request)
                messages.success(request, "Closure approved. The case is closed.")
            else:
                casework.closure_return(
                    asked=asked,
                    by=request.user,
                    reason=form.cleaned_data["return_reason"],
                    request=request,
                )
                messages.success(request, "Request returned to the officer. The case stays open.")
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Decide a request to close the case",
        template="referrals/casework/closure_decide.html",
        asked=asked,
    )


@never_cache
@permission_required("referrals.view_consent_list")
def closure_requests_waiting(request):
    """Sergeants and managers: requests to close cases they supervise, oldest first."""
    waiting = (
        ClosureRequest.objects.visible_to(request.user)
        .pending()
        .filter(case__status="open")
        .select_related("case", "requested_by")
        .order_by("created", "pk")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_accesses(
        actor=request.user,
        targets=[asked.case for asked in page.object_list],
        action="listed for closure approval",
        request=request,
    )
    return render(request, "referrals/casework/closure_waiting.html", {"page": page})


@never_cache
@login_required
def case_flag(request, public_id):
    case = _case(request, public_id, "referrals.flag_case")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework.case_flag(case=case, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Case flagged. Flagged cases list first.")
            return redirect(case)
    return _form_page(request, case, form, title="Flag the case")


@never_cache
@login_required
def flag_resolve(request, public_id, flag_pk):
    case = _case(request, public_id, "referrals.flag_case")
    flag = get_object_or_404(case.flags.unresolved(), pk=flag_pk)
    form = FlagResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        casework.case_flag_resolve(flag=flag, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Flag resolved.")
        return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Resolve a flag",
        intro=f"Flag: {flag.message} ({flag.flag_on:%-d %B %Y}).",
    )
