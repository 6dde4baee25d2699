"""Workflows of incidents: a school's report, step by step, then the officer's handling.

Audit entries name the incident by its reference and carry field names, choices and ids in
`changes`, never a pupil's name or the free text about them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit, outbox
from accounts.models import OFFICER_ROLES, User
from schools.models import School
from schools.staff import people_to_tell

from .models import DesignatedLead, Exhibit, Incident, IncidentKind, IncidentPerson, ProtocolStep

# The fields each step of the report may change.
STEP_FIELDS = {
    "kind": ("kind",),
    "when": ("occurred_on", "occurred_at"),
    "where": ("place", "place_detail"),
    "what": ("summary",),
    "third_party": ("third_party_reported", "third_party_detail"),
    "evidence": ("evidence_kept", "evidence_detail"),
    "parents": ("parents_told", "parents_told_detail"),
}


def _draft_for_update(incident: Incident) -> Incident:
    incident = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if not incident.is_draft:
        raise ValidationError("This report has been sent and can no longer be changed.")
    return incident


# ---------------------------------------------------------------------------- reporting


@transaction.atomic
def incident_start(*, by: User, school: School, kind: IncidentKind, request=None) -> Incident:
    """Start a draft report with its kind: saved at once, so nothing is lost on a phone."""
    incident = Incident(school=school, reported_by=by, kind=kind)
    incident.full_clean()
    incident.save()
    audit.record(
        "incidents.incident.started",
        actor=by,
        target=incident,
        changes={"school": school.pk, "kind": kind.key},
        request=request,
    )
    return incident


@transaction.atomic
def incident_save_step(
    *, incident: Incident, by: User, step: str, values: dict, request=None
) -> Incident:
    """Save one step's answers to the draft."""
    incident = _draft_for_update(incident)
    before = audit.snapshot(incident)
    for name in STEP_FIELDS[step]:
        setattr(incident, name, values.get(name))
        if getattr(incident, name) is None and name.endswith(("_detail", "summary")):
            setattr(incident, name, "")
    incident.full_clean()
    incident.save()
    changed = sorted(audit.diff(before, audit.snapshot(incident)))
    audit.record(
        "incidents.incident.draft_saved",
        actor=by,
        target=incident,
        # Which answers changed, never what they say: the free text may name a pupil.
        changes={"step": step, "fields": changed},
        request=request,
    )
    return incident


@transaction.atomic
def person_add(*, incident: Incident, by: User, request=None, **fields) -> IncidentPerson:
    """Add someone involved to the draft."""
    incident = _draft_for_update(incident)
    person = IncidentPerson(incident=incident, **fields)
    if person.name_not_known:
        person.first_name = person.last_name = ""
    person.full_clean()
    person.save()
    audit.record(
        "incidents.person.added",
        actor=by,
        target=incident,
        changes={"person": person.pk, "part": person.part, "kind": person.kind},
        request=request,
    )
    return person


@transaction.atomic
def person_remove(*, person: IncidentPerson, by: User, request=None) -> None:
    incident = _draft_for_update(person.incident)
    pk = person.pk
    person.delete()
    audit.record(
        "incidents.person.removed",
        actor=by,
        target=incident,
        changes={"person": pk},
        request=request,
    )


@transaction.atomic
def exhibit_add(
    *, incident: Incident, by: User, what: str, where_kept: str, held_by: str, request=None
) -> Exhibit:
    """Record an exhibit the school holds: what, where it is kept, who holds it."""
    incident = _draft_for_update(incident)
    exhibit = Exhibit(incident=incident, what=what, where_kept=where_kept, held_by=held_by)
    exhibit.full_clean()
    exhibit.save()
    audit.record(
        "incidents.exhibit.added",
        actor=by,
        target=incident,
        changes={"exhibit": exhibit.pk},
        request=request,
    )
    return exhibit


@transaction.atomic
def exhibit_remove(*, exhibit: Exhibit, by: User, request=None) -> None:
    incident = _draft_for_update(exhibit.incident)
    pk = exhibit.pk
    exhibit.delete()
    audit.record(
        "incidents.exhibit.removed",
        actor=by,
        target=incident,
        changes={"exhibit": pk},
        request=request,
    )


@transaction.atomic
def incident_send(*, incident: Incident, by: User, request=None, now=None) -> Incident:
    """Send the report: it reaches the school's named officer, the deputy who covers and the
    team's sergeant at once, by email through the outbox and in their list of incidents."""
    incident = _draft_for_update(incident)
    missing = incident.missing_answers()
    if missing:
        raise ValidationError([message for _step, message in missing])
    incident.full_clean()
    incident.status = Incident.Status.NEW
    incident.sent_at = now or timezone.now()
    incident.save(update_fields=["status", "sent_at", "updated"])
    recipients = people_to_tell(incident.school)
    audit.record(
        "incidents.incident.sent",
        actor=by,
        target=incident,
        changes={
            "kind": incident.kind.key,
            "urgent": incident.kind.is_urgent,
            "told": [person.pk for person in recipients],
        },
        request=request,
    )
    outbox.queue_email(
        to=[person.email for person in recipients],
        template="incidents/email/incident_reported",
        # The school's name, never a pupil's: the email asks the officer to open the link.
        subject=f"Incident reported at {incident.school.name}",
        context={"incident": incident, "school": incident.school},
        key=f"incidents.reported.{incident.pk}",
        about=incident,
        force=incident.school.force_id,
    )
    return incident


