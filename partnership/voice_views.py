"""Pages of the school's figures and its anonymous safety survey (the answer page needs no sign-in)."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from schools.models import School, Term

from . import voice
from .forms import FiguresForm, SurveyAnswerForm
from .models import Survey


def _school_or_404(request, pk, perm):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, school):
        raise PermissionDenied
    return school


@permission_required("partnership.supply_figures")
def figures_edit(request, school_pk):
    school = _school_or_404(request, school_pk, "partnership.supply_figures")
    term = Term.current_for(school.force)
    existing = school.termly_figures.filter(term=term).first()
    initial = (
        {name: getattr(existing, name) for name in FiguresForm.base_fields} if existing else {}
    )
    form = FiguresForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            voice.figures_submit(
                school=school, term=term, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Your figures for the {term} are sent.")
            return redirect("partnership:school", school.pk)
    history = school.termly_figures.select_related("term")[:9]
    return render(
        request,
        "partnership/figures_form.html",
        {"form": form, "school": school, "term": term, "history": history},
    )


@require_POST
@permission_required("partnership.open_survey")
def survey_open(request, school_pk):
    school = _school_or_404(request, school_pk, "partnership.open_survey")
    survey = voice.survey_open(
        school=school, term=Term.current_for(school.force), by=request.user, request=request
    )
    return redirect(survey)


@permission_required("partnership.view")
def survey_detail(request, school_pk, pk):
    school = _school_or_404(request, school_pk, "partnership.view")
    survey = get_object_or_404(school.safety_surveys.select_related("term"), pk=pk)
    link = request.build_absolute_uri(survey.public_path())
    svg = voice.qr_svg(link).replace(
        "<svg ", '<svg role="img" aria-label="QR code of the survey link" ', 1
    )
    return render(
        request,
        "partnership/survey_detail.html",
        {
            "school": school,
            "survey": survey,
            "link": link,
            "qr": mark_safe(svg),  # noqa: S308 - made here from our own link, no user text
            "results": voice.survey_results(survey),
        },
    )


def survey_answer(request, token):
    """The public, anonymous survey page: one answer per device, no sign-in, nothing personal."""
    survey = get_object_or_404(Survey.objects.select_related("school", "term"), token=token)
    device = request.COOKIES.get(voice.DEVICE_COOKIE)
    if voice.has_answered(survey, device) or survey.closed:
        return render(request, "partnership/survey_thanks.html", {"survey": survey, "again": True})
    form = SurveyAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = device or secrets.token_urlsafe(24)
        try:
            voice.survey_answer(
                survey=survey,
                device=device,
                respondent=form.cleaned_data["respondent"],
                feels_safe=form.cleaned_data["feels_safe"],
                bullied=form.cleaned_data["bullied"] == "yes",
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            response = render(request, "partnership/survey_thanks.html", {"survey": survey})
            response.set_cookie(
                voice.DEVICE_COOKIE,
                device,
                max_age=400 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(request, "partnership/survey_answer.html", {"form": form, "survey": survey})
