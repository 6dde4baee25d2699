"""One outbox for every email of the product.

A cause writes its emails as rows, one per recipient, in its own transaction
(`queue_email`); after the commit a task sends each row and marks it sent. A row's
key makes a repeated cause (a rerun job, a retried task) a no-op, and a retry sends
only what is unsent. A temporary mail-server error leaves the row queued with a
back-off; the sweeper (beat, every minute) sends what is due, including rows whose
task never ran (the broker was down, the worker was killed).
"""

import base64
import datetime
import hashlib
import logging
import smtplib
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import audit
from .models import OutboxEmail
from .rules import force_id_of

logger = logging.getLogger(__name__)

# A temporary error is retried after 1, 2, 4 … minutes (at most an hour); after this many
# attempts the row is marked failed and shown to the force's managers.
MAX_ATTEMPTS = 10
MAX_BACKOFF = datetime.timedelta(hours=1)
# The sweeper stops taking new rows after this long, well inside the task time limit.
SWEEP_BUDGET_SECONDS = 45


def queue_task(task, *args) -> bool:
    """Queue a task (call it after the commit); with the broker down, log and carry on:
    the work is saved, and a sweeper picks it up once the broker is back."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the work is already saved
        logger.warning(
            "Could not queue %s%r; the sweeper will retry", task.name, args, exc_info=True
        )
        return False
    return True


def _row_key(key: str, address: str) -> str:
    full = f"{key}:{address.lower()}"
    if len(full) <= 255:
        return full
    return f"{full[:180]}:{hashlib.sha256(full.encode()).hexdigest()}"


def _about(about) -> dict:
    """The record an email is about: its type and id, and a label that names no young person."""
    if about is None:
        return {}
    if isinstance(about, str):
        return {"about_label": about[:200]}
    meta = about._meta
    name = getattr(about, "reference", None) or about.pk
    return {
        "about_type": ContentType.objects.get_for_model(about),
        "about_id": str(about.pk),
        "about_label": f"{str(meta.verbose_name).capitalize()} {name}"[:200],
    }


def _force_id(force, about):
    """The force whose managers see the email in their outbox: given, or the record's."""
    if force is not None:
        return getattr(force, "pk", force)
    return force_id_of(about)


def _encoded(attachments) -> list[dict]:
    encoded = []
    for filename, content, mimetype in attachments:
        if isinstance(content, str):
            content = content.encode()
        encoded.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii"),
            }
        )
    return encoded


def queue_email(
    *,
    to,
    template: str,
    subject: str,
    context: dict,
    key: str,
    about=None,
    force=None,
    attachments=(),
) -> list[OutboxEmail]:
    """Render `template`.txt and .html now and write one row per recipient in the caller's
    transaction; a key already written is a no-op. Return the rows written now."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    return queue_rendered(
        to=to,
        subject=subject,
        body_text=render_to_string(f"{template}.txt", context),
        body_html=render_to_string(f"{template}.html", context),
        key=key,
        template=template,
        about=about,
        force=force,
        attachments=attachments,
    )


def queue_rendered(
    *,
    to,
    subject: str,
    body_text: str,
    body_html: str = "",
    key: str,
    template: str = "",
    about=None,
    force=None,
    attachments=(),
) -> list[OutboxEmail]:
    """Write already-rendered emails as outbox rows (see `queue_email`)."""
    addresses = [to] if isinstance(to, str) else list(to)
    fields = {
        "subject": " ".join(subject.split())[:300],
        "body_text": body_text,
        "body_html": body_html,
        "template": template[:120],
        "attachments": _encoded(attachments),
        "force_id": _force_id(force, about),
        **_about(about),
    }
    written = []
    for address in dict.fromkeys(a.strip() for a in addresses if a and a.strip()):
        row_key = _row_key(key, address)
        if OutboxEmail.objects.filter(key=row_key).exists():
            continue
        try:
            with transaction.atomic():
                written.append(OutboxEmail.objects.create(to=address, key=row_key, **fields))
        except IntegrityError:  # another transaction wrote the same key a moment ago
            continue
    if written:
        pks = [row.pk for row in written]
        transaction.on_commit(lambda: _queue_sending(pks))
    return written


def _queue_sending(pks) -> None:
    from .tasks import send_outbox_email

    for pk in pks:
        queue_task(send_outbox_email, pk)


# Sending -----------------------------------------------------------------------------------


def _message(email: OutboxEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


def is_permanent(error: Exception) -> bool:
    """True for a mail server's definite no (5xx, a refused recipient); False for what may
    pass if tried again (4xx, a dropped connection, a timeout, and our own sign-in to the
    mail server failing: a setting to put right, not a reason to give up on the email)."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )[:1000]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return f"{error.smtp_code} {message}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def backoff(attempts: int) -> datetime.timedelta:
    """Wait 1, 2, 4 … minutes after the nth failed attempt, at most an hour."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def outbox_send(*, pk: int, now=None) -> bool:
    """Send one queued row and mark it sent; return whether it was sent now. A row being
    sent by another worker, or no longer queued, is left alone."""
    locking = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(**locking)
            .filter(pk=pk, state=OutboxEmail.State.QUEUED)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            _message(email, get_connection()).send()
        except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
            email.last_error = _describe(error)
            if is_permanent(error) or email.attempts >= MAX_ATTEMPTS:
                email.state = OutboxEmail.State.FAILED
                logger.warning("Email %s failed for good: %s", email.pk, email.last_error)
            else:
                email.next_attempt_at = (now or timezone.now()) + backoff(email.attempts)
                logger.info("Email %s will be tried again: %s", email.pk, email.last_error)
            email.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        email.state = OutboxEmail.State.SENT
        email.sent_at = now or timezone.now()
        email.save(update_fields=["attempts", "state", "sent_at"])
    return True


def outbox_sweep(*, now=None, budget_seconds: float = SWEEP_BUDGET_SECONDS) -> int:
    """Send queued rows that are due and a minute old; return how many were sent."""
    started = time.monotonic()
    due = list(
        OutboxEmail.objects.due(now=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for pk in due:
        if time.monotonic() - started > budget_seconds:
            break  # the next run takes the rest
        sent += outbox_send(pk=pk, now=now)
    return sent


@transaction.atomic
def outbox_resend(*, email: OutboxEmail, by, request=None) -> OutboxEmail:
    """Queue a failed or stuck email again, now; audited."""
    email = OutboxEmail.objects.select_for_update().get(pk=email.pk)
    if email.state == OutboxEmail.State.SENT:
        return email
    previous = email.state
    email.state = OutboxEmail.State.QUEUED
    email.next_attempt_at = timezone.now()
    email.save(update_fields=["state", "next_attempt_at"])
    audit.record(
        "accounts.email.resent",
        actor=by,
        target=email,
        request=request,
        force=email.force,
        changes={"state": [previous, "queued"], "attempts": email.attempts},
    )
    pk = email.pk
    transaction.on_commit(lambda: _queue_sending([pk]))
    return email
