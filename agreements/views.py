"""Pages of agreements: the list, preparing, the agreement, signing, ending, renewing, the
sealed PDF, checking a PDF, the force's settings and templates.

An agreement the user may not see (another force's, another school's, a draft for school
staff) is a 404; one they see but may not act on is a 403.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from schools.models import School

from . import documents, services
from .filters import AgreementFilter
from .forms import (
    ChangeForm,
    EndForm,
    PrepareForm,
    SettingsForm,
    SignForm,
    TemplateForm,
    VerifyForm,
)
from .models import Agreement, AgreementSettings, AgreementTemplate, ProviderAgreement
from .render import document_context
from .rules import countersigned_by, party_of

PAGE_SIZE = 50
VIEW = "agreements.view_agreement"


def _posted(request):
    """Return the POST data of a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _agreement_or_404(request, pk, perm=VIEW):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "school__organisation",
            "force",
            "template",
            "isa_template",
            "named_officer__team",
            "prepared_by",
            "ended_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm(VIEW, agreement) or not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


LIST_FIELDS = (
    "state",
    "review_due_on",
    "review_suggested",
    "created",
    "school__name",
    "template__kind",
    "named_officer__full_name",
    "named_officer__email",
    "named_officer__rank",
    "named_officer__collar_number",
)


@permission_required("agreements.list_agreements")
def agreement_list(request):
    """The agreements the user may see, by school, filtered."""
    # Only what the table shows: not the frozen document, hashes or the wide school, officer
    # and template rows (sorting 3,000 narrow rows by school name is then cheap).
    agreements = (
        Agreement.objects.visible_to(request.user)
        .select_related("school", "named_officer", "template")
        .only(*LIST_FIELDS)
        .order_by(Lower("school__name"), "-created")
    )
    filters = AgreementFilter(request.GET, queryset=agreements)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/agreement_list.html",
        {"filters": filters, "page": page, "query": filters.query()},
    )


