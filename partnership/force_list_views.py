"""Force managers' pages: the engagement log's roles, and the levels' aims and expectations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from needs_assessment.models import Aim, Expectation, Framework
from schools.models import EngagementPurpose

from . import force_lists
from .forms import AimForm, ExpectationForm, PurposesForm

PERM = "partnership.manage_cycle"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _framework_or_404(request) -> Framework:
    framework = Framework.objects.visible_to(request.user).filter(is_chosen=True).first()
    if framework is None:
        raise Http404("The force has not chosen a framework")
    return framework


def _form_page(request, form, title, back="partnership:cycle_settings"):
    return render(
        request, "partnership/settings_form.html", {"form": form, "title": title, "back": back}
    )


@permission_required(PERM)
def cycle_settings(request):
    framework = Framework.objects.visible_to(request.user).filter(is_chosen=True).first()
    return render(
        request,
        "partnership/cycle_settings.html",
        {
            "purposes": EngagementPurpose.choices_for(request.user.force_id),
            "framework": framework,
            "aims": framework.aims.all() if framework else [],
            "expectations": framework.expectations.prefetch_related("levels") if framework else [],
        },
    )


@permission_required(PERM)
def purposes_edit(request):
    names = [name for _, name in EngagementPurpose.choices_for(request.user.force_id)]
    form = PurposesForm(_posted(request), initial={"names": "\n".join(names)})
    if request.method == "POST" and form.is_valid():
        try:
            force_lists.engagement_purposes_set(
                force=request.user.force,
                names=form.cleaned_data["names"].splitlines(),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The engagement log's roles are saved.")
            return redirect("partnership:cycle_settings")
    return _form_page(request, form, "The roles an engagement serves")


@permission_required(PERM)
def aim_edit(request, pk):
    framework = _framework_or_404(request)
    aim = get_object_or_404(Aim.objects.visible_to(request.user), framework=framework, pk=pk)
    initial = {
        "name": aim.name,
        "indicator_key": aim.indicator_key,
        "lower_is_better": "1" if aim.lower_is_better else "0",
    }
    form = AimForm(_posted(request), framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            force_lists.aim_change(aim=aim, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"The aim “{aim.name}” is saved.")
            return redirect("partnership:cycle_settings")
    return _form_page(request, form, "Change an aim")


@permission_required(PERM)
def expectation_edit(request, pk=None):
    framework = _framework_or_404(request)
    expectation = (
        get_object_or_404(Expectation.objects.visible_to(request.user), framework=framework, pk=pk)
        if pk
        else None
    )
    initial = (
        {
            "text": expectation.text,
            "levels": [str(p) for p in expectation.levels.values_list("pk", flat=True)],
        }
        if expectation
        else {}
    )
    form = ExpectationForm(_posted(request), framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        levels = list(framework.levels.filter(pk__in=form.cleaned_data["levels"]))
        try:
            force_lists.expectation_save(
                framework=framework,
                expectation=expectation,
                by=request.user,
                request=request,
                text=form.cleaned_data["text"],
                levels=levels,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The expectation is saved.")
            return redirect("partnership:cycle_settings")
    return _form_page(
        request, form, "Change an expectation" if expectation else "Add an expectation"
    )
