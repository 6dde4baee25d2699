"""Pages of the partnership: a school's cycle (level, checklist, plan, reviews), the school's
answer on its level, the plan's objectives and actions, an owner's actions, the levels list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from needs_assessment.models import Expectation, ServiceOffer
from needs_assessment.panels import current_assessment_and_offer
from schools.models import School

from . import queries, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    LevelAnswerForm,
    ObjectiveForm,
    ReviewSignForm,
    StrategyForm,
    TickForm,
)
from .models import (
    Action,
    LevelAgreement,
    MeetingAction,
    academic_year_of,
)


def _posted(request):
    """The form's data on a POST, even an empty one (so it is checked), else None."""
    return request.POST if request.method == "POST" else None


def _school_or_404(request, pk, perm="partnership.view", *, with_term=False):
    """The school, with its force (and, `with_term`, today's term as `school.current_term`)
    read in the same query."""
    schools = School.objects.visible_to(request.user).select_related("force")
    if with_term:
        schools = queries.with_current_term(schools)
    school = get_object_or_404(schools, pk=pk)
    if not request.user.has_perm(perm, school):
        raise PermissionDenied
    if with_term:
        queries.attach_current_term(school)
    return school


def _school_term_and_review_or_404(request, school_pk, term_pk):
    """The school with its force, the term of its force and the school's review of the term
    (with who signed it, or None), in one query."""
    schools = (
        queries.with_term(School.objects.visible_to(request.user), term_pk)
        .annotate(
            this_review=FilteredRelation(
                "termly_reviews", condition=Q(termly_reviews__term_id=term_pk)
            )
        )
        .select_related(
            "force", "this_review__headteacher_signed_by", "this_review__officer_signed_by"
        )
    )
    school = get_object_or_404(schools, pk=school_pk)
    if not request.user.has_perm("partnership.view", school):
        raise PermissionDenied
    if school.current_term_pk is None:
        raise Http404
    term = queries.attach_current_term(school)
    existing = getattr(school, "this_review", None)
    if existing is not None:
        existing.term = term
        existing.school = school
    return school, term, existing


def _level_context(school):
    assessment = queries.current_assessment(school)
    level = assessment.level if assessment else None
    # The level's expectations each with the school's tick, in one query.
    expectations = queries.expectations_with_checks(level, school) if level else []
    agreement = getattr(assessment, "level_agreement", None) if assessment else None
    return {
        "assessment": assessment,
        "level": level,
        "expectations": expectations,
        "agreement": agreement,
    }


@permission_required("partnership.view")
def school(request, school_pk):
    school = _school_or_404(request, school_pk, with_term=True)
    plan = queries.plan_in(school, year=academic_year_of(timezone.localdate()))
    actions = (
        list(plan.actions.select_related("owner__organisation", "objective__aim"))
        if plan.pk
        else []
    )
    term = school.current_term
    context = _level_context(school) | {
        "school": school,
        "plan": plan,
        "progress": queries.plan_progress(plan),
        "actions": actions,
        "term": term,
        "reviews": school.termly_reviews.select_related("term")[:6],
        "can_edit": request.user.has_perm("partnership.edit_plan", school),
        "capacity": queries.capacity_warning(school.force_id)
        if request.user.is_police_side
        else "",
        "today": timezone.localdate(),
        "figures": school.termly_figures.select_related("term")[:3],
        "surveys": school.safety_surveys.select_related("term")[:3],
        "can_supply": request.user.has_perm("partnership.supply_figures", school),
        "can_open_survey": request.user.has_perm("partnership.open_survey", school),
    }
    return render(request, "partnership/school.html", context)


@permission_required("partnership.view")
def level_agreement(request, school_pk):
    school = _school_or_404(request, school_pk)
    context = _level_context(school)
    agreement = context["agreement"]
    if agreement is None:
        raise Http404
    can_answer = request.user.has_perm("partnership.agree_level", school)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied
    form = LevelAnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.level_agreement_answer(
                agreement=agreement,
                by=request.user,
                agreed=form.cleaned_data["answer"] == LevelAnswerForm.AGREE,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Your answer has been sent to the police.")
            return redirect("partnership:school", school.pk)
    assessment = context["assessment"]
    context |= {
        "school": school,
        "form": form,
        "can_answer": can_answer,
        # The evidence shared with the school: ratings and figures, not the assessor's notes,
        # which may carry police intelligence.
        "ratings": assessment.ratings.select_related("factor", "level"),
        "values": assessment.indicator_values.select_related("indicator"),
        "offer": assessment.framework.service_offers.filter(
            level=assessment.level, phase_group=ServiceOffer.phase_group_of(school)
        ).first(),
    }
    return render(request, "partnership/level_agreement.html", context)


@permission_required("partnership.edit_plan")
def expectation_tick(request, school_pk, expectation_pk):
    school = _school_or_404(request, school_pk, "partnership.edit_plan")
    expectation = get_object_or_404(Expectation.objects.visible_to(request.user), pk=expectation_pk)
    existing = school.expectation_checks.filter(expectation=expectation).first()
    form = TickForm(_posted(request), initial={"evidence": existing.evidence if existing else ""})
    if request.method == "POST" and form.is_valid():
        services.expectation_tick(
            school=school,
            expectation=expectation,
            by=request.user,
            evidence=form.cleaned_data["evidence"],
            request=request,
        )
        messages.success(request, f"Ticked off: {expectation.text}.")
        return redirect("partnership:school", school.pk)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "school": school,
            "title": "Tick off an expectation",
            "lead": expectation.text,
        },
    )