@login_required
def agreement_prepare(request, school_pk):
    school = get_object_or_404(
        School.objects.visible_to(request.user).select_related("force"), pk=school_pk
    )
    if not request.user.has_perm("agreements.prepare", school):
        raise PermissionDenied
    in_progress = school.agreements.filter(
        state__in=[Agreement.State.DRAFT, Agreement.State.SENT, Agreement.State.PARTLY_SIGNED]
    ).first()
    if in_progress is not None:
        messages.info(request, "An agreement with this school is already being prepared or signed.")
        return redirect(in_progress)
    # As the service does: the school's named contact, or else the officer preparing it.
    officer = services.current_named_officer(school) or (
        request.user if request.user.is_officer else None
    )
    kind = services.fitting_kind(officer)
    fitting = (
        AgreementTemplate.objects.visible_to(request.user).filter(kind=kind).published().first()
    )
    local = fitting.section("local_arrangements") if fitting else None
    form = PrepareForm(
        _posted(request),
        school=school,
        initial={
            "template": fitting,
            "named_officer": officer,
            "include_isa": True,
            "local_arrangements": local["body"] if local else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_prepare(
                school=school, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Draft prepared. Check it, then send it for signature.")
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_prepare.html",
        {
            "form": form,
            "school": school,
            "fitting": fitting,
            "contact_advice": services.contact_advice(school, officer),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = _agreement_or_404(request, pk)
    services.agreement_record_view(agreement=agreement, user=request.user, request=request)
    context = document_context(agreement)
    context.update(
        school=agreement.school,
        events=agreement.events.select_related("actor").order_by("created", "pk"),
        my_party=party_of(request.user, agreement) if agreement.is_awaiting_signature else None,
        renewal=Agreement.objects.filter(renews=agreement).first(),
        earlier_versions=list(agreement.versions.order_by("-number")[1:]),
        countersigner=countersigned_by(agreement) if agreement.sergeant_countersigns else "",
        documents=documents.panel_for(agreement, request.user),
    )
    context["to_be_countersigned"] = (
        agreement.sergeant_countersigns
        and agreement.is_awaiting_signature
        and all(s.party != Agreement.Party.SERGEANT for s in context["signatures"])
    )
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def seal_status(request, pk):
    """Answer whether the signed PDF is ready, for the page that waits for it."""
    agreement = _agreement_or_404(request, pk)
    return JsonResponse({"sealed": agreement.is_sealed, "state": agreement.state})


@login_required
def agreement_change(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.edit")
    form = ChangeForm(
        _posted(request),
        agreement=agreement,
        initial={
            "local_arrangements": agreement.local_arrangements,
            "left_out": agreement.left_out,
            "named_officer": agreement.named_officer,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_change.html",
        {"form": form, "agreement": agreement, "school": agreement.school},
    )


@login_required
@require_POST
def agreement_send(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.send")
    try:
        services.agreement_send(agreement=agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sent for signature. The first signer has been emailed.")
    return redirect(agreement)


@login_required
def agreement_sign(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.sign")
    if agreement.sign_link_has_expired():
        return render(
            request,
            "agreements/link_expired.html",
            {"agreement": agreement, "school": agreement.school},
            status=410,
        )
    party = party_of(request.user, agreement)
    police = party != Agreement.Party.SCHOOL
    context = document_context(agreement)
    user = request.user
    form = SignForm(
        _posted(request),
        police=police,
        initial={
            "typed_name": user.full_name,
            "rank": user.rank,
            "collar_number": user.collar_number,
            "version": context["version"].number,
        },
    )
    if request.method == "GET":
        services.agreement_record_view(agreement=agreement, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_sign(
                agreement=agreement,
                by=user,
                typed_name=data["typed_name"],
                confirmed=data["confirmed"],
                drawn_png=services.decode_drawing(data.get("drawn_signature", "")),
                rank=data.get("rank", ""),
                collar_number=data.get("collar_number", ""),
                version_number=data["version"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            agreement.refresh_from_db()
            if agreement.state == Agreement.State.ACTIVE:
                messages.success(request, "Signed. The agreement is now active.")
            else:
                messages.success(request, "Signed. The next signer has been emailed.")
            return redirect(agreement)
    context.update(form=form, school=agreement.school, party=party, police=police)
    return render(request, "agreements/agreement_sign.html", context)


@login_required
def agreement_end(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.end")
    form = EndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_end(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, "The agreement has been ended. The other party has been told."
            )
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_end.html",
        {"form": form, "agreement": agreement, "school": agreement.school},
    )


@login_required
@require_POST
def agreement_renew(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.renew")
    try:
        renewal = services.agreement_renew(agreement=agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(agreement)
    messages.success(
        request,
        "Renewal started: check the new version and send it. The current agreement stays in "
        "force until the new one is signed.",
    )
    return redirect(renewal)


@login_required
def agreement_pdf(request, pk):
    agreement = _agreement_or_404(request, pk, "agreements.download_pdf")
    if not agreement.sealed_pdf:
        raise Http404
    audit.record_access(actor=request.user, target=agreement, action="exported", request=request)
    return FileResponse(
        agreement.sealed_pdf.open("rb"),
        as_attachment=True,
        filename=f"agreement-{agreement.school.urn}-{agreement.active_on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@permission_required("agreements.verify")
def verify(request):
    from .seal import seal_is_valid, seal_timestamp, signing_material, timestamp_trust_roots

    form = VerifyForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["pdf"].read()
        digest = hashlib.sha256(data).hexdigest()
        force = request.user.force
        match = (
            Agreement.objects.filter(force=force, sealed_sha256=digest)
            .select_related("school")
            .first()
        )
        result = {"sha256": digest, "name": form.cleaned_data["pdf"].name, "genuine": False}
        if match is None:
            # A provider agreement is sealed with the same certificate and checked here too.
            match = (
                ProviderAgreement.objects.filter(force=force, sealed_sha256=digest)
                .select_related("provider")
                .first()
            )
            result["provider"] = match is not None
        if match is not None:
            certificates = [match.seal_certificate, signing_material(force).certificate_pem]
            tsa_roots = timestamp_trust_roots(force)
            result["genuine"] = seal_is_valid(data, certificates, timestamp_roots=tsa_roots)
            result["timestamp"] = (
                seal_timestamp(data, timestamp_roots=tsa_roots) if result["genuine"] else None
            )
            result["agreement"] = match
            result["may_view"] = request.user.has_perm(
                "agreements.view_provider_agreement" if result.get("provider") else VIEW, match
            )
    return render(request, "agreements/verify.html", {"form": form, "result": result})


@permission_required("agreements.view_templates")
def template_list(request):
    templates = AgreementTemplate.objects.visible_to(request.user).order_by("kind", "-version")
    force_settings = AgreementSettings.for_force(request.user.force)
    return render(
        request,
        "agreements/template_list.html",
        {"templates": templates, "force_settings": force_settings},
    )


def _template_or_404(request, pk, perm):
    template = get_object_or_404(AgreementTemplate.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, template):
        raise PermissionDenied
    return template


@login_required
def template_detail(request, pk):
    template = _template_or_404(request, pk, "agreements.view_templates")
    from .render import blocks_of

    sections = [dict(s, blocks=blocks_of(s.get("body", ""))) for s in template.sections]
    return render(
        request, "agreements/template_detail.html", {"template": template, "sections": sections}
    )


@login_required
def template_edit(request, pk):
    template = _template_or_404(request, pk, "agreements.manage_templates")
    form = TemplateForm(_posted(request), template=template)
    if request.method == "POST" and form.is_valid():
        new = services.template_new_version(
            template=template,
            by=request.user,
            title=form.cleaned_data["title"],
            bodies=form.bodies(),
            request=request,
        )
        if new.pk == template.pk:
            messages.info(request, "Nothing changed.")
        else:
            messages.success(
                request,
                f"Version {new.version} published. Agreements already sent keep their wording.",
            )
        return redirect(new)
    return render(request, "agreements/template_edit.html", {"form": form, "template": template})


@permission_required("agreements.manage_settings")
def settings_edit(request):
    force_settings = AgreementSettings.for_force(request.user.force)
    form = SettingsForm(_posted(request), instance=force_settings)
    if request.method == "POST" and form.is_valid():
        services.settings_update(
            force_settings=AgreementSettings.for_force(request.user.force),
            by=request.user,
            changes=form.cleaned_data,
            request=request,
        )
        messages.success(request, "Settings saved. They apply to agreements prepared from now on.")
        return redirect("agreements:template_list")
    return render(request, "agreements/settings_form.html", {"form": form})
