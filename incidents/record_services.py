"""Workflows of the officer's operational records: a search, a restorative resolution and its
consents, an arrest. Keyword-only, atomic, validated, audited.

Audit entries name the record by its reference and carry choices, ids and which fields were
given, never a pupil's name or the free text about them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User

from .models import Incident
from .records import (
    Arrest,
    ConsentSignature,
    PupilSearch,
    RestorativeResolution,
    is_compensation,
    owns_school_incidents,
)


def _incident_for_records(incident: Incident, by: User) -> Incident:
    incident = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if incident.is_draft:
        raise ValidationError("This report has not been sent yet.")
    if not owns_school_incidents(by, incident.school):
        raise ValidationError(
            "Only the school's named officer, the deputy who covers or the team's sergeant "
            "makes these records."
        )
    return incident


def _client(request) -> dict:
    """Where a consent was given from: the officer's device, as a signature records it."""
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    return {
        "ip_address": audit.client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
    }


def _given(record, names) -> list[str]:
    return [name for name in names if getattr(record, name)]


# ---------------------------------------------------------------------------- searches

SEARCH_FIELDS = (
    "pupil_name",
    "year_group",
    "searched_on",
    "searched_at",
    "place",
    "grounds",
    "object_of_search",
    "found",
    "officer",
    "staff_present",
    "parents_told",
    "parents_told_by",
    "parents_told_how",
    "parents_told_on",
    "parents_told_at",
    "outcome",
    "outcome_detail",
    "police_note",
)


