"""Workflows of a request for help: ask, answer, turn into an engagement or a booking, close."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from bookings.models import Session
from incidents.models import Incident, IncidentKind
from schools import services as school_services
from schools.models import Engagement, NamedContact, School
from schools.staff import people_to_tell, receiving_team

from . import notifications
from .models import HelpRequest


@transaction.atomic
def help_request_ask(
    *,
    school: School,
    by: User,
    kind: str,
    need: str,
    needed_by: datetime.date | None = None,
    request=None,
    today: datetime.date | None = None,
) -> HelpRequest:
    """Record a school's request and tell its named officer, the cover and the team."""
    today = today or timezone.localdate()
    if needed_by is not None and needed_by < today:
        raise ValidationError({"needed_by": "The date it is needed must be today or in the future"})
    contact = (
        NamedContact.objects.current(on=today)
        .filter(school=school)
        .select_related("officer", "deputy")
        .order_by("pk")
        .first()
    )
    help_request = HelpRequest(
        school=school,
        asked_by=by,
        kind=kind,
        need=(need or "").strip(),
        needed_by=needed_by,
        officer=contact.officer if contact else None,
        deputy=contact.deputy if contact else None,
        team=receiving_team(school),
    )
    help_request.full_clean()
    help_request.save()
    audit.record(
        "help_requests.request.asked",
        actor=by,
        target=help_request,
        changes={"school": school.pk, "kind": kind},
        request=request,
    )
    notifications.request_arrived(help_request, people_to_tell(school, on=today))
    return help_request


def _locked(help_request: HelpRequest, by: User) -> HelpRequest:
    locked = (
        HelpRequest.objects.select_for_update().select_related("school").get(pk=help_request.pk)
    )
    if not by.has_perm("help_requests.answer", locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def help_request_answer(
    *, help_request: HelpRequest, by: User, answer: str, close: bool = False, request=None
) -> HelpRequest:
    """Give the school the officer's answer (it sees it), email the asker, and close if asked."""
    help_request = _locked(help_request, by)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write your answer to the school"})
    now = timezone.now()
    help_request.answer = answer
    help_request.answered_by = by
    help_request.answered_at = now
    help_request.status = HelpRequest.Status.ANSWERED
    if close:
        help_request.status = HelpRequest.Status.CLOSED
        help_request.closed_by = by
        help_request.closed_at = now
    help_request.full_clean()
    help_request.save()
    audit.record(
        "help_requests.request.answered",
        actor=by,
        target=help_request,
        changes={"status": help_request.status},
        request=request,
    )
    notifications.request_answered(help_request)
    return help_request


@transaction.atomic
def help_request_log_engagement(
    *, help_request: HelpRequest, by: User, request=None, **fields
) -> Engagement:
    """Log the engagement that met the request in the school's engagement log, linked to it."""
    help_request = _locked(help_request, by)
    if help_request.engagement_id:
        raise ValidationError("This request is already linked to an engagement")
    fields["school"] = help_request.school
    engagement = school_services.engagement_log(officer=by, request=request, **fields)
    help_request.engagement = engagement
    help_request.save(update_fields=["engagement", "updated"])
    audit.record(
        "help_requests.request.engagement_logged",
        actor=by,
        target=help_request,
        changes={"engagement": engagement.pk},
        request=request,
    )
    return engagement


@transaction.atomic
def help_request_record_incident(
    *,
    help_request: HelpRequest,
    by: User,
    kind: IncidentKind,
    occurred_on: datetime.date,
    place: str,
    summary: str,
    answer: str,
    place_detail: str = "",
    request=None,
    now=None,
) -> Incident:
    """Record what the school asked about as an incident, linked to the request: reported by
    the person who asked, taken on (acknowledged) by the officer who records it, so it is in
    the incidents list at once and its outcome is recorded there. The request is answered
    with the officer's answer, and the school sees it and the incident (if it may read it)."""
    help_request = _locked(help_request, by)
    if help_request.incident_id:
        raise ValidationError("This request has already been recorded as an incident")
    if not by.has_perm("incidents.handle"):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write your answer to the school"})
    if kind is not None and not kind.is_active:
        raise ValidationError({"kind": "Choose one of the kinds of incident listed"})
    now = now or timezone.now()
    incident = Incident(
        school=help_request.school,
        reported_by=help_request.asked_by,
        kind=kind,
        occurred_on=occurred_on,
        place=place,
        place_detail=(place_detail or "").strip(),
        summary=(summary or "").strip(),
        status=Incident.Status.ACKNOWLEDGED,
        sent_at=help_request.created,
        acknowledged_by=by,
        acknowledged_at=now,
    )
    missing = [
        (step, message)
        for step, message in incident.missing_answers()
        if step in {"kind", "when", "where", "what"}
    ]
    if missing:
        raise ValidationError({_STEP_FIELD[step]: message for step, message in missing})
    incident.full_clean()
    incident.save()
    help_request.incident = incident
    help_request.answer = answer
    help_request.answered_by = by
    help_request.answered_at = now
    help_request.status = HelpRequest.Status.ANSWERED
    help_request.full_clean()
    help_request.save()
    audit.record(
        "incidents.incident.recorded_from_request",
        actor=by,
        target=incident,
        # Ids and choices only: the account of what happened may name a pupil.
        changes={"help_request": help_request.pk, "kind": kind.key, "place": place},
        request=request,
    )
    audit.record(
        "help_requests.request.incident_recorded",
        actor=by,
        target=help_request,
        changes={"incident": incident.pk, "status": help_request.status},
        request=request,
    )
    notifications.request_answered(help_request)
    return incident


# The field of each report step the officer answers when recording an incident.
_STEP_FIELD = {"kind": "kind", "when": "occurred_on", "where": "place", "what": "summary"}


@transaction.atomic
def help_request_suggest_session(
    *, help_request: HelpRequest, by: User, session: Session, request=None
) -> HelpRequest:
    """Record the session the officer suggests the school books; the school sees a link to it."""
    help_request = _locked(help_request, by)
    if session.force_id != help_request.school.force_id:
        raise ValidationError({"session": "Choose a session of the force's catalogue"})
    help_request.suggested_session = session
    help_request.save(update_fields=["suggested_session", "updated"])
    audit.record(
        "help_requests.request.session_suggested",
        actor=by,
        target=help_request,
        changes={"session": session.pk},
        request=request,
    )
    return help_request


@transaction.atomic
def help_request_close(*, help_request: HelpRequest, by: User, request=None) -> HelpRequest:
    """Close the request: nothing more will be done on it."""
    help_request = _locked(help_request, by)
    help_request.status = HelpRequest.Status.CLOSED
    help_request.closed_by = by
    help_request.closed_at = timezone.now()
    help_request.save(update_fields=["status", "closed_by", "closed_at", "updated"])
    audit.record("help_requests.request.closed", actor=by, target=help_request, request=request)
    return help_request
