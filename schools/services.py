"""Workflows of the school register: named contacts and the engagement log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User

from .models import Engagement, NamedContact, School, SchoolContact
from .tasks import queue_hand_over_emails

ENGAGEMENT_FIELDS = (
    "school",
    "occurred_on",
    "kind",
    "purpose",
    "duration_minutes",
    "with_whom",
    "summary",
    "follow_up",
)


@transaction.atomic
def engagement_log(*, officer: User, request=None, **fields) -> Engagement:
    """Record an engagement by the signed-in officer."""
    engagement = Engagement(
        officer=officer, **{k: fields[k] for k in ENGAGEMENT_FIELDS if k in fields}
    )
    if engagement.occurred_on and engagement.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date cannot be in the future"})
    engagement.full_clean()
    engagement.save()
    audit.record(
        "schools.engagement.logged",
        actor=officer,
        target=engagement,
        changes={
            "school": engagement.school_id,
            "kind": engagement.kind,
            "occurred_on": engagement.occurred_on.isoformat(),
        },
        request=request,
    )
    return engagement


@transaction.atomic
def engagement_correct(
    *, engagement: Engagement, by: User, request=None, now=None, **fields
) -> Engagement:
    """Change an engagement within its author's 24 hours; the audit keeps what it said before."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if not engagement.can_be_corrected_by(by, now=now):
        raise ValidationError("Only the officer who logged this can correct it, within 24 hours.")
    before = audit.snapshot(engagement)
    for name in ENGAGEMENT_FIELDS:
        if name in fields and name != "school":
            setattr(engagement, name, fields[name])
    if engagement.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date cannot be in the future"})
    engagement.full_clean()
    engagement.save()
    changes = audit.diff(before, audit.snapshot(engagement))
    if changes:
        audit.record(
            "schools.engagement.corrected",
            actor=by,
            target=engagement,
            changes=changes,
            request=request,
        )
    return engagement


@transaction.atomic
def named_contact_hand_over(
    *,
    school: School,
    officer: User,
    deputy: User | None,
    starts_on: datetime.date,
    by: User,
    request=None,
) -> NamedContact:
    """Make `officer` the school's named contact from `starts_on`, ending the previous one."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    if deputy is not None and deputy.pk == officer.pk:
        raise ValidationError({"deputy": "The deputy must be someone other than the named contact"})
    previous = NamedContact.objects.filter(school=school, ends_on__isnull=True).first()
    if previous is not None:
        if previous.officer_id == officer.pk and previous.deputy_id == (
            deputy.pk if deputy else None
        ):
            raise ValidationError({"officer": f"{officer.full_name} is already the named contact"})
        if starts_on <= previous.starts_on:
            raise ValidationError(
                {
                    "starts_on": f"The hand-over must be after {previous.starts_on:%-d %B %Y}, "
                    "when the current contact started"
                }
            )
        previous.ends_on = starts_on - datetime.timedelta(days=1)
        previous.save(update_fields=["ends_on", "updated"])
    contact = NamedContact(school=school, officer=officer, deputy=deputy, starts_on=starts_on)
    contact.full_clean()
    contact.save()
    audit.record(
        "schools.named_contact.handed_over" if previous else "schools.named_contact.named",
        actor=by,
        target=school,
        changes={
            "officer": [previous.officer_id if previous else None, officer.pk],
            "deputy": [previous.deputy_id if previous else None, deputy.pk if deputy else None],
            "starts_on": starts_on.isoformat(),
        },
        request=request,
    )
    queue_hand_over_emails(contact, previous)
    return contact


@transaction.atomic
def school_contacts_save(*, school: School, contacts: dict, by: User, request=None) -> None:
    """Replace the school's contacts with `contacts` ({kind: {name, email, telephone}})."""
    existing = {c.kind: c for c in SchoolContact.objects.select_for_update().filter(school=school)}
    changes = {}
    for kind, contact in existing.items():
        if kind not in contacts:
            changes[kind] = [contact.name, None]
            contact.delete()
    for kind, details in contacts.items():
        contact = existing.get(kind) or SchoolContact(school=school, kind=kind)
        before = (contact.name, contact.email, contact.telephone) if contact.pk else None
        for field, value in details.items():
            setattr(contact, field, value)
        if contact.email:
            contact.user = school.organisation.people.filter(email__iexact=contact.email).first()
        after = (contact.name, contact.email, contact.telephone)
        if before != after:
            contact.full_clean()
            contact.save()
            changes[kind] = [list(before) if before else None, list(after)]
    if changes:
        audit.record(
            "schools.contacts.changed", actor=by, target=school, changes=changes, request=request
        )


@transaction.atomic
def school_team_change(*, school: School, team, by: User, request=None) -> School:
    """Move a school to another team's caseload (the team caseload model)."""
    if team.force_id != school.force_id:
        raise ValidationError({"team": "Choose a team of the school's force"})
    previous = school.team_id
    if previous == team.pk:
        return school
    school.team = team
    school.save(update_fields=["team", "updated"])
    audit.record(
        "schools.team.changed",
        actor=by,
        target=school,
        changes={"team": [previous, team.pk]},
        request=request,
    )
    return school
