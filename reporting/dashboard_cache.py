"""A dashboard section's figures for a scope, kept per force and worked out once per change,
and the refresh that works a force's dashboards out again in a worker after a change.

The view and the refresh share `section_figures`, so the refresh fills exactly the values the
view reads: a force manager's default dashboards (this school year, every local authority and
team). A change to any counted record clears the force's figures (reporting.invalidation) and,
once its transaction commits, schedules `reporting.tasks.refresh_dashboards` a few seconds
later (one per force for a burst of writes), so the first reader after a change usually finds
them ready instead of waiting for them (#24.4). Readers who come before the refresh has run
share one computation (accounts.caching's lock). Without a real Celery worker (tasks run
in-process, as in development and the tests) nothing is scheduled: the writer would pay for it.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.urls import get_script_prefix
from django.utils import timezone

from accounts.caching import CACHE_ERRORS, cached, list_parameters

from . import invalidation

logger = logging.getLogger(__name__)

REFRESH_DELAY = 3  # seconds: the writes of one change share one refresh


def section_figures(section, scope, query: str):
    """Return (the section's tables, when they were worked out) for the scope.

    What is kept is the figures (each table's counts with the links to the lists behind
    them), never rendered HTML: the page renders them on every request."""

    def work_out():
        return section.build(scope), timezone.now()

    # The same section and slice of the same force on the same day gives the same figures,
    # whoever asks; any change to a record they count clears them (reporting.invalidation).
    # Which figures are links depends on the lists the reader may open.
    parts = (
        tuple(sorted(scope.openable)),
        section.key,
        scope.start,
        scope.end,
        scope.la,
        scope.team_ids,
        scope.today,
        scope.is_team_slice,
        get_script_prefix(),
        query,
    )
    return cached(
        invalidation.TOPIC,
        scope.force_id,
        parts,
        work_out,
        timeout=invalidation.FIGURES_TIMEOUT,
    )


def refresh(force_id) -> int:
    """Work out the default dashboards of a force manager of the force; return how many."""
    from accounts.models import Role, User

    from .forms import DashboardFilterForm
    from .sections import sections_for

    reader = (
        User.objects.filter(
            organisation__force_id=force_id, role=Role.PREVENTION_MANAGER, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if reader is None:
        return 0
    filters = DashboardFilterForm(None, user=reader)
    scope = filters.scope()
    _, query = list_parameters(QueryDict(), filters.fields)
    sections = sections_for(reader)
    for section in sections:
        section_figures(section, scope, query)
    return len(sections)


def refresh_enabled() -> bool:
    from config.celery import app

    return getattr(settings, "DASHBOARDS_REFRESH", True) and not app.conf.task_always_eager


def schedule_refresh(force_id) -> None:
    """After a commit that changed the force's figures: have a worker work them out again in
    REFRESH_DELAY seconds, unless that is already planned. Never raises: the change is saved,
    and a refresh that cannot be queued only leaves the first reader to work them out."""
    if force_id is None or not refresh_enabled():
        return
    try:
        first = cache.add(f"dashboards-refresh:{force_id}", 1, timeout=REFRESH_DELAY)
    except CACHE_ERRORS:
        first = True
    if not first:
        return
    from .tasks import refresh_dashboards

    try:
        refresh_dashboards.apply_async((force_id,), countdown=REFRESH_DELAY)
    except Exception:  # noqa: BLE001 - the broker unreachable: the change is already saved
        logger.warning("dashboards of force %s not queued for refresh", force_id, exc_info=True)
