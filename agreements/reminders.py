"""Review reminders: 60, 30 and 7 days before an agreement's review date, then weekly while
it is overdue. Each is recorded with a unique row, so reruns and retries never resend it."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.outbox import queue_email
from schools.models import NamedContact

from .models import REMINDER_DAYS_BEFORE, Agreement, AgreementEvent, ReviewReminder
from .services import headteachers_of

KIND_FOR_DAYS = {
    60: ReviewReminder.Kind.DAYS_60,
    30: ReviewReminder.Kind.DAYS_30,
    7: ReviewReminder.Kind.DAYS_7,
}


def reminder_due(review_due_on: datetime.date, today: datetime.date):
    """Return (kind, for_date) of the reminder due today for this review date, or None.

    Before the date, the nearest threshold passed counts (a missed earlier one is not sent
    late); from the date on, one reminder for each week overdue.
    """
    days_left = (review_due_on - today).days
    if days_left <= 0:
        weeks = (-days_left) // 7
        return ReviewReminder.Kind.OVERDUE, review_due_on + datetime.timedelta(weeks=weeks)
    for days in sorted(REMINDER_DAYS_BEFORE):
        if days_left <= days:
            return KIND_FOR_DAYS[days], review_due_on
    return None


def send_review_reminders(*, today=None) -> int:
    """Send each reminder due today that has not been sent; return how many were sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS_BEFORE))
    candidates = list(
        Agreement.objects.active()
        .filter(review_due_on__lte=horizon)
        .exclude(school__status="closed")
        .values_list("pk", "review_due_on")
    )
    sent = 0
    for pk, review_due_on in candidates:
        due = reminder_due(review_due_on, today)
        if due is None:
            continue
        kind, for_date = due
        if ReviewReminder.objects.filter(agreement_id=pk, kind=kind, for_date=for_date).exists():
            continue
        try:
            with transaction.atomic():
                agreement = (
                    Agreement.objects.select_for_update(of=("self",))
                    .select_related("school", "named_officer")
                    .get(pk=pk)
                )
                ReviewReminder.objects.create(agreement=agreement, kind=kind, for_date=for_date)
                _send(agreement, kind, for_date, today)
                AgreementEvent.objects.create(
                    agreement=agreement,
                    kind=AgreementEvent.Kind.REMINDED,
                    detail=f"{ReviewReminder.Kind(kind).label}: review due "
                    f"{agreement.review_due_on:%d %B %Y}",
                )
        except IntegrityError:  # another run sent it a moment ago
            continue
        sent += 1
    return sent


def _recipients(agreement, today):
    contact = (
        NamedContact.objects.current(on=today)
        .filter(school=agreement.school)
        .select_related("officer")
        .first()
    )
    officer = contact.officer if contact else agreement.named_officer
    people = [officer] if officer.is_active else []
    return people + list(headteachers_of(agreement.school))


def _send(agreement, kind, for_date, today):
    """Write the reminder's emails to the outbox, in the run's transaction, once each."""
    overdue = kind == ReviewReminder.Kind.OVERDUE
    subject = (
        f"The agreement with {agreement.school.name} is overdue for review"
        if overdue
        else f"The agreement with {agreement.school.name} is due for review by "
        f"{agreement.review_due_on:%-d %B %Y}"
    )
    for person in _recipients(agreement, today):
        queue_email(
            to=person.email,
            template="agreements/email/review_due",
            subject=subject,
            context={
                "user": person,
                "agreement": agreement,
                "overdue": overdue,
                "days_left": (agreement.review_due_on - today).days,
            },
            key=f"agreements.agreement.{agreement.pk}.review_reminder.{kind}.{for_date}",
            about=agreement,
            force=agreement.force_id,
        )
