"""Signposting as data (issue 22 item 5): the force's directory of diversion and intervention
services, and a case's signposting to one of them with, later, its result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import casework
from .case_views import _case, _form_page
from .casework_forms import InterventionServiceForm, SignpostForm, SignpostOutcomeForm
from .models import InterventionService


@never_cache
@permission_required("referrals.view_services")
def service_directory(request):
    """The force's services, by kind; managers and administrators add and change them."""
    services = InterventionService.objects.visible_to(request.user).order_by("kind", "name")
    if not request.user.has_perm("referrals.manage_services"):
        services = services.active()
    kind = request.GET.get("kind", "")
    if kind in InterventionService.Kind.values:
        services = services.filter(kind=kind)
    context = {"services": services, "kinds": InterventionService.Kind.choices, "kind": kind}
    return render(request, "referrals/casework/service_directory.html", context)


@never_cache
@permission_required("referrals.manage_services")
def service_edit(request, pk=None):
    service = (
        get_object_or_404(InterventionService.objects.visible_to(request.user), pk=pk)
        if pk
        else None
    )
    form = InterventionServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            casework.intervention_service_save(
                force=request.user.force,
                by=request.user,
                service=service,
                request=request,
                **fields,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Service saved in the directory.")
            return redirect("referrals:service_directory")
    title = "Change a service" if service else "Add a service"
    context = {"form": form, "title": title, "back": "referrals:service_directory"}
    return render(request, "referrals/casework/simple_form.html", context)


@never_cache
@login_required
def case_signpost(request, public_id):
    case = _case(request, public_id, "referrals.signpost_case")
    form = SignpostForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            casework.case_signpost(case=case, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Signposting recorded. Record its result when you know it.")
            return redirect(f"{case.get_absolute_url()}#signposting")
    return _form_page(
        request,
        case,
        form,
        title="Signpost to a service",
        intro="Choose from your force's directory of diversion and intervention services.",
    )


@never_cache
@login_required
def signposting_outcome(request, public_id, signposting_pk):
    case = _case(request, public_id, "referrals.signpost_case")
    signposting = get_object_or_404(case.signpostings.select_related("service"), pk=signposting_pk)
    form = SignpostOutcomeForm(
        request.POST or None,
        initial={"outcome": signposting.outcome, "outcome_note": signposting.outcome_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            casework.signposting_record_outcome(
                signposting=signposting, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Result recorded.")
            return redirect(f"{case.get_absolute_url()}#signposting")
    return _form_page(
        request,
        case,
        form,
        title="Record the result of a signposting",
        intro=f"Signposted to {signposting.service.name} on {signposting.signposted_on:%-d %B %Y}.",
    )
