"""Pages of an agreement's joint reviews and its neighbourhood management team meetings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from agreements.models import Agreement

from . import joint_review as services
from .forms import NmtMeetingForm, ReviewAnswerForm, ReviewDecisionForm
from .models import AgreementReview

VIEW = "partnership.view_agreement_reviews"


def _agreement_or_404(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("school", "named_officer"),
        pk=pk,
    )


def _review_or_404(request, pk):
    return get_object_or_404(
        AgreementReview.objects.visible_to(request.user).select_related(
            "agreement__school",
            "agreement__named_officer",
            "started_by",
            "police_answered_by",
            "school_answered_by",
            "decided_by",
            "renewal",
        ),
        pk=pk,
    )


@permission_required(VIEW)
def agreement_reviews(request, agreement_pk):
    agreement = _agreement_or_404(request, agreement_pk)
    reviews = agreement.joint_reviews.select_related("started_by", "decided_by")
    return render(
        request,
        "partnership/agreement_reviews.html",
        {
            "agreement": agreement,
            "reviews": reviews,
            "open_review": next((r for r in reviews if r.is_open), None),
            "meetings": agreement.nmt_meetings.select_related("recorded_by"),
            "can_start": agreement.state == Agreement.State.ACTIVE
            and request.user.has_perm("partnership.review_agreement", agreement),
            "can_record": request.user.has_perm("partnership.record_nmt_meeting", agreement),
        },
    )


@require_POST
@permission_required(VIEW)
def review_start(request, agreement_pk):
    agreement = _agreement_or_404(request, agreement_pk)
    if not request.user.has_perm("partnership.review_agreement", agreement):
        raise PermissionDenied
    try:
        review = services.review_start(agreement=agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partnership:agreement_reviews", agreement.pk)
    messages.success(request, "The joint review has started. The other side is asked to answer.")
    return redirect(review)


def _review_page(request, review, *, answer_form=None, decision_form=None):
    side = services.side_of(request.user, review.agreement)
    may_answer = review.is_open and side and not getattr(review, f"{side}_answered_at")
    may_decide = review.is_open and side and review.both_answered
    decision_form = decision_form or ReviewDecisionForm()
    decision_form.helper.form_action = reverse(
        "partnership:agreement_review_decide", args=[review.pk]
    )
    return render(
        request,
        "partnership/agreement_review.html",
        {
            "review": review,
            "agreement": review.agreement,
            "side": side,
            "answer_form": (answer_form or ReviewAnswerForm()) if may_answer else None,
            "decision_form": decision_form if may_decide else None,
            "errors": answer_form if answer_form is not None else decision_form,
        },
    )


@permission_required(VIEW)
def agreement_review(request, pk):
    review = _review_or_404(request, pk)
    if request.method != "POST":
        return _review_page(request, review)
    if not request.user.has_perm("partnership.review_agreement", review.agreement):
        raise PermissionDenied
    form = ReviewAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.review_answer(
                review=review, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Your side's answers are saved.")
            return redirect(review)
    return _review_page(request, review, answer_form=form)


@require_POST
@permission_required(VIEW)
def review_decide(request, pk):
    review = _review_or_404(request, pk)
    if not request.user.has_perm("partnership.review_agreement", review.agreement):
        raise PermissionDenied
    form = ReviewDecisionForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_conclude(
                review=review, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"The review is decided: {review.get_outcome_display().lower()}."
            )
            return redirect(review.renewal or review)
    return _review_page(request, review, decision_form=form)


@permission_required(VIEW)
def nmt_meeting_create(request, agreement_pk):
    agreement = _agreement_or_404(request, agreement_pk)
    if not request.user.has_perm("partnership.record_nmt_meeting", agreement):
        raise PermissionDenied
    form = NmtMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nmt_meeting_record(
                agreement=agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The meeting is recorded against the agreement.")
            return redirect("partnership:agreement_reviews", agreement.pk)
    return render(
        request,
        "partnership/nmt_meeting_form.html",
        {"form": form, "agreement": agreement},
    )
