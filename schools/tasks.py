"""Background jobs of schools: thin shells that take primary keys."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.outbox import queue_email


def queue_hand_over_emails(contact, previous) -> bool:
    """Write the hand-over emails (new and previous officers, the school's senior link) to
    the outbox, once; return whether they were written now."""
    from accounts.models import Role

    from .models import SchoolContact

    if contact.notified_at:
        return False
    school = contact.school
    link_emails = set(
        SchoolContact.objects.filter(school=school, kind=SchoolContact.Kind.SENIOR_LINK)
        .exclude(email="")
        .values_list("email", flat=True)
    ) | set(
        school.organisation.people.filter(role=Role.SCHOOL_LINK, is_active=True).values_list(
            "email", flat=True
        )
    )
    recipients = [contact.officer.email]
    if previous and previous.officer_id != contact.officer_id:
        recipients.append(previous.officer.email)
    recipients.extend(sorted(link_emails))
    queue_email(
        to=recipients,
        template="schools/email/hand_over",
        subject=f"{school.name}: {contact.officer.full_name} is now the named police contact",
        context={"contact": contact, "previous": previous, "school": school},
        key=f"schools.named_contact.{contact.pk}.hand_over",
        about=school,
        force=school.force_id,
    )
    contact.notified_at = timezone.now()
    contact.save(update_fields=["notified_at"])
    return True


@shared_task
def send_hand_over_emails(contact_pk: int, previous_pk: int | None) -> bool:
    """Tell the new and previous officers and the school's senior link, once (the hand-over
    writes the emails itself; this shell remains for tasks queued before that)."""
    from .models import NamedContact

    with transaction.atomic():
        contact = (
            NamedContact.objects.select_for_update(of=("self",))
            .select_related("school", "officer", "deputy")
            .filter(pk=contact_pk)
            .first()
        )
        if contact is None:
            return False
        previous = (
            NamedContact.objects.select_related("officer").filter(pk=previous_pk).first()
            if previous_pk
            else None
        )
        return queue_hand_over_emails(contact, previous)
