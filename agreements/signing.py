"""The signing engine's core, shared by a school's MoU (services.py) and a provider agreement
(provider_services.py): freeze a version with its SHA-256, check and record a signature of it,
write a timeline step, email the parties through the outbox, seal the signed PDF, and chase
the signer whose turn it is.

Each agreement model says where its rows live through its related names (`versions`,
`signatures`, `events`) and names its outbox keys with `outbox_key`; the workflows that
differ (who signs, in what order, what becomes of it) stay in their own services.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.hashing import sha256_hex
from accounts.models import User
from accounts.outbox import queue_email

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_DRAWING_BYTES = 300_000


def client_evidence(request) -> dict:
    """The browser details kept with a signature or a timeline step."""
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    return {
        "ip_address": audit.client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
    }


def latest_version(agreement):
    return agreement.versions.order_by("-number").first()


def document_context(agreement, version, *, preview) -> dict:
    """What agreements/_document.html needs: the version's frozen content and its
    signatures, or, with no version, a preview rendered by `preview(agreement)`."""
    return {
        "agreement": agreement,
        "version": version,
        "content_html": version.content_html if version else preview(agreement),
        "signatures": list(version.signatures.select_related("user")) if version else [],
    }


def render_pdf(template: str, context: dict) -> bytes:
    """Render the signed document with its certificate page (the timeline) as a PDF."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    agreement = context["agreement"]
    context["events"] = list(agreement.events.select_related("actor").order_by("created", "pk"))
    context["generated_at"] = timezone.now()
    return HTML(string=render_to_string(template, context)).write_pdf()


def freeze_version(agreement, content_html: str, *, now=None):
    """Freeze the content as the agreement's next version, with its SHA-256."""
    latest = latest_version(agreement)
    return agreement.versions.create(
        number=(latest.number + 1) if latest else 1,
        content_html=content_html,
        content_sha256=sha256_hex(content_html),
        created=now or timezone.now(),
    )


def signable_version(agreement, version_number: int | None):
    """Return the latest version, checked: the one the signer read, and intact."""
    version = latest_version(agreement)
    if version_number is not None and version_number != version.number:
        raise ValidationError(
            "The agreement changed while you were reading it. Read the new version and sign again."
        )
    if not version.is_intact():
        raise ValidationError("The agreement's content does not match its fingerprint.")
    return version


def check_signature_fields(typed_name, confirmed, *, confirm_message, errors=None) -> None:
    """Raise the form's errors for a missing typed name or confirmation (with `errors` the
    caller's own checks)."""
    errors = dict(errors or {})
    if not (typed_name or "").strip():
        errors["typed_name"] = "Type your full name"
    if not confirmed:
        errors["confirmed"] = confirm_message
    if errors:
        raise ValidationError(errors)


def record_signature(
    agreement, version, *, party, by, typed_name, drawn_png, organisation, request, now, **extra
):
    """Write one party's signature of the version, with the evidence of how it was made."""
    signature = agreement.signatures.model(
        agreement=agreement,
        version=version,
        party=party,
        user=by,
        role=by.job_title or by.get_role_display(),
        organisation=organisation,
        typed_name=typed_name.strip(),
        drawn_png=drawn_png,
        signed_at=now,
        content_sha256=version.content_sha256,
        **extra,
        **client_evidence(request),
    )
    signature.full_clean(exclude=["drawn_png"])
    signature.save()
    return signature


def record_event(agreement, kind, *, actor=None, request=None, detail="", now=None, **fields):
    """Write a step of the agreement's timeline."""
    return agreement.events.create(
        kind=kind,
        actor=actor,
        detail=detail[:300],
        created=now or timezone.now(),
        **fields,
        **client_evidence(request),
    )


def email_people(*, people, template, subject, agreement, cause, attachments=(), **context):
    """Write one email per person to the outbox, in the caller's transaction; `cause` names
    what happened, so the same cause never emails anyone twice."""
    for person in people:
        queue_email(
            to=person.email,
            template=f"agreements/email/{template}",
            subject=subject,
            context={"user": person, "agreement": agreement, **context},
            key=f"{agreement.outbox_key}.{agreement.pk}.{cause}",
            about=agreement,
            force=agreement.force_id,
            attachments=attachments,
        )


