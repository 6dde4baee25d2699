"""Pages that chase what is unsigned and pass the signed copy on: the officer's list of
agreements waiting for a signature, a new link to sign, asking for changes instead of
signing, naming an acting headteacher, and sending the sealed copy to named others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import Role
from schools.models import School

from . import documents, services
from .forms import ActingHeadForm, RequestChangesForm, ShareForm
from .models import ActingHeadteacher, Agreement
from .views import _agreement_or_404, _posted

WAITING_LIMIT = 200


@permission_required("agreements.list_waiting")
def waiting_list(request):
    """Agreements waiting for a signature, longest first: the officer's own (those they sign
    for or prepared); a sergeant's or manager's covers the force."""
    agreements = (
        Agreement.objects.visible_to(request.user)
        .awaiting_signature()
        .select_related("school", "named_officer")
        .order_by("awaiting_since", "pk")
    )
    user = request.user
    if user.role not in {Role.SERGEANT}:
        agreements = agreements.filter(Q(named_officer=user) | Q(prepared_by=user))
    return render(
        request,
        "agreements/waiting_list.html",
        {
            "agreements": list(agreements[:WAITING_LIMIT]),
            "limit": WAITING_LIMIT,
            "documents_to_chase": documents.agreements_to_chase_for(user),
        },
    )


@login_required
@require_POST
def new_link(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.new_link")
    try:
        services.agreement_new_link(agreement=agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "A new link to sign has been emailed.")
    return redirect(agreement)


@login_required
def request_changes(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.request_changes")
    form = RequestChangesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_request_changes(
                agreement=agreement,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, "Returned to the officer with your reason. They will send it again."
            )
            return redirect("home" if request.user.is_school_staff else agreement)
    return render(
        request,
        "agreements/request_changes.html",
        {
            "form": form,
            "agreement": agreement,
            "school": agreement.school,
            "party_name": agreement.school.name,
            "returns_to": agreement.named_officer.display_name,
        },
    )


@login_required
def share(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.share")
    form = ShareForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            count = services.agreement_share(
                agreement=agreement,
                by=request.user,
                addresses=form.address_list(),
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"The signed copy has been sent to {count} address{'es' * (count > 1)}."
            )
            return redirect(agreement)
    return render(
        request,
        "agreements/share.html",
        {"form": form, "agreement": agreement, "school": agreement.school},
    )


@login_required
def acting_head(request, school_pk):
    school = get_object_or_404(
        School.objects.visible_to(request.user).select_related("organisation"), pk=school_pk
    )
    if not request.user.has_perm("agreements.name_acting_head", school):
        raise PermissionDenied
    form = ActingHeadForm(_posted(request), school=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.acting_head_name(
                school=school, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Acting headteacher named. They may sign in that period.")
            return redirect("agreements:acting_head", school_pk=school.pk)
    periods = (
        ActingHeadteacher.objects.visible_to(request.user)
        .filter(school=school)
        .select_related("user", "named_by")
    )
    return render(
        request,
        "agreements/acting_head.html",
        {"form": form, "school": school, "periods": periods},
    )
