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