# ---------------------------------------------------------------------------- handling


def _for_handling(incident: Incident, by: User) -> Incident:
    incident = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if incident.is_draft:
        raise ValidationError("This report has not been sent yet.")
    if by.role not in OFFICER_ROLES or by.force_id != incident.school.force_id:
        raise ValidationError("Only an officer of the school's force handles its incidents.")
    return incident


@transaction.atomic
def incident_acknowledge(*, incident: Incident, by: User, request=None, now=None) -> Incident:
    """The officer (or sergeant) takes the report on: the school sees it is acknowledged."""
    incident = _for_handling(incident, by)
    if incident.status != Incident.Status.NEW:
        return incident
    incident.status = Incident.Status.ACKNOWLEDGED
    incident.acknowledged_by = by
    incident.acknowledged_at = now or timezone.now()
    incident.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated"])
    audit.record(
        "incidents.incident.acknowledged",
        actor=by,
        target=incident,
        changes={"status": ["new", "acknowledged"]},
        request=request,
    )
    return incident


@transaction.atomic
def incident_record_outcome(
    *,
    incident: Incident,
    by: User,
    outcome: str,
    crime_reference: str = "",
    school_note: str = "",
    police_note: str = "",
    request=None,
    now=None,
) -> Incident:
    """Record how the police dealt with the incident; acknowledging it too if nobody had.
    The school reads the outcome and the note for the school, never the police-only note."""
    incident = _for_handling(incident, by)
    previous = incident.status
    now = now or timezone.now()
    if incident.acknowledged_at is None:
        incident.acknowledged_by, incident.acknowledged_at = by, now
    incident.outcome = outcome
    incident.crime_reference = (
        crime_reference.strip() if outcome == Incident.Outcome.CRIME_RECORDED else ""
    )
    incident.school_note = school_note.strip()
    incident.police_note = police_note.strip()
    incident.status = Incident.Status.CLOSED
    incident.outcome_by, incident.outcome_at = by, now
    if outcome not in Incident.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    incident.full_clean()
    incident.save()
    audit.record(
        "incidents.incident.outcome_recorded",
        actor=by,
        target=incident,
        changes={
            "status": [previous, incident.status],
            "outcome": outcome,
            "crime_reference": incident.crime_reference,
            "school_note": bool(incident.school_note),
            "police_note": bool(incident.police_note),
        },
        request=request,
    )
    return incident


# ---------------------------------------------------------------------------- designated leads


@transaction.atomic
def lead_designate(*, school: School, person: User, by: User, request=None) -> DesignatedLead:
    """The headteacher names a member of staff to report incidents."""
    existing = DesignatedLead.objects.active().filter(school=school, person=person).first()
    if existing is not None:
        return existing
    lead = DesignatedLead(school=school, person=person, designated_by=by)
    lead.full_clean()
    lead.save()
    audit.record(
        "incidents.lead.designated",
        actor=by,
        target=lead,
        changes={"person": person.pk},
        request=request,
    )
    return lead


@transaction.atomic
def lead_withdraw(*, lead: DesignatedLead, by: User, request=None) -> DesignatedLead:
    if lead.revoked_at is None:
        lead.revoked_at, lead.revoked_by = timezone.now(), by
        lead.save(update_fields=["revoked_at", "revoked_by", "updated"])
        audit.record(
            "incidents.lead.withdrawn",
            actor=by,
            target=lead,
            changes={"person": lead.person_id},
            request=request,
        )
    return lead


# ---------------------------------------------------------------------------- the protocol


@transaction.atomic
def kind_save(*, kind: IncidentKind, steps: list[str], by: User, request=None) -> IncidentKind:
    """Save a kind of incident and its steps, in order (a new kind, or a change of wording)."""
    adding = kind._state.adding
    if adding and not kind.key:
        kind.key = _free_key(kind)
    kind.full_clean()
    kind.save()
    before = list(kind.steps.values_list("text", flat=True))
    steps = [text.strip() for text in steps if text.strip()]
    if steps != before:
        kind.steps.all().delete()
        ProtocolStep.objects.bulk_create(
            ProtocolStep(kind=kind, order=number, text=text)
            for number, text in enumerate(steps, start=1)
        )
    audit.record(
        "incidents.kind.created" if adding else "incidents.kind.changed",
        actor=by,
        target=kind,
        changes={
            "name": kind.name,
            "is_urgent": kind.is_urgent,
            "is_active": kind.is_active,
            "steps": len(steps),
            "steps_changed": steps != before,
        },
        request=request,
    )
    return kind


def _free_key(kind: IncidentKind) -> str:
    from django.utils.text import slugify

    base = slugify(kind.name)[:32] or "other"
    key, number = base, 1
    while IncidentKind.objects.filter(force_id=kind.force_id, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key
