"""Pages of an assessment's life: start, the working document, submit, decide, review date, inbox.

Assessments hold police evidence, so one that is not visible to the user (another force's,
or any to school staff) is a 404; a visible one the user's role may not act on is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from schools.models import School

from . import services
from .assessment_forms import AssessmentForm, DecisionForm, ReviewDateForm
from .models import Assessment
from .queries import officer_capacity

PAGE_SIZE = 50
VIEW, ASSESS, APPROVE = (
    "needs_assessment.view_assessments",
    "needs_assessment.assess",
    "needs_assessment.approve",
)


def _assessment_or_404(request, pk, perm=VIEW):
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "school",
            "framework",
            "computed_level",
            "proposed_level",
            "assessed_by",
            "decided_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, assessment):
        raise PermissionDenied
    return assessment


def _current_of(school):
    return school.assessments.current().select_related("computed_level", "proposed_level").first()


def _summary_context(assessment):
    """Return what the detail and decision pages show of an assessment."""
    return {
        "assessment": assessment,
        "school": assessment.school,
        "ratings": assessment.ratings.select_related("factor", "level").order_by(
            "factor__order", "factor__pk"
        ),
        "values": assessment.indicator_values.select_related("indicator").order_by(
            "indicator__order", "indicator__pk"
        ),
        "current": assessment if assessment.is_current else _current_of(assessment.school),
    }


@permission_required(APPROVE)
def inbox(request):
    waiting = (
        Assessment.objects.visible_to(request.user)
        .awaiting_approval()
        .select_related("school", "computed_level", "proposed_level", "assessed_by")
        .prefetch_related(
            Prefetch(
                "school__assessments",
                queryset=Assessment.objects.current().select_related(
                    "computed_level", "proposed_level"
                ),
                to_attr="current_assessments",
            )
        )
        .order_by("submitted_at", "pk")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs_assessment/inbox.html", {"page": page})


@login_required
@require_POST
def assessment_start(request, school_pk):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=school_pk)
    if not request.user.has_perm(ASSESS, school):
        raise PermissionDenied
    try:
        assessment = services.assessment_start(school=school, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(school)
    return redirect("needs_assessment:assessment_edit", pk=assessment.pk)


@login_required
def assessment_detail(request, pk):
    assessment = _assessment_or_404(request, pk)
    return _render_detail(request, assessment)


def _render_detail(request, assessment, review_form=None):
    if review_form is None and assessment.is_current and request.user.has_perm(APPROVE, assessment):
        review_form = ReviewDateForm(
            action=reverse("needs_assessment:reassessment_request", args=[assessment.pk])
        )
    context = _summary_context(assessment) | {"review_form": review_form}
    return render(request, "needs_assessment/assessment_detail.html", context)


def _render_edit(request, assessment, form, problems=()):
    context = {
        "assessment": assessment,
        "school": assessment.school,
        "framework": assessment.framework,
        "form": form,
        "problems": problems,
        "has_errors": bool(form.errors or problems),
    }
    return render(request, "needs_assessment/assessment_edit.html", context)


def _saved(request, assessment, action):
    """Say what saving did and go where the assessor asked: the assessment, or its tier."""
    if action == "submit":
        messages.success(
            request, "Sent for approval. A prevention manager will approve or return it."
        )
        return redirect(assessment)
    if action == "tier":
        tier = assessment.computed_level
        messages.success(
            request,
            f"Saved. The computed tier is {tier.name}."
            if tier
            else "Saved. Rate a factor to see the tier.",
        )
        edit_url = reverse("needs_assessment:assessment_edit", args=[assessment.pk])
        return redirect(f"{edit_url}#computed-tier")
    messages.success(request, "Draft saved. You can come back to it at any time.")
    return redirect(assessment)


@login_required
def assessment_edit(request, pk):
    assessment = _assessment_or_404(request, pk, ASSESS)
    if not assessment.is_editable:
        messages.info(
            request,
            f"This assessment is {assessment.get_status_display().lower()}; "
            "it can no longer be changed.",
        )
        return redirect(assessment)
    form = AssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            assessment = services.assessment_save(
                assessment=assessment, by=request.user, request=request, **form.changes()
            )
            if action == "submit":
                assessment = services.assessment_submit(
                    assessment=assessment, by=request.user, request=request
                )
        except ValidationError as error:
            # What was typed stays on the page; a refused submit has still saved it.
            add_validation_errors(form, error)
            assessment = _assessment_or_404(request, pk, ASSESS)
        else:
            return _saved(request, assessment, action)
    return _render_edit(request, assessment, form)


@login_required
@require_POST
def assessment_submit(request, pk):
    assessment = _assessment_or_404(request, pk, ASSESS)
    try:
        services.assessment_submit(assessment=assessment, by=request.user, request=request)
    except ValidationError as error:
        if not assessment.is_editable:
            messages.error(request, " ".join(error.messages))
            return redirect(assessment)
        form = AssessmentForm(assessment=assessment)
        return _render_edit(request, assessment, form, problems=error.messages)
    messages.success(request, "Sent for approval. A prevention manager will approve or return it.")
    return redirect(assessment)


@login_required
def assessment_decide(request, pk):
    assessment = _assessment_or_404(request, pk, APPROVE)
    if assessment.status != Assessment.Status.SUBMITTED:
        messages.info(request, "This assessment is not waiting for approval.")
        return redirect(assessment)
    form = DecisionForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        approving = form.cleaned_data["decision"] == DecisionForm.APPROVE
        try:
            if approving:
                assessment = services.assessment_approve(
                    assessment=assessment, by=request.user, comment=comment, request=request
                )
            else:
                assessment = services.assessment_return(
                    assessment=assessment, by=request.user, comment=comment, request=request
                )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if approving:
                messages.success(request, f"{assessment.school.name} is now {assessment.level}.")
                return redirect(assessment.school)
            messages.success(
                request,
                f"Returned to {assessment.assessed_by.display_name} with your comment.",
            )
            return redirect("needs_assessment:inbox")
    promised, posts = officer_capacity(assessment.school.force_id, adding=assessment)
    context = _summary_context(assessment) | {
        "form": form,
        "weekly_promised": promised,
        "officer_posts": posts,
    }
    return render(request, "needs_assessment/assessment_decide.html", context)


@login_required
@require_POST
def reassessment_request(request, pk):
    assessment = _assessment_or_404(request, pk, APPROVE)
    form = ReviewDateForm(request.POST, action=request.path)
    if form.is_valid():
        try:
            assessment = services.reassessment_request(
                assessment=assessment,
                by=request.user,
                due_on=form.cleaned_data["due_on"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"{assessment.school.name} is now due for reassessment by "
                f"{assessment.review_due_on:%-d %B %Y}.",
            )
            return redirect(assessment)
    return _render_detail(request, assessment, review_form=form)
