"""Incident pages: the school's report journey, the officers' list, and the incident page.

Every page that shows an incident may show a pupil's name, so none is cached (never_cache)
and none carries a name in its URL: incidents are addressed by random public ids.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from schools.models import School

from . import services
from .filters import IncidentFilter
from .forms import STEP_FORMS, ExhibitForm, KindForm, LeadForm, OutcomeForm, PersonForm
from .models import DesignatedLead, Incident
from .record_views import records_context

PAGE_SIZE = 50


def _posted(request):
    """The form's data on a POST, even an empty one (an empty POST is still an answer)."""
    return request.POST if request.method == "POST" else None


# The report's pages in order; "people" and "exhibits" list what was added, the rest ask one
# question each. The check-your-answers page follows the last.
STEPS = [
    "kind",
    "when",
    "where",
    "what",
    "people",
    "third_party",
    "evidence",
    "exhibits",
    "parents",
]
STEP_TITLES = {
    "kind": "What happened?",
    "when": "When did it happen?",
    "where": "Where did it happen?",
    "what": "What happened?",
    "people": "Who was involved?",
    "third_party": "Did someone outside the school report it to you?",
    "evidence": "Has evidence been kept?",
    "exhibits": "Exhibits the school holds",
    "parents": "Have the parents been told?",
}


def _incident_or_404(request, public_id):
    return get_object_or_404(
        Incident.objects.visible_to(request.user).select_related(
            "school", "kind", "reported_by", "acknowledged_by", "outcome_by"
        ),
        public_id=public_id,
    )


def _draft_or_404(request, public_id):
    incident = _incident_or_404(request, public_id)
    if not request.user.has_perm("incidents.edit_draft", incident):
        if not incident.is_draft:
            return None  # sent: the caller shows the incident page
        raise PermissionDenied
    return incident


def _own_school(user):
    return School.objects.visible_to(user).filter(organisation_id=user.organisation_id).first()


def _next_url(incident, step, request):
    if request.GET.get("next") == "check" or step == STEPS[-1]:
        return reverse("incidents:check", args=[incident.public_id])
    following = STEPS[STEPS.index(step) + 1]
    return reverse("incidents:step", args=[incident.public_id, following])


def _back_url(incident, step, request):
    if request.GET.get("next") == "check":
        return reverse("incidents:check", args=[incident.public_id])
    if step == STEPS[0]:
        return reverse("incidents:list")
    return reverse("incidents:step", args=[incident.public_id, STEPS[STEPS.index(step) - 1]])


def _step_context(incident, step, request, **extra):
    return {
        "incident": incident,
        "step": step,
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "title": STEP_TITLES[step],
        "back_url": _back_url(incident, step, request),
        "next_url": _next_url(incident, step, request),
        "steps": incident.kind.steps.all() if incident.kind_id else [],
        **extra,
    }


# ---------------------------------------------------------------------------- the list


