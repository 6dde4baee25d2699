"""Pages of requests for help: ask, the list, one request, and the officer's answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from incidents.models import Incident
from schools.engagement_forms import EngagementForm
from schools.models import Engagement, School

from . import services
from .filters import HelpRequestFilter
from .forms import AnswerForm, HelpRequestForm, IncidentFromRequestForm, SuggestSessionForm
from .models import HelpRequest

PAGE_SIZE = 25

# What each kind of request most likely becomes in the engagement log.
ENGAGEMENT_KIND = {
    HelpRequest.Kind.ADVICE: Engagement.Kind.SENIOR_MEETING,
    HelpRequest.Kind.TALK: Engagement.Kind.INPUT,
    HelpRequest.Kind.GATES: Engagement.Kind.PATROL,
    HelpRequest.Kind.PATROL: Engagement.Kind.PATROL,
    HelpRequest.Kind.OTHER: Engagement.Kind.VISIT,
}


def _own_school(user):
    school = School.objects.visible_to(user).filter(organisation_id=user.organisation_id).first()
    if school is None:
        raise Http404
    return school


def _request_or_404(request, pk, perm="help_requests.view"):
    help_request = get_object_or_404(
        HelpRequest.objects.visible_to(request.user).select_related(
            "school",
            "asked_by",
            "officer",
            "deputy",
            "answered_by",
            "engagement",
            "incident",
            "suggested_session",
            "closed_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, help_request):
        raise PermissionDenied
    return help_request


def _incident_readable(user, help_request):
    """Whether the reader may open the incident recorded from the request (its school's
    headteacher and leads, the police; not every member of staff who may ask)."""
    return bool(help_request.incident_id) and (
        Incident.objects.visible_to(user).filter(pk=help_request.incident_id).exists()
    )


def _answer_url(help_request):
    return reverse("help_requests:answer", args=[help_request.pk])


@permission_required("help_requests.ask")
def help_request_create(request):
    school = _own_school(request.user)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_ask(
                school=school, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Your request {help_request.reference} has been sent.")
            return redirect(help_request)
    return render(request, "help_requests/help_request_form.html", {"form": form, "school": school})


@permission_required("help_requests.list")
def help_request_list(request):
    filters = HelpRequestFilter(request.GET, user=request.user)
    requests = filters.filter(
        HelpRequest.objects.visible_to(request.user)
        .select_related("school", "officer")
        .order_by("-created", "-pk")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "help_requests/help_request_list.html",
        {"page": page, "filters": filters, "query": filters.query},
    )


@permission_required("help_requests.view")
def help_request_detail(request, pk):
    help_request = _request_or_404(request, pk)
    audit.record_access(actor=request.user, target=help_request, request=request)
    can_answer = request.user.has_perm("help_requests.answer", help_request)
    context = {
        "help_request": help_request,
        "can_answer": can_answer,
        "incident_readable": _incident_readable(request.user, help_request),
    }
    if can_answer:
        context["answer_form"] = AnswerForm(
            initial={"answer": help_request.answer}, action=_answer_url(help_request)
        )
    return render(request, "help_requests/help_request_detail.html", context)


@require_POST
@permission_required("help_requests.answer")
def help_request_answer(request, pk):
    help_request = _request_or_404(request, pk, "help_requests.answer")
    form = AnswerForm(request.POST, action=_answer_url(help_request))
    if form.is_valid():
        services.help_request_answer(
            help_request=help_request, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Your answer has been sent to the school.")
        return redirect(help_request)
    return render(
        request,
        "help_requests/help_request_detail.html",
        {
            "help_request": help_request,
            "can_answer": True,
            "answer_form": form,
            "incident_readable": _incident_readable(request.user, help_request),
        },
    )


@permission_required("help_requests.answer")
def help_request_engagement(request, pk):
    help_request = _request_or_404(request, pk, "help_requests.answer")
    if not request.user.has_perm("schools.log_engagement", help_request.school):
        raise PermissionDenied
    if help_request.engagement_id:
        messages.info(request, "This request is already linked to an engagement.")
        return redirect(help_request)
    initial = {"kind": ENGAGEMENT_KIND[help_request.kind], "summary": help_request.need[:1000]}
    form = EngagementForm(
        request.POST or None, officer=request.user, school=help_request.school, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.help_request_log_engagement(
                help_request=help_request,
                by=request.user,
                request=request,
                **form.engagement_fields,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Engagement saved and linked to the request.")
            return redirect(help_request)
    return render(
        request,
        "help_requests/help_request_engagement.html",
        {"form": form, "help_request": help_request, "school": help_request.school},
    )


@permission_required("help_requests.answer")
def help_request_incident(request, pk):
    """Record what the school asked about as an incident, prefilled from the request."""
    help_request = _request_or_404(request, pk, "help_requests.answer")
    if help_request.incident_id:
        messages.info(request, "This request is already recorded as an incident.")
        return redirect(help_request)
    if not request.user.has_perm("help_requests.record_incident", help_request):
        raise PermissionDenied
    initial = {
        "occurred_on": timezone.localtime(help_request.created).date(),
        "summary": help_request.need,
        "answer": "We have recorded this as an incident and will deal with it under the "
        "protocol. We will tell you the outcome.",
    }
    school = help_request.school
    form = IncidentFromRequestForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.help_request_record_incident(
                help_request=help_request, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Recorded as incident {incident.reference}.")
            return redirect(incident)
    return render(
        request,
        "help_requests/help_request_incident.html",
        {"form": form, "help_request": help_request, "school": school},
    )


@permission_required("help_requests.answer")
def help_request_session(request, pk):
    help_request = _request_or_404(request, pk, "help_requests.answer")
    form = SuggestSessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.help_request_suggest_session(
            help_request=help_request,
            by=request.user,
            session=form.cleaned_data["session"],
            request=request,
        )
        messages.success(request, "The school will see a link to book the session.")
        return redirect(help_request)
    return render(
        request,
        "help_requests/help_request_session.html",
        {"form": form, "help_request": help_request},
    )


@require_POST
@permission_required("help_requests.answer")
def help_request_close(request, pk):
    help_request = _request_or_404(request, pk, "help_requests.answer")
    services.help_request_close(help_request=help_request, by=request.user, request=request)
    messages.success(request, f"Request {help_request.reference} closed.")
    return redirect(help_request)
