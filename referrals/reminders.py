"""Action-plan reminders: each monthly review and each overdue action is announced once.

The email names the case by its reference only; the young person's name stays in the
product, behind the sign-in and the access log.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.outbox import queue_email

from .models import Action, Case, ReminderSent


def _recipient(action):
    """The officer who owns the action, or the case's officer who chases a school or partner."""
    owner = action.owner_user if action.owner_kind == Action.OwnerKind.OFFICER else None
    if owner is not None and owner.is_active:
        return owner
    officer = action.case.officer
    return officer if officer.is_active else None


def send_action_reminders(*, today=None) -> int:
    """Email owners of actions whose monthly review is due or that are overdue; return how many."""
    today = today or timezone.localdate()
    sent = 0
    base = Action.objects.filter(case__status=Case.Status.OPEN).select_related(
        "case", "case__officer", "owner_user"
    )
    due = [(a, ReminderSent.Kind.REVIEW, a.next_review_on) for a in base.review_due(on=today)]
    due += [(a, ReminderSent.Kind.OVERDUE, a.due_on) for a in base.overdue(on=today)]
    for action, kind, for_date in due:
        recipient = _recipient(action)
        if recipient is None:
            continue
        try:
            with transaction.atomic():
                # The unique row is claimed first: a rerun, a retry or a second worker
                # finds it and writes nothing. The email is an outbox row of the same
                # transaction, so a mail-server error cannot undo the reminder.
                ReminderSent.objects.create(
                    action=action, kind=kind, for_date=for_date, recipient=recipient
                )
                queue_email(
                    to=recipient.email,
                    key=f"referrals.action.{action.pk}.reminder.{kind}.{for_date}",
                    about=action.case,
                    force=action.case.force_id,
                    template="referrals/email/action_reminder",
                    subject=(
                        f"Case {action.case.reference}: "
                        + (
                            "monthly review of an action due"
                            if kind == "review"
                            else "action overdue"
                        )
                    ),
                    context={
                        "user": recipient,
                        "action": action,
                        "case": action.case,
                        "kind": kind,
                        "for_date": for_date,
                    },
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
