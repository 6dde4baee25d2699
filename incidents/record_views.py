"""Pages of the officer's operational records: a search of a pupil (with the PDF copy of the
stop-and-search record), a restorative informal resolution and its consents, an arrest.

Every page names a pupil, so none is cached and each view is logged in the access log. A
record outside `Model.objects.visible_to(user)` is a 404 (see records.py for who reads them).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.forms import add_validation_errors

from . import defaults, record_services
from .models import Incident, ProtocolStep
from .record_forms import (
    ArrestForm,
    ConsentForm,
    CopiesForm,
    ResolutionForm,
    ResolutionOutcomeForm,
    SearchForm,
)
from .records import NEVER_COMPENSATION, Arrest, PupilSearch, RestorativeResolution


def _posted(request):
    return request.POST if request.method == "POST" else None


def _incident_for_records(request, public_id):
    """The sent incident a record is made for, if this officer owns its school's incidents."""
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).sent().select_related("school", "kind"),
        public_id=public_id,
    )
    if not request.user.has_perm("incidents.make_records", incident):
        raise PermissionDenied
    return incident


def _record_or_404(request, model, public_id, *related):
    record = get_object_or_404(
        model.objects.visible_to(request.user).select_related(
            "incident__school", "incident__kind", "recorded_by", *related
        ),
        public_id=public_id,
    )
    if not request.user.has_perm("incidents.read_records"):
        raise PermissionDenied
    return record


def protocol_step(user, incident, word: str, fallback: str) -> str:
    """The force's protocol step about `word` ("arrest", "restorative"): the incident kind's
    own step first, else any of the force's steps, else the protocol's default wording."""
    steps = ProtocolStep.objects.visible_to(user).filter(text__icontains=word)
    own = steps.filter(kind_id=incident.kind_id).first() if incident.kind_id else None
    step = own or steps.order_by("kind__order", "order").first()
    return step.text if step else fallback


def _form_page(request, template, form, incident, **extra):
    audit.record_access(actor=request.user, target=incident, request=request)
    return render(request, template, {"form": form, "incident": incident, **extra})


def records_context(request, incident) -> dict:
    """The incident page's operational records, for those who may read them: three lists,
    the consents in one more query, each record's view logged in one insert."""
    user = request.user
    if not user.has_perm("incidents.read_records"):
        return {}

    # Each record's force (for its access-log entry) is read through its incident's school.
    def listed(model):
        return (
            model.objects.visible_to(user)
            .filter(incident=incident)
            .select_related("incident__school")
        )

    searches = list(listed(PupilSearch))
    resolutions = list(listed(RestorativeResolution).prefetch_related("consents"))
    arrests = list(listed(Arrest))
    audit.record_accesses(
        actor=user, targets=[*searches, *resolutions, *arrests], action="viewed", request=request
    )
    return {
        "searches": searches,
        "resolutions": resolutions,
        "arrests": arrests,
        "can_make_records": user.has_perm("incidents.make_records", incident),
    }


# ---------------------------------------------------------------------------- searches


