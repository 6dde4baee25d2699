"""Write the audit trail: changes to domain records, and views of sensitive ones.

Model verbs and services call these explicitly, so every entry names its actor.
"""

import contextlib
import contextvars

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from .models import AccessLogEntry, AuditEntry
from .rules import force_id_of

_NOT_AUDITED = {"password", "last_login", "updated", "created"}


def _force_id_of(obj, actor):
    """The target's force, or else the actor's (an entry about a record of no force)."""
    return force_id_of(obj) or force_id_of(actor)


def snapshot(obj) -> dict:
    """Return the audited fields of a record, for diffing before and after a change."""
    data = model_to_dict(obj)
    return {k: v for k, v in data.items() if k not in _NOT_AUDITED}


def diff(before: dict, after: dict) -> dict:
    """Return {field: [old, new]} for the fields that changed."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def record(
    action: str, *, actor, target=None, changes: dict | None = None, request=None, force=None
) -> AuditEntry:
    """Append an audit entry such as "accounts.user.invited" for the given target."""
    return AuditEntry.objects.create(
        force_id=force.pk if force is not None else _force_id_of(target, actor),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        ip_address=client_ip(request),
    )


def record_access(
    *, actor, target, reason: str = "", action: str = "viewed", request=None
) -> AccessLogEntry:
    """Append an access-log entry: `actor` viewed (or exported) `target`, for `reason`."""
    return AccessLogEntry.objects.create(
        force_id=_force_id_of(target, actor),
        actor=actor,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        action=action,
        reason=reason,
        ip_address=client_ip(request),
    )


_batch: contextvars.ContextVar = contextvars.ContextVar("access_log_batch", default=None)


@contextlib.contextmanager
def accesses_in_one_insert():
    """Within, record_accesses gathers its entries and writes them all in one insert on leaving:
    a page whose panels each list records (the home page) logs them in one insert, not one a
    panel. Nothing is written if the block fails (nothing was shown)."""
    if _batch.get() is not None:  # already inside one: the outer block writes
        yield
        return
    entries = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    if entries:
        AccessLogEntry.objects.bulk_create(entries)


def record_accesses(*, actor, targets, action: str, request=None) -> int:
    """Append one access-log entry per record a list page shows, in one insert; return how many.
    (Inside accesses_in_one_insert(), the block's one insert.)"""
    targets = list(targets)
    if not targets:
        return 0
    ip_address = client_ip(request)
    entries = [
        AccessLogEntry(
            force_id=_force_id_of(target, actor),
            actor=actor,
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
            action=action,
            ip_address=ip_address,
        )
        for target in targets
    ]
    batch = _batch.get()
    if batch is not None:
        batch.extend(entries)
    else:
        AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def client_ip(request):
    """The client's IP, for login limits, signatures and the audit alike.

    X-Forwarded-For is read only when settings.TRUSTED_PROXY_COUNT (N) is above 0: the client
    is then the address N hops from the right, the one our own outermost proxy saw connect.
    Addresses further left are whatever the client chose to send and are never trusted."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-count] if len(hops) >= count else hops[0]
    return request.META.get("REMOTE_ADDR") or None
