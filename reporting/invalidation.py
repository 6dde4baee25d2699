"""What clears a force's cached dashboard figures: any save or delete of a record they count.

The dashboards count schools, named contacts, terms, teams and officers, assessments, levels
and offers, engagements, agreements and their signatures, referrals, cases, risk assessments
and actions, bookings with their sessions, slots, evaluations and requests, and incidents
with their kinds. Each of those models sends `post_save` and `post_delete`; the receiver finds
the record's force by its model's `force_path` (accounts.rules.force_id_of) and clears that
force's figures at once and again on commit (`accounts.caching.invalidate_on_commit`).

Writes that send no signals are covered too: slots published in bulk clear the figures through
the audit entry written with them, the GIAS import and `seed_demo` clear the force's whole
cache, and nothing is kept longer than `FIGURES_TIMEOUT` seconds, which the page says.
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

from accounts.caching import clear_on_change, invalidate_on_commit
from accounts.rules import force_id_of

TOPIC = "dashboards"
FIGURES_TIMEOUT = 300

COUNTED = [
    "accounts.User",
    "accounts.Team",
    "accounts.Organisation",  # providers' names on the education dashboard
    "schools.School",
    "schools.NamedContact",
    "schools.Term",
    "schools.Engagement",
    "needs_assessment.Framework",
    "needs_assessment.Level",
    "needs_assessment.ServiceOffer",
    "needs_assessment.Assessment",
    "agreements.Agreement",
    "agreements.Signature",
    "referrals.YoungPerson",
    "referrals.Referral",
    "referrals.Case",
    "referrals.RiskAssessment",
    "referrals.Action",
    "bookings.Topic",
    "bookings.Session",
    "bookings.Slot",
    "bookings.Booking",
    "bookings.Evaluation",
    "bookings.DemandRequest",
    "partnership.LevelAgreement",  # levels agreed and in discussion
    "partnership.ActionPlan",
    "partnership.Objective",  # the plans' progress on the steering headlines
    "partnership.Action",
    "incidents.IncidentKind",  # incidents by kind, status and outcome
    "incidents.Incident",
]


def clear_figures(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return  # loading fixtures
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # someone signed in: no figure changes
    force_id = force_id_of(instance)
    invalidate_on_commit(TOPIC, force_id)
    _refresh_on_commit(force_id)


# Audited services whose rows go in with bulk_create (no signals), in a transaction that may
# save no counted row: the audit entry they write clears the force's figures instead.
AUDITED_BULK_WRITES = {"bookings.slots.published"}


def clear_figures_after_bulk_write(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw and instance.action in AUDITED_BULK_WRITES:
        invalidate_on_commit(TOPIC, instance.force_id)
        _refresh_on_commit(instance.force_id)


def _refresh_on_commit(force_id) -> None:
    """Once the change is committed, have a worker work the force's dashboards out again."""
    from .dashboard_cache import refresh_enabled, schedule_refresh

    if force_id is not None and refresh_enabled():
        transaction.on_commit(partial(schedule_refresh, force_id))


def connect() -> None:
    clear_on_change(clear_figures, [apps.get_model(label) for label in COUNTED], uid="dashboards")
    post_save.connect(
        clear_figures_after_bulk_write,
        sender=apps.get_model("accounts", "AuditEntry"),
        dispatch_uid="dashboards-audit",
    )