@never_cache
@permission_required("incidents.view_list")
def incident_list(request):
    """Officers: the force's reports, newest first, by status, school and period. The school's
    headteacher and designated leads: their school's reports and their own drafts."""
    user = request.user
    visible = Incident.objects.visible_to(user)
    filters = _filters(request, visible)
    listed = filters["incidents"].select_related("school", "kind").order_by("-sent_at", "-pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = list(visible.drafts().filter(reported_by=user).select_related("kind")[:10])
    context = {
        "page": page,
        "drafts": drafts,
        **filters,
        "can_report": user.has_perm("incidents.report", _own_school(user))
        if user.is_school_staff
        else False,
    }
    return render(request, "incidents/incident_list.html", context)


def _filters(request, visible):
    """The list's filters (incidents.filters.IncidentFilter): status, school, kind, where,
    outcome, team, area and period, as the school page, the assessment and the dashboards
    link to it."""
    filters = IncidentFilter(request.GET, queryset=visible.sent(), request=request)
    school = filters.chosen_school
    mine = request.GET.get("mine") == "1" and request.user.is_officer
    kind = filters.form.is_valid() and filters.form.cleaned_data.get("kind")
    chosen = {"mine": mine, "period": filters.six_months_text, "kind": bool(kind)}
    return {
        "incidents": filters.qs,
        "filters": filters,
        "query": filters.query(),
        "school": school,
        "chosen": chosen,
        "status_links": _status_links(request, filters.tab),
        "mine_query": _toggled(request, "mine", "" if mine else "1"),
    }


def _toggled(request, name, value):
    """The list's address with one filter set to `value` (or dropped when empty)."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    if value:
        params[name] = value
    return params.urlencode()


def _status_links(request, status):
    """The list's status tabs, each keeping the other filters (school, kind, period)."""
    choices = [("", "All"), *[(s.value, s.label) for s in Incident.Status][1:]]
    return [
        {"label": label, "query": _toggled(request, "status", value), "current": value == status}
        for value, label in choices
    ]


# ---------------------------------------------------------------------------- reporting


@never_cache
@permission_required("incidents.view_list")
def incident_start(request):
    """The first question of the report: what happened. Answering it saves a draft."""
    school = _own_school(request.user)
    if school is None or not request.user.has_perm("incidents.report", school):
        raise PermissionDenied
    form = KindForm(_posted(request), school=school)
    if request.method == "POST" and form.is_valid():
        incident = services.incident_start(
            by=request.user, school=school, kind=form.cleaned_data["kind"], request=request
        )
        return redirect("incidents:step", incident.public_id, STEPS[1])
    context = {
        "form": form,
        "school": school,
        "title": STEP_TITLES["kind"],
        "step_number": 1,
        "step_count": len(STEPS),
        "back_url": reverse("incidents:list"),
    }
    return render(request, "incidents/report_step.html", context)


@never_cache
@login_required
def report_step(request, public_id, step):
    """One page of the report; each saves the draft, so a lost signal loses nothing."""
    if step not in STEPS:
        raise Http404
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    if step in ("people", "exhibits"):
        return render(
            request, f"incidents/report_{step}.html", _step_context(incident, step, request)
        )
    form_class = STEP_FORMS[step]
    extra = {"school": incident.school} if step == "kind" else {}
    form = form_class(
        _posted(request), initial=form_class.initial_from(incident), incident=incident, **extra
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_save_step(
                incident=incident,
                by=request.user,
                step=step,
                values=form.cleaned_data,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(_next_url(incident, step, request))
    return render(
        request, "incidents/report_step.html", _step_context(incident, step, request, form=form)
    )


@never_cache
@login_required
def person_add(request, public_id):
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    form = PersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(
                incident=incident, by=request.user, request=request, **form.person_fields
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect(_people_url(incident, request))
    context = {"form": form, "incident": incident, "back_url": _people_url(incident, request)}
    return render(request, "incidents/person_form.html", context)


def _people_url(incident, request, step="people"):
    url = reverse("incidents:step", args=[incident.public_id, step])
    return f"{url}?next=check" if request.GET.get("next") == "check" else url


@never_cache
@require_POST
@login_required
def person_remove(request, public_id, pk):
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    person = get_object_or_404(incident.people, pk=pk)
    services.person_remove(person=person, by=request.user, request=request)
    messages.success(request, "Person removed from the report.")
    return redirect(_people_url(incident, request))


@never_cache
@login_required
def exhibit_add(request, public_id):
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    form = ExhibitForm(_posted(request))
    back = _people_url(incident, request, "exhibits")
    if request.method == "POST" and form.is_valid():
        services.exhibit_add(
            incident=incident, by=request.user, request=request, **form.cleaned_data
        )
        return redirect(back)
    return render(
        request,
        "incidents/exhibit_form.html",
        {"form": form, "incident": incident, "back_url": back},
    )


@never_cache
@require_POST
@login_required
def exhibit_remove(request, public_id, pk):
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    exhibit = get_object_or_404(incident.exhibits, pk=pk)
    services.exhibit_remove(exhibit=exhibit, by=request.user, request=request)
    messages.success(request, "Exhibit removed from the report.")
    return redirect(_people_url(incident, request, "exhibits"))


@never_cache
@login_required
def report_check(request, public_id):
    """Check your answers, then send: the officer and the team are told at once."""
    incident = _draft_or_404(request, public_id)
    if incident is None:
        return redirect("incidents:detail", public_id)
    errors = []
    if request.method == "POST":
        try:
            services.incident_send(incident=incident, by=request.user, request=request)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(reverse("incidents:detail", args=[public_id]) + "?sent=1")
    context = {
        "incident": incident,
        "people": incident.people.all(),
        "exhibits": incident.exhibits.all(),
        "steps": incident.kind.steps.all() if incident.kind_id else [],
        "missing": incident.missing_answers(),
        "errors": errors,
        "back_url": reverse("incidents:step", args=[public_id, STEPS[-1]]),
    }
    return render(request, "incidents/report_check.html", context)


# ---------------------------------------------------------------------------- the incident


@never_cache
@login_required
def incident_detail(request, public_id):
    """The incident: for the school, its report with the status and outcome; for officers,
    also the police-only note and the handling."""
    incident = _incident_or_404(request, public_id)
    user = request.user
    if incident.is_draft:
        return redirect("incidents:check", public_id)
    audit.record_access(actor=user, target=incident, request=request)
    police = user.has_perm("incidents.read_police_notes", incident)
    context = {
        "incident": incident,
        "people": incident.people.all(),
        "exhibits": incident.exhibits.all(),
        "steps": incident.kind.steps.all() if incident.kind_id else [],
        "police": police,
        "just_sent": request.GET.get("sent") == "1" and incident.reported_by_id == user.pk,
        # Searches, resolutions and arrests, for those who need to know (record_views).
        **records_context(request, incident),
    }
    if police:
        context["can_handle"] = user.has_perm("incidents.handle", incident)
        # Referrals made from it (referrals, to the right, holds the link).
        context["referrals"] = list(incident.referrals.only("public_id", "status"))
    return render(request, "incidents/incident_detail.html", context)


@never_cache
@require_POST
@login_required
def incident_acknowledge(request, public_id):
    incident = _incident_or_404(request, public_id)
    if not request.user.has_perm("incidents.handle", incident):
        raise PermissionDenied
    services.incident_acknowledge(incident=incident, by=request.user, request=request)
    messages.success(request, "Incident acknowledged. The school can see you have it.")
    return redirect(incident)


@never_cache
@login_required
def incident_outcome(request, public_id):
    """The officer records the outcome; "referred into casework" goes on to the referral."""
    incident = _incident_or_404(request, public_id)
    if not request.user.has_perm("incidents.handle", incident):
        raise PermissionDenied
    if incident.status == Incident.Status.CLOSED:
        messages.info(request, "The outcome of this incident is already recorded.")
        return redirect(incident)
    form = OutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_record_outcome(
                incident=incident, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if form.cleaned_data["outcome"] == Incident.Outcome.REFERRED:
                messages.success(request, "Outcome recorded. Now make the referral.")
                return redirect("referrals:referral_create_for_incident", public_id)
            messages.success(request, "Outcome recorded. The school can see it.")
            return redirect(incident)
    audit.record_access(actor=request.user, target=incident, request=request)
    return render(request, "incidents/outcome_form.html", {"form": form, "incident": incident})


# ---------------------------------------------------------------------------- designated leads


@never_cache
@login_required
def lead_list(request):
    """The headteacher names the staff who may report incidents, besides the DSL."""
    school = _own_school(request.user)
    if school is None or not request.user.has_perm("incidents.designate_leads", school):
        raise PermissionDenied
    form = LeadForm(_posted(request), school=school)
    if request.method == "POST" and form.is_valid():
        services.lead_designate(
            school=school, person=form.cleaned_data["person"], by=request.user, request=request
        )
        messages.success(
            request, f"{form.cleaned_data['person'].full_name} may now report incidents."
        )
        return redirect("incidents:leads")
    leads = (
        DesignatedLead.objects.visible_to(request.user)
        .active()
        .filter(school=school)
        .select_related("person", "designated_by")
    )
    reporters = school.organisation.people.filter(
        role__in=["headteacher", "dsl"], is_active=True
    ).order_by("role", "full_name")
    context = {"form": form, "school": school, "leads": leads, "reporters": reporters}
    return render(request, "incidents/lead_list.html", context)


@never_cache
@require_POST
@login_required
def lead_withdraw(request, pk):
    lead = get_object_or_404(DesignatedLead.objects.visible_to(request.user).active(), pk=pk)
    if not request.user.has_perm("incidents.designate_leads", lead.school):
        raise PermissionDenied
    services.lead_withdraw(lead=lead, by=request.user, request=request)
    messages.success(request, f"{lead.person.full_name} no longer reports incidents.")
    return redirect("incidents:leads")
