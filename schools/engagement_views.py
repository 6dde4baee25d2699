"""Pages of the engagement log (log, correct) and of the force's term dates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import services
from .engagement_forms import EngagementCorrectionForm, EngagementForm, TermForm
from .models import Engagement, School, Term

CORRECTABLE_FIELDS = (
    "occurred_on",
    "kind",
    "purpose",
    "duration_minutes",
    "with_whom",
    "summary",
    "follow_up",
)


def _named_school(request, pk):
    """Return the school named by `pk`, or None if none is named; 404 if the user cannot see it."""
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("schools.log_engagement", school):
        raise PermissionDenied
    return school


@permission_required("schools.log_engagement")
def engagement_create(request):
    school = _named_school(request, request.GET.get("school"))
    if school is None and request.method == "POST":
        # A school chosen in the select must still be one of the officer's force.
        _named_school(request, request.POST.get("school"))
    form = EngagementForm(request.POST or None, officer=request.user, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_log(
                officer=request.user, request=request, **form.engagement_fields
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Engagement at {engagement.school.name} saved.")
            return redirect("schools:detail", engagement.school_id)
    back_url = school.get_absolute_url() if school else reverse("schools:list")
    return render(
        request,
        "schools/engagement_form.html",
        {"form": form, "school": school, "back_url": back_url},
    )


@permission_required("schools.correct_engagement")
def engagement_correct(request, pk):
    engagement = get_object_or_404(
        Engagement.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    if not request.user.has_perm("schools.correct_engagement", engagement):
        raise PermissionDenied
    school = engagement.school
    form = EngagementCorrectionForm(
        request.POST or None,
        officer=request.user,
        school=school,
        initial={name: getattr(engagement, name) for name in CORRECTABLE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_correct(
                engagement=engagement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Engagement at {school.name} corrected.")
            return redirect("schools:detail", school.pk)
    return render(
        request,
        "schools/engagement_form.html",
        {
            "form": form,
            "school": school,
            "engagement": engagement,
            "correct_until": engagement.created + Engagement.CORRECTION_WINDOW,
            "back_url": school.get_absolute_url(),
        },
    )


@permission_required("schools.manage_terms")
def term_list(request):
    force = request.user.force
    # A force with no terms yet gets the default ones, so the list is never empty.
    current_term = Term.current_for(force)
    terms = Term.objects.visible_to(request.user)
    return render(request, "schools/term_list.html", {"terms": terms, "current_term": current_term})


@permission_required("schools.manage_terms")
def term_create(request):
    return _term_form(request, Term())


@permission_required("schools.manage_terms")
def term_edit(request, pk):
    term = get_object_or_404(Term.objects.visible_to(request.user), pk=pk)
    return _term_form(request, term)


def _term_form(request, term):
    before = audit.snapshot(term) if term.pk else {}
    heading = (
        f"Change the {term.get_name_display().lower()} term {term.academic_year}"
        if term.pk
        else "Add a term"
    )
    form = TermForm(request.POST or None, instance=term, force=request.user.force)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            term = form.save()
            changes = audit.diff(before, audit.snapshot(term))
            if changes:
                audit.record(
                    "schools.term.changed" if before else "schools.term.added",
                    actor=request.user,
                    target=term,
                    changes=changes,
                    request=request,
                )
        messages.success(request, f"{term} saved.")
        return redirect("schools:term_list")
    return render(
        request, "schools/term_form.html", {"form": form, "term": term, "heading": heading}
    )
