"""Pages of provider agreements: the list, preparing, the agreement, changing it, signing and
sending (the coordinator), signing (the partner), the sealed PDF, ending.

One the user may not see (another force's, another partner's, a draft for the partner) is a
404; one they see but may not act on is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import provider_services as services
from .forms import EndForm, SignForm
from .provider_forms import ProviderChangeForm, ProviderPrepareForm, ProviderRequestChangesForm
from .provider_models import ProviderAgreement
from .services import decode_drawing
from .views import _posted

VIEW = "agreements.view_provider_agreement"
PAGE_SIZE = 50


def _agreement_or_404(request, pk, perm=VIEW):
    agreement = get_object_or_404(
        ProviderAgreement.objects.visible_to(request.user).select_related(
            "force",
            "provider",
            "template",
            "coordinator",
            "prepared_by",
            "changes_requested_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm(VIEW, agreement) or not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


@permission_required("agreements.list_provider_agreements")
def provider_list(request):
    agreements = (
        ProviderAgreement.objects.visible_to(request.user)
        .select_related("provider", "coordinator")
        .defer("delivers", "seal_certificate", "ended_reason")
        .order_by(Lower("provider__name"), "-created")
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agreements/provider/list.html", {"page": page})


@permission_required("agreements.prepare_provider_agreement")
def provider_prepare(request):
    partners = services.education_partners(request.user.force)
    form = ProviderPrepareForm(
        _posted(request),
        partners=partners,
        initial={"delivers": services.default_delivers(request.user.force)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.provider_agreement_prepare(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Draft prepared. Read it, then sign it and send it.")
            return redirect(agreement)
    return render(request, "agreements/provider/prepare.html", {"form": form})


@login_required
def provider_detail(request, pk):
    agreement = _agreement_or_404(request, pk)
    services.provider_agreement_record_view(agreement=agreement, user=request.user, request=request)
    context = services.provider_document_context(agreement)
    context["events"] = agreement.events.select_related("actor").order_by("created", "pk")
    return render(request, "agreements/provider/detail.html", context)


@login_required
def provider_change(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.send_provider_agreement")
    form = ProviderChangeForm(_posted(request), initial={"delivers": agreement.delivers})
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_agreement_update(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(agreement)
    return render(
        request, "agreements/provider/change.html", {"form": form, "agreement": agreement}
    )


def _signature_page(request, agreement, *, perm_action, sending):
    context = services.provider_document_context(agreement)
    version = context["version"]
    form = SignForm(
        _posted(request),
        police=False,
        initial={"typed_name": request.user.full_name, "version": version.number if version else 0},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            perm_action(
                agreement=agreement,
                by=request.user,
                typed_name=data["typed_name"],
                confirmed=data["confirmed"],
                drawn_png=decode_drawing(data.get("drawn_signature", "")),
                request=request,
                **({} if sending else {"version_number": data["version"]}),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if sending:
                messages.success(request, "Signed and sent. The partner has been emailed.")
            else:
                messages.success(request, "Signed. The agreement is now current.")
            return redirect(agreement)
    context.update(form=form, sending=sending)
    return render(request, "agreements/provider/sign.html", context)


@login_required
def provider_send(request, pk):
    """The coordinator reads the draft, signs it for the partnership and sends it."""
    agreement = _agreement_or_404(request, pk, "agreements.send_provider_agreement")
    return _signature_page(
        request, agreement, perm_action=services.provider_agreement_send, sending=True
    )


@login_required
def provider_sign(request, pk):
    """The partner reads what the coordinator signed and signs it."""
    agreement = _agreement_or_404(request, pk, "agreements.sign_provider_agreement")
    if request.method == "GET":
        services.provider_agreement_record_view(
            agreement=agreement, user=request.user, request=request
        )
    return _signature_page(
        request, agreement, perm_action=services.provider_agreement_sign, sending=False
    )


@login_required
def provider_end(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.end_provider_agreement")
    form = EndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_agreement_end(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The agreement has been ended. The partner has been told.")
            return redirect(agreement)
    return render(request, "agreements/provider/end.html", {"form": form, "agreement": agreement})


@login_required
def provider_request_changes(request, pk):
    """The partner asks for changes instead of signing: it goes back to the coordinator."""
    agreement = _agreement_or_404(request, pk, "agreements.request_provider_changes")
    form = ProviderRequestChangesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_agreement_request_changes(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, "Returned to the coordinator with your reason. They will send it again."
            )
            return redirect("agreements:provider_list")
    coordinator = agreement.coordinator or agreement.prepared_by
    context = {"form": form, "agreement": agreement, "party_name": agreement.provider.name}
    context["returns_to"] = coordinator.display_name
    return render(request, "agreements/request_changes.html", context)


@login_required
def provider_pdf(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.download_provider_pdf")
    if not agreement.sealed_pdf:
        raise Http404
    audit.record_access(actor=request.user, target=agreement, action="exported", request=request)
    return FileResponse(
        agreement.sealed_pdf.open("rb"),
        as_attachment=True,
        filename=services.pdf_filename(agreement),
        content_type="application/pdf",
    )
