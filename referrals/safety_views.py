"""Structured safety plans (issue 22 item 6): risks, protective factors, who does what
against each, a review date, and a printable page for the young person and family.

The printable page names the young person (it is given to them); it is never emailed, and
each view of it is logged like any page of the case.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.forms import add_validation_errors

from . import casework
from .case_views import VIEW, _case, _case_page, _form_page
from .casework_forms import SafetyFactorForm, SafetyPlanForm, SafetyStepForm
from .models import SafetyPlan, SafetyPlanStep


def _plan(request, case):
    return (
        SafetyPlan.objects.visible_to(request.user)
        .filter(case=case)
        .select_related("updated_by")
        .first()
    )


def _plan_context(plan):
    if plan is None:
        return {"plan": None, "risks": [], "protective": []}
    factors = list(plan.factors.all())
    steps = {}
    for step in plan.steps.all():
        steps.setdefault(step.factor_id, []).append(step)
    for factor in factors:
        factor.step_list = steps.get(factor.pk, [])
    return {
        "plan": plan,
        "risks": [f for f in factors if f.kind == "risk"],
        "protective": [f for f in factors if f.kind == "protective"],
    }


@never_cache
@login_required
def safety_plan(request, public_id):
    """The case's safety plan, with forms to add to it (officers who work the case)."""
    case = _case(request, public_id, VIEW)
    plan = _plan(request, case)
    can_plan = request.user.has_perm("referrals.plan_safety", case)
    context = {
        **_plan_context(plan),
        "can_plan": can_plan,
        "review_form": SafetyPlanForm(initial={"review_on": plan.review_on if plan else None}),
        "factor_form": SafetyFactorForm() if plan else None,
        "step_form": SafetyStepForm(plan=plan) if plan else None,
        "today": timezone.localdate(),
    }
    return _case_page(request, case, "referrals/casework/safety_plan.html", context)


@never_cache
@login_required
def safety_plan_print(request, public_id):
    """The plan as given to the young person and family: printable, never emailed."""
    case = _case(request, public_id, VIEW)
    plan = _plan(request, case)
    if plan is None:
        messages.info(request, "This case has no safety plan yet.")
        return redirect("referrals:safety_plan", case.public_id)
    audit.record_access(
        actor=request.user, target=case, action="opened the printable safety plan", request=request
    )
    context = {"case": case, "person": case.young_person, **_plan_context(plan)}
    return render(request, "referrals/casework/safety_plan_print.html", context)


@never_cache
@login_required
def safety_plan_review(request, public_id):
    case = _case(request, public_id, "referrals.plan_safety")
    plan = _plan(request, case)
    form = SafetyPlanForm(
        request.POST or None, initial={"review_on": plan.review_on if plan else None}
    )
    if request.method == "POST" and form.is_valid():
        casework.safety_plan_save(case=case, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Safety plan saved.")
        return redirect("referrals:safety_plan", case.public_id)
    return _form_page(request, case, form, title="Safety plan review date")


@never_cache
@login_required
def safety_plan_factor(request, public_id):
    case = _case(request, public_id, "referrals.plan_safety")
    plan = _plan(request, case)
    if plan is None:
        return redirect("referrals:safety_plan_review", case.public_id)
    form = SafetyFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework.safety_plan_add_factor(
                plan=plan, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Added to the safety plan.")
            return redirect("referrals:safety_plan", case.public_id)
    return _form_page(request, case, form, title="Add a risk or protective factor")


@never_cache
@login_required
def safety_plan_step(request, public_id):
    case = _case(request, public_id, "referrals.plan_safety")
    plan = _plan(request, case)
    if plan is None:
        return redirect("referrals:safety_plan_review", case.public_id)
    form = SafetyStepForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            casework.safety_plan_add_step(
                plan=plan, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Added who does what.")
            return redirect("referrals:safety_plan", case.public_id)
    return _form_page(request, case, form, title="Add who does what")


@never_cache
@require_POST
@login_required
def safety_plan_step_done(request, public_id, step_pk):
    case = _case(request, public_id, "referrals.plan_safety")
    step = get_object_or_404(
        SafetyPlanStep.objects.visible_to(request.user).filter(plan__case=case), pk=step_pk
    )
    casework.safety_plan_step_done(
        step=step, by=request.user, done=request.POST.get("done") == "1", request=request
    )
    return redirect("referrals:safety_plan", case.public_id)
