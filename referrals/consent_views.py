"""Consent and lawful basis (issue 22 item 4): the force's list of lawful bases, its casework
settings, and the sergeant's list of referrals and disclosures made without consent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import casework
from .casework_forms import CaseworkSettingsForm, LawfulBasisForm, WithoutConsentFilter
from .models import ICO_QUESTIONS, CaseworkSettings, ConsentRecord, LawfulBasis

PAGE_SIZE = 50


@never_cache
@permission_required("referrals.view_consent_list")
def without_consent_list(request):
    """Sergeants and managers: the referrals and disclosures of their cases made without the
    young person's or parents' agreement, with the basis and the decision, newest first."""
    records = (
        ConsentRecord.objects.visible_to(request.user)
        .without_consent()
        .select_related("case", "referral", "lawful_basis", "recorded_by")
    )
    filters = WithoutConsentFilter(request.GET or None, queryset=records, user=request.user)
    listed = filters.qs if filters.is_bound and filters.is_valid() else records
    page = Paginator(listed.order_by("-created", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record_accesses(
        actor=request.user,
        targets=[record.about for record in page.object_list if record.about is not None],
        action="listed as shared without consent",
        request=request,
    )
    return render(
        request, "referrals/casework/without_consent_list.html", {"page": page, "filters": filters}
    )


@never_cache
@permission_required("referrals.manage_casework_settings")
def casework_settings(request):
    """Force administrators and managers: closure approval, and the list of lawful bases."""
    force = request.user.force
    row = CaseworkSettings.objects.visible_to(request.user).for_force(force)
    form = CaseworkSettingsForm(
        request.POST or None, initial={"closure_needs_approval": row.closure_needs_approval}
    )
    if request.method == "POST" and form.is_valid():
        casework.casework_settings_update(
            force=force, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Casework settings saved.")
        return redirect("referrals:casework_settings")
    LawfulBasis.objects.visible_to(request.user).ensure_defaults(force)
    context = {
        "form": form,
        "bases": LawfulBasis.objects.visible_to(request.user),
        "ico_questions": ICO_QUESTIONS,
    }
    return render(request, "referrals/casework/settings.html", context)


@never_cache
@permission_required("referrals.manage_casework_settings")
def lawful_basis_edit(request, pk=None):
    """Add a lawful basis to the force's list, or change one."""
    basis = get_object_or_404(LawfulBasis.objects.visible_to(request.user), pk=pk) if pk else None
    form = LawfulBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            casework.lawful_basis_save(
                force=request.user.force, by=request.user, basis=basis, request=request, **fields
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Lawful basis saved.")
            return redirect("referrals:casework_settings")
    title = "Change a lawful basis" if basis else "Add a lawful basis"
    return render(
        request,
        "referrals/casework/simple_form.html",
        {"form": form, "title": title, "back": "referrals:casework_settings"},
    )
