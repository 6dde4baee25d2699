"""Background jobs of schools: thin shells that take primary keys."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.emails import send_templated_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_hand_over_emails(contact_pk: int, previous_pk: int | None) -> bool:
    """Tell the new and previous officers and the school's senior link, once."""
    from accounts.models import Role

    from .models import NamedContact, SchoolContact

    with transaction.atomic():
        contact = (
            NamedContact.objects.select_for_update(of=("self",))
            .select_related("school", "officer", "deputy")
            .filter(pk=contact_pk)
            .first()
        )
        if contact is None or contact.notified_at:
            return False
        previous = (
            NamedContact.objects.select_related("officer").filter(pk=previous_pk).first()
            if previous_pk
            else None
        )
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
        context = {"contact": contact, "previous": previous, "school": school}
        subject = f"{school.name}: {contact.officer.full_name} is now the named police contact"
        recipients = [[contact.officer.email]]
        if previous and previous.officer_id != contact.officer_id:
            recipients.append([previous.officer.email])
        recipients.extend([email] for email in sorted(link_emails))
        for to in recipients:
            send_templated_email(
                to=to, template="schools/email/hand_over", subject=subject, context=context
            )
        contact.notified_at = timezone.now()
        contact.save(update_fields=["notified_at"])
    return True