@never_cache
@login_required
def search_create(request, public_id):
    incident = _incident_for_records(request, public_id)
    initial = {"officer": request.user.pk, "searched_on": timezone.localdate()}
    form = SearchForm(_posted(request), initial=initial, force=incident.school.force_id)
    if request.method == "POST" and form.is_valid():
        try:
            search = record_services.search_record(
                incident=incident, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Search recorded. Download the copy for the pupil.")
            return redirect(search)
    return _form_page(request, "incidents/search_form.html", form, incident)


@never_cache
@login_required
def search_detail(request, public_id):
    search = _record_or_404(
        request, PupilSearch, public_id, "officer", "given_to_pupil_by", "filed_by"
    )
    audit.record_access(actor=request.user, target=search, request=request)
    context = {
        "search": search,
        "incident": search.incident,
        "police": request.user.has_perm("incidents.read_police_notes", search),
        "can_update": request.user.has_perm("incidents.update_record", search),
    }
    return render(request, "incidents/search_detail.html", context)


def render_search_pdf(search: PupilSearch) -> bytes:
    """The copy of the stop-and-search record for the pupil and the school's file."""
    from weasyprint import HTML  # imported late: it is heavy and only the copy needs it

    html = render_to_string(
        "incidents/search_copy_pdf.html",
        {"search": search, "incident": search.incident, "generated_at": timezone.now()},
    )
    return HTML(string=html).write_pdf()


@never_cache
@login_required
def search_copy(request, public_id):
    """Download the copy for the pupil (the same copy is filed to the school)."""
    search = _record_or_404(request, PupilSearch, public_id, "officer")
    pdf = render_search_pdf(search)
    audit.record_access(actor=request.user, target=search, action="downloaded", request=request)
    audit.record(
        "incidents.search.copy_downloaded", actor=request.user, target=search, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="search-record-{search.reference}.pdf"'
    return response


@never_cache
@login_required
def search_copies(request, public_id):
    """Record that the copy was given to the pupil and filed to the school."""
    search = _record_or_404(request, PupilSearch, public_id)
    if not request.user.has_perm("incidents.update_record", search):
        raise PermissionDenied
    form = CopiesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.search_copies_given(
                search=search, by=request.user, request=request, **form.moments()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Copies recorded: given to the pupil and filed.")
            return redirect(search)
    audit.record_access(actor=request.user, target=search, request=request)
    return render(
        request,
        "incidents/copies_form.html",
        {"form": form, "search": search, "incident": search.incident},
    )


# ---------------------------------------------------------------------------- resolutions


@never_cache
@login_required
def resolution_create(request, public_id):
    incident = _incident_for_records(request, public_id)
    form = ResolutionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            resolution = record_services.resolution_propose(
                incident=incident, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Resolution written down. Now record each agreement.")
            return redirect(resolution)
    step = protocol_step(request.user, incident, "restorative", defaults.RESTORATIVE)
    return _form_page(
        request,
        "incidents/resolution_form.html",
        form,
        incident,
        protocol_text=step,
        never_compensation=NEVER_COMPENSATION,
    )


def _resolution_context(request, resolution, **extra):
    consents = list(resolution.consents.all())
    return {
        "resolution": resolution,
        "incident": resolution.incident,
        "consents": consents,
        "missing": resolution.missing_consents(consents),
        "never_compensation": NEVER_COMPENSATION,
        "police": request.user.has_perm("incidents.read_police_notes", resolution),
        "can_consent": request.user.has_perm("incidents.record_consent", resolution),
        **extra,
    }


@never_cache
@login_required
def resolution_detail(request, public_id):
    resolution = _record_or_404(request, RestorativeResolution, public_id, "outcome_by")
    audit.record_access(actor=request.user, target=resolution, request=request)
    return render(
        request,
        "incidents/resolution_detail.html",
        _resolution_context(request, resolution),
    )


@never_cache
@login_required
def consent_add(request, public_id):
    """A party agrees in person on the officer's device: name, typed name and "I agree"."""
    resolution = _record_or_404(request, RestorativeResolution, public_id)
    if not request.user.has_perm("incidents.record_consent", resolution):
        raise PermissionDenied
    form = ConsentForm(_posted(request), initial={"fingerprint": resolution.content_sha256})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_services.consent_record(
                resolution=resolution, by=request.user, request=request, **data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Agreement recorded. Take your device back.")
            return redirect(resolution)
    audit.record_access(actor=request.user, target=resolution, request=request)
    context = _resolution_context(request, resolution, form=form)
    return render(request, "incidents/consent_form.html", context)


@never_cache
@login_required
def resolution_outcome(request, public_id):
    resolution = _record_or_404(request, RestorativeResolution, public_id)
    if not request.user.has_perm("incidents.record_consent", resolution):
        raise PermissionDenied
    form = ResolutionOutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.resolution_outcome(
                resolution=resolution, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Outcome of the resolution recorded.")
            return redirect(resolution)
    audit.record_access(actor=request.user, target=resolution, request=request)
    context = _resolution_context(request, resolution, form=form)
    return render(request, "incidents/resolution_outcome.html", context)


# ---------------------------------------------------------------------------- arrests


@never_cache
@login_required
def arrest_create(request, public_id):
    incident = _incident_for_records(request, public_id)
    form = ArrestForm(_posted(request), initial={"arrested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            arrest = record_services.arrest_record(
                incident=incident, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Arrest recorded. The school can see it.")
            return redirect(arrest)
    step = protocol_step(request.user, incident, "arrest", defaults.ARRESTS)
    return _form_page(request, "incidents/arrest_form.html", form, incident, protocol_text=step)


@never_cache
@login_required
def arrest_detail(request, public_id):
    arrest = _record_or_404(request, Arrest, public_id)
    audit.record_access(actor=request.user, target=arrest, request=request)
    context = {
        "arrest": arrest,
        "incident": arrest.incident,
        "police": request.user.has_perm("incidents.read_police_notes", arrest),
    }
    return render(request, "incidents/arrest_detail.html", context)