@permission_required("partnership.edit_plan")
def strategy_edit(request, school_pk):
    school = _school_or_404(request, school_pk, "partnership.edit_plan")
    plan = services.plan_of(school)
    form = StrategyForm(_posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        services.strategy_save(
            plan=plan, by=request.user, strategy=form.cleaned_data["strategy"], request=request
        )
        messages.success(request, "The strategy is saved.")
        return redirect("partnership:school", school.pk)
    return render(
        request,
        "partnership/form.html",
        {"form": form, "school": school, "title": "Strategy to reach a lower level"},
    )


@permission_required("partnership.edit_plan")
def objective_create(request, school_pk):
    school = _school_or_404(request, school_pk, "partnership.edit_plan")
    plan = services.plan_of(school)
    assessment = queries.current_assessment(school)
    if assessment is None:
        messages.info(
            request, "Assess the school first: objectives come from its framework's aims."
        )
        return redirect("partnership:school", school.pk)
    form = ObjectiveForm(_posted(request), aims=assessment.framework.aims.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_add(plan=plan, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Objective added to the plan.")
            return redirect("partnership:school", school.pk)
    return render(
        request,
        "partnership/form.html",
        {"form": form, "school": school, "title": "Add an objective"},
    )


@permission_required("partnership.edit_plan")
def action_create(request, school_pk):
    school = _school_or_404(request, school_pk, "partnership.edit_plan")
    plan = services.plan_of(school)
    form = ActionForm(_posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data.pop("owner")
        try:
            services.action_add(plan=plan, by=request.user, owner=owner, request=request, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Action added and {owner.display_name} told.")
            return redirect("partnership:school", school.pk)
    return render(
        request, "partnership/form.html", {"form": form, "school": school, "title": "Add an action"}
    )


@permission_required("partnership.my_actions")
def action_update(request, pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("plan__school", "owner"), pk=pk
    )
    if not request.user.has_perm("partnership.update_action", action):
        raise PermissionDenied
    form = ActionUpdateForm(
        _posted(request),
        initial={"status": action.status, "progress_note": action.progress_note},
    )
    if request.method == "POST" and form.is_valid():
        services.action_update(action=action, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Progress saved.")
        return redirect(
            "partnership:my_actions"
            if action.owner_id == request.user.pk
            else "partnership:school",
            *([] if action.owner_id == request.user.pk else [action.plan.school_id]),
        )
    return render(request, "partnership/action_update.html", {"form": form, "action": action})


@permission_required("partnership.my_actions")
def my_actions(request):
    actions = (
        Action.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("plan__school", "objective__aim")
        .order_by("status", "due_on", "pk")
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    meeting_actions = (
        MeetingAction.objects.visible_to(request.user)
        .owned_by(request.user)
        .filter(done=False)
        .select_related("meeting__group")[:50]
    )
    return render(
        request,
        "partnership/my_actions.html",
        {"page": page, "meeting_actions": meeting_actions, "today": timezone.localdate()},
    )


@permission_required("partnership.view_levels")
def level_list(request):
    status = request.GET.get("status", "")
    if status not in LevelAgreement.Status.values:
        status = ""
    agreements = (
        LevelAgreement.objects.visible_to(request.user)
        .filter(
            assessment__is_current=True,
            school__in=School.objects.visible_to(request.user).open(),
        )
        .select_related(
            "school", "assessment__computed_level", "assessment__proposed_level", "answered_by"
        )
        .order_by("school__name")
    )
    if request.GET.get("la"):
        agreements = agreements.filter(school__la_code=request.GET["la"])
    # A sergeant's dashboard links with every team of the slice (team=1&team=2).
    teams = [team for team in request.GET.getlist("team") if team.isdigit()]
    if teams:
        agreements = agreements.filter(school__team_id__in=teams)
    if status:
        agreements = agreements.filter(status=status)
    page = Paginator(agreements, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partnership/level_list.html",
        {"page": page, "status": status, "statuses": LevelAgreement.Status.choices},
    )


@permission_required("partnership.view")
def review(request, school_pk, term_pk):
    school, term, existing = _school_term_and_review_or_404(request, school_pk, term_pk)
    can_sign = request.user.has_perm("partnership.sign_review", school)
    if request.method == "POST" and not can_sign:
        raise PermissionDenied
    figures = queries.review_figures(school, term)
    form = ReviewSignForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_sign(
                school=school,
                term=term,
                by=request.user,
                figures=figures,
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "You have signed off the termly review.")
            return redirect("partnership:review", school.pk, term.pk)
    # The current assessment was read with the promise of the figures (one query a school).
    assessment, _ = current_assessment_and_offer(school)
    year = academic_year_of(term.starts_on)
    context = {
        "school": school,
        "term": term,
        "review": existing,
        "figures": existing.figures if existing and existing.figures else figures,
        "progress": queries.progress_in(school, year=year),
        "actions": queries.actions_in(school, year=year),
        "assessment": assessment,
        "suggested": queries.level_recheck(assessment),
        "capacity": queries.capacity_warning(school.force_id)
        if request.user.is_police_side
        else "",
        "form": form,
        "can_sign": can_sign,
    }
    return render(request, "partnership/review.html", context)
