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


# A national extract takes a minute or two; the task's limits are its own, not the default 4,
# and stay inside the broker's visibility timeout (10 minutes), after which a task still in
# hand would be delivered again.
GIAS_IMPORT_SOFT_TIME_LIMIT = 8 * 60


@shared_task(
    soft_time_limit=GIAS_IMPORT_SOFT_TIME_LIMIT, time_limit=GIAS_IMPORT_SOFT_TIME_LIMIT + 60
)
def apply_gias_import(gias_import_pk: int, by_pk: int) -> str:
    """Apply a confirmed GIAS upload, all or nothing; once, however often it is delivered."""
    from accounts.models import User

    from . import gias
    from .models import GiasImport

    if not GiasImport.objects.filter(
        pk=gias_import_pk, status=GiasImport.Status.IMPORTING
    ).exists():
        return "nothing to do"
    gias_import = GiasImport(pk=gias_import_pk)
    try:
        summary = gias.gias_import_confirm(gias_import, by=User.objects.get(pk=by_pk))
    except gias.AlreadyApplied:
        return "already applied"
    except Exception:
        # The import's transaction has rolled back: say so on its page instead of "importing".
        gias.gias_import_fail(
            gias_import_pk,
            reason="The import stopped before it finished, so nothing was changed. "
            "Confirm it again; if it stops again, tell your administrator.",
        )
        raise
    return str(summary)


@shared_task(
    soft_time_limit=GIAS_IMPORT_SOFT_TIME_LIMIT, time_limit=GIAS_IMPORT_SOFT_TIME_LIMIT + 60
)
def check_gias_import(gias_import_pk: int) -> str:
    """Read a large uploaded extract in full and store what importing it would change."""
    from . import gias

    try:
        summary = gias.gias_import_check(gias_import_pk, preview_rows=gias.PREVIEW_ROWS)
    except Exception:
        gias.gias_import_fail(
            gias_import_pk,
            reason="Checking the file stopped before it finished. Upload it again; if it "
            "stops again, tell your administrator.",
        )
        raise
    return "nothing to do" if summary is None else str(summary)
