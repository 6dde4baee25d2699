"""Pages of a force's needs-assessment frameworks: list, detail, choose, and edits that version."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import framework_services
from .framework_sheet import framework_sheet
from .manage_forms import IndicatorForm, LevelForm, ServiceOfferForm
from .models import Framework, ServiceOffer


def _framework_or_404(request, pk, perm="needs_assessment.view_frameworks"):
    framework = get_object_or_404(
        Framework.objects.visible_to(request.user).select_related("force"), pk=pk
    )
    if not request.user.has_perm(perm, framework):
        raise PermissionDenied
    return framework


@permission_required("needs_assessment.view_frameworks")
def framework_list(request, **kwargs):
    frameworks = (
        Framework.objects.visible_to(request.user)
        .latest_versions()
        .annotate(assessment_count=Count("assessments"))
        .prefetch_related("levels")
        .order_by("-is_chosen", "name")
    )
    return render(
        request,
        "needs_assessment/framework_list.html",
        {
            "frameworks": frameworks,
            "can_manage": request.user.has_perm("needs_assessment.manage_frameworks"),
        },
    )


@permission_required("needs_assessment.view_frameworks")
def framework_detail(request, **kwargs):
    framework = _framework_or_404(request, kwargs["pk"])
    sheet = framework_sheet(framework)
    versions = (
        Framework.objects.visible_to(request.user)
        .filter(key=framework.key)
        .annotate(assessment_count=Count("assessments"))
    )
    latest = max(versions, key=lambda v: v.version)
    this_version = next(v for v in versions if v.pk == framework.pk)
    return render(
        request,
        "needs_assessment/framework_detail.html",
        {
            "framework": framework,
            **sheet,
            "phase_groups": ServiceOffer.PhaseGroup.choices,
            "versions": versions,
            "latest": latest,
            "is_latest": latest.pk == framework.pk,
            "assessment_count": this_version.assessment_count,
            "can_manage": request.user.has_perm("needs_assessment.manage_frameworks", framework)
            and latest.pk == framework.pk,
        },
    )


@require_POST
@permission_required("needs_assessment.manage_frameworks")
def framework_choose(request, **kwargs):
    framework = _framework_or_404(request, kwargs["pk"], "needs_assessment.manage_frameworks")
    try:
        framework_services.framework_choose(framework=framework, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"New assessments of {framework.force} now use {framework.name}.")
    return redirect("needs_assessment:framework_list")


def _editable(request, pk):
    """Return (framework, None), or (None, a redirect) when this version is no longer the latest."""
    framework = _framework_or_404(request, pk, "needs_assessment.manage_frameworks")
    latest = framework_services.latest_version_of(framework)
    if latest.pk != framework.pk:
        messages.info(
            request,
            f"Version {framework.version} has been replaced by version {latest.version}. "
            "Make changes to the latest version.",
        )
        return None, redirect(latest)
    return framework, None


def _saved(request, change, what):
    framework = change.framework
    if not change.diff:
        messages.info(request, "Nothing was changed.")
    elif change.new_version:
        messages.success(
            request,
            f"{what} saved in a new version, version {framework.version}: assessments already "
            f"made keep version {framework.version - 1}."
            + (" New assessments use the new version." if framework.is_chosen else ""),
        )
    else:
        messages.success(
            request,
            f"{what} saved in version {framework.version}. No assessment used this version "
            "yet, so no new version was needed.",
        )
    return redirect(framework)


def _edit_page(request, form, framework, *, heading, intro=""):
    return render(
        request,
        "needs_assessment/framework_edit.html",
        {
            "form": form,
            "framework": framework,
            "heading": heading,
            "intro": intro,
            "assessment_count": framework.assessments.count(),
        },
    )


@permission_required("needs_assessment.manage_frameworks")
def level_edit(request, **kwargs):
    framework, elsewhere = _editable(request, kwargs["pk"])
    if elsewhere:
        return elsewhere
    level = get_object_or_404(framework.levels.select_related("framework"), pk=kwargs["level_pk"])
    form = LevelForm(request.POST or None, level=level, factors=framework.factors.all())
    if request.method == "POST" and form.is_valid():
        try:
            change = framework_services.level_change(
                level=level, by=request.user, values=form.values(), request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _saved(request, change, f"Tier {change.changed.name}")
    return _edit_page(
        request,
        form,
        framework,
        heading=f"Change the tier {level.name}",
        intro="Tiers are ranked; a school is placed in the most intensive tier whose rule its "
        "ratings meet.",
    )


@permission_required("needs_assessment.manage_frameworks")
def offer_edit(request, **kwargs):
    framework, elsewhere = _editable(request, kwargs["pk"])
    if elsewhere:
        return elsewhere
    offer = get_object_or_404(
        framework.service_offers.select_related("level", "framework__force"),
        pk=kwargs["offer_pk"],
    )
    form = ServiceOfferForm(request.POST or None, offer=offer)
    if request.method == "POST" and form.is_valid():
        try:
            change = framework_services.offer_change(
                offer=offer, by=request.user, values=form.values(), request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _saved(request, change, f"The service offer for {offer}")
    return _edit_page(
        request,
        form,
        framework,
        heading=f"Change the service offer: {offer.level.name}, "
        f"{offer.get_phase_group_display().lower()}",
    )


@permission_required("needs_assessment.manage_frameworks")
def indicator_edit(request, **kwargs):
    framework, elsewhere = _editable(request, kwargs["pk"])
    if elsewhere:
        return elsewhere
    indicator = get_object_or_404(
        framework.indicators.select_related("factor"), pk=kwargs["indicator_pk"]
    )
    heading = f"Change the indicator: {indicator.name}"
    form = IndicatorForm(request.POST or None, indicator=indicator, levels=framework.levels.all())
    if request.method == "POST" and form.is_valid():
        try:
            change = framework_services.indicator_change(
                indicator=indicator, by=request.user, values=form.values(), request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _saved(request, change, f"The indicator {change.changed.name}")
    factor = indicator.factor.name if indicator.factor_id else "no factor"
    return _edit_page(
        request,
        form,
        framework,
        heading=heading,
        intro=f"Its key in upload files is {indicator.key}. It rates {factor}: the first "
        "threshold a value passes, most intensive tier first, gives the factor's rating "
        "unless the assessor rates it by hand.",
    )