@transaction.atomic
def search_record(*, incident: Incident, by: User, request=None, **fields) -> PupilSearch:
    """Record a search of a pupil on the premises: the stop-and-search record."""
    incident = _incident_for_records(incident, by)
    unknown = set(fields) - set(SEARCH_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    search = PupilSearch(incident=incident, recorded_by=by, **fields)
    if search.parents_told != PupilSearch.ParentsTold.YES:
        # Answers under "Yes" that were typed before choosing "Not yet" are not kept.
        search.parents_told_by = search.parents_told_how = ""
        search.parents_told_on = search.parents_told_at = None
    search.full_clean()
    search.save()
    audit.record(
        "incidents.search.recorded",
        actor=by,
        target=search,
        changes={
            "incident": incident.reference,
            "officer": search.officer_id,
            "outcome": search.outcome,
            "parents_told": search.parents_told,
            "police_note": bool(search.police_note),
        },
        request=request,
    )
    return search


@transaction.atomic
def search_copies_given(
    *,
    search: PupilSearch,
    by: User,
    given_to_pupil_at,
    filed_with: str,
    filed_at,
    request=None,
) -> PupilSearch:
    """Record that the copy of the record was given to the pupil and filed to the school."""
    search = PupilSearch.objects.select_for_update().get(pk=search.pk)
    _incident_for_records(search.incident, by)
    errors = {}
    now = timezone.now()
    if given_to_pupil_at is None:
        errors["given_to_pupil_on"] = "Enter the date the copy was given to the pupil"
    elif given_to_pupil_at > now:
        errors["given_to_pupil_on"] = "The date the copy was given must be today or in the past"
    if not (filed_with or "").strip():
        errors["filed_with"] = "Enter who at the school took the copy for the pupil's file"
    if filed_at is None:
        errors["filed_on"] = "Enter the date the copy was filed to the school"
    elif filed_at > now:
        errors["filed_on"] = "The date the copy was filed must be today or in the past"
    if errors:
        raise ValidationError(errors)
    search.given_to_pupil_at, search.given_to_pupil_by = given_to_pupil_at, by
    search.filed_with, search.filed_at, search.filed_by = filed_with.strip(), filed_at, by
    search.full_clean()
    search.save()
    audit.record(
        "incidents.search.copies_given",
        actor=by,
        target=search,
        changes={
            "given_to_pupil_at": given_to_pupil_at.isoformat(),
            "filed_at": filed_at.isoformat(),
        },
        request=request,
    )
    return search


# ---------------------------------------------------------------------------- resolutions


@transaction.atomic
def resolution_propose(
    *, incident: Incident, by: User, proposed: str, police_note: str = "", request=None
) -> RestorativeResolution:
    """Write down the proposed resolution; its text is frozen with its SHA-256 for the
    parties to agree to. It is never compensation (the model refuses it)."""
    incident = _incident_for_records(incident, by)
    resolution = RestorativeResolution(
        incident=incident,
        recorded_by=by,
        proposed=(proposed or "").strip(),
        police_note=(police_note or "").strip(),
    )
    resolution.content_sha256 = resolution.fingerprint()
    resolution.full_clean()
    resolution.save()
    audit.record(
        "incidents.resolution.proposed",
        actor=by,
        target=resolution,
        changes={"incident": incident.reference, "sha256": resolution.content_sha256},
        request=request,
    )
    return resolution


def _resolution_for_update(resolution, by) -> RestorativeResolution:
    resolution = (
        RestorativeResolution.objects.select_for_update()
        .select_related("incident__school")
        .get(pk=resolution.pk)
    )
    _incident_for_records(resolution.incident, by)
    return resolution


@transaction.atomic
def consent_record(
    *,
    resolution: RestorativeResolution,
    by: User,
    capacity: str,
    signer_name: str,
    typed_name: str,
    agreed: bool,
    fingerprint: str,
    request=None,
    now=None,
) -> ConsentSignature:
    """Record one party's agreement, given in person on the officer's device: the signer
    types their name and ticks "I agree" under the exact text, whose SHA-256 is kept."""
    resolution = _resolution_for_update(resolution, by)
    if resolution.outcome:
        raise ValidationError("The outcome of this resolution is recorded: no more consents.")
    content = resolution.fingerprint()
    if content != resolution.content_sha256:
        raise ValidationError("The resolution's text does not match its fingerprint.")
    if fingerprint != content:
        raise ValidationError(
            "The resolution changed while it was being read. Read it again and agree."
        )
    consent = ConsentSignature(
        resolution=resolution,
        capacity=capacity,
        signer_name=(signer_name or "").strip(),
        typed_name=(typed_name or "").strip(),
        agreed=bool(agreed),
        witnessed_by=by,
        signed_at=now or timezone.now(),
        content_sha256=content,
        **_client(request),
    )
    consent.full_clean()
    consent.save()
    audit.record(
        "incidents.resolution.consent_recorded",
        actor=by,
        target=resolution,
        changes={"capacity": capacity, "consent": consent.pk, "sha256": content},
        request=request,
    )
    return consent


@transaction.atomic
def resolution_outcome(
    *,
    resolution: RestorativeResolution,
    by: User,
    outcome: str,
    outcome_detail: str = "",
    request=None,
    now=None,
) -> RestorativeResolution:
    """Record how the resolution ended. It is completed only once every party agreed."""
    resolution = _resolution_for_update(resolution, by)
    if resolution.outcome:
        raise ValidationError("The outcome of this resolution is already recorded.")
    if outcome not in RestorativeResolution.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    missing = resolution.missing_consents()
    if outcome == RestorativeResolution.Outcome.COMPLETED and missing:
        raise ValidationError(
            {
                "outcome": "The resolution is complete only when everyone has agreed. Still "
                "to agree: " + "; ".join(label.lower() for label in missing)
            }
        )
    if is_compensation(outcome_detail):
        raise ValidationError(
            {"outcome_detail": "A restorative resolution is never compensation. Remove any "
             "payment, money or compensation from what happened"}
        )  # fmt: skip
    resolution.outcome = outcome
    resolution.outcome_detail = (outcome_detail or "").strip()
    resolution.outcome_by, resolution.outcome_at = by, now or timezone.now()
    resolution.full_clean()
    resolution.save()
    audit.record(
        "incidents.resolution.outcome_recorded",
        actor=by,
        target=resolution,
        changes={"outcome": outcome, "missing_consents": len(missing)},
        request=request,
    )
    return resolution


# ---------------------------------------------------------------------------- arrests

ARREST_FIELDS = (
    "person_name",
    "year_group",
    "arrested_on",
    "arrested_at",
    "offence",
    "necessity",
    "why_not_wait",
    "protocol_confirmed",
    "head_told",
    "head_told_at",
    "police_note",
)


@transaction.atomic
def arrest_record(*, incident: Incident, by: User, request=None, **fields) -> Arrest:
    """Record an arrest on the premises: the protocol keeps them for serious matters, so the
    officer says why it could not wait and who at the school was told."""
    incident = _incident_for_records(incident, by)
    unknown = set(fields) - set(ARREST_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    arrest = Arrest(incident=incident, recorded_by=by, **fields)
    arrest.full_clean()
    arrest.save()
    audit.record(
        "incidents.arrest.recorded",
        actor=by,
        target=arrest,
        changes={
            "incident": incident.reference,
            "protocol_confirmed": arrest.protocol_confirmed,
            "given": _given(arrest, ("year_group", "police_note")),
        },
        request=request,
    )
    return arrest