def people_to_tell(*people, besides=None) -> list:
    """The active people among these, each once, leaving out `besides` (who acted)."""
    found = {}
    for person in people:
        if person is not None and person.is_active and person != besides:
            found.setdefault(person.pk, person)
    return list(found.values())


def signers_of_latest(agreement, **filters):
    return list(
        User.objects.filter(
            pk__in=agreement.signatures.filter(version=latest_version(agreement)).values("user_id"),
            **filters,
        )
    )


def seal_signed(*, queryset, pk: int, render_pdf, stored_name, sealed) -> bool:
    """Render and seal the PDF of a signed agreement, store it, note it on the timeline and
    call `sealed(agreement, result)` in the same transaction (to email the signers). The
    rendering and sealing run outside the lock: they take a second and are repeatable.
    Idempotent: False when there is nothing to do."""
    from .seal import keep_sealed, seal_for_force

    agreement = queryset.filter(pk=pk).first()
    if agreement is None or agreement.is_sealed or agreement.active_on is None:
        return False
    result = seal_for_force(agreement.force, render_pdf(agreement))
    with transaction.atomic():
        locked = queryset.model.objects.select_for_update(of=("self",)).get(pk=pk)
        if locked.is_sealed:
            return False
        locked.force = agreement.force
        keep_sealed(locked, result, name=stored_name(locked, result.sha256), now=timezone.now())
        sealed(locked, result)
        locked.save()
        record_event(locked, locked.events.model.Kind.SEALED, detail=f"SHA-256 {result.sha256}")
    return True


def seal_with_retries(task, seal, pk: int, *, gave_up=None) -> bool:
    """Run a sealing service inside its Celery task: a storage or signing-service error is
    retried with back-off; after the last retry `gave_up(agreement_pk=, error=)` records it
    (the sweeper tries again later)."""
    try:
        return seal(agreement_pk=pk)
    except OSError as error:
        if task.request.retries >= task.max_retries or task.request.is_eager:
            if gave_up is not None:
                gave_up(agreement_pk=pk, error=str(error))
            return False
        raise task.retry(exc=error, countdown=2 ** (task.request.retries + 1)) from error


# Chasing the signer whose turn it is ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Chase:
    """How one kind of agreement is chased.

    `waiting` lists (pk, force_id) of those waiting for a signature; `locked(pk)` reads one
    under lock; `turn(agreement, now)` says whose turn it is and since when ((party, since),
    or None when it is not to be chased now); `remind(agreement, party, day, now)` writes the
    emails and the timeline step; `reminders` is the model that records each reminder sent.
    """

    waiting: Callable
    locked: Callable
    turn: Callable
    remind: Callable
    reminders: type


def reminder_day_due(awaiting_since, days: list[int], *, now) -> int | None:
    """Return the reminder day due now, or None: the latest day passed (an earlier one
    missed is not sent late)."""
    waited = (now - awaiting_since).days
    passed = [day for day in days if day <= waited]
    return passed[-1] if passed else None


def chase(chase: Chase, *, days_of: Callable[[int], list[int]], now) -> int:
    """Remind each signer whose turn has lasted the force's days, once per turn and day;
    return how many reminders were sent."""
    sent = 0
    for pk, force_id in chase.waiting():
        try:
            with transaction.atomic():
                agreement = chase.locked(pk)
                turn = chase.turn(agreement, now)
                if turn is None:
                    continue
                party, since = turn
                day = reminder_day_due(since, days_of(force_id), now=now)
                once = {
                    "agreement": agreement,
                    "party": party,
                    "awaiting_since": since,
                    "after_days": day,
                }
                if day is None or chase.reminders.objects.filter(**once).exists():
                    continue
                chase.reminders.objects.create(**once, sent_at=now)
                chase.remind(agreement, party, day, now)
        except IntegrityError:  # another run sent it a moment ago
            continue
        sent += 1
    return sent


def days_waiting(since: datetime.datetime | None, *, now=None) -> int | None:
    return None if since is None else ((now or timezone.now()) - since).days
