"""Reporting's background jobs."""

from celery import shared_task

from .steering import make_report


@shared_task(acks_late=True)
def make_steering_report(report_id: int) -> str:
    """Make the steering-group report's PDF; return its status."""
    return make_report(report_id).status


@shared_task(acks_late=True, ignore_result=True)
def refresh_dashboards(force_id: int) -> int:
    """Work out a force's dashboards again after a change (reporting.dashboard_cache)."""
    from .dashboard_cache import refresh

    return refresh(force_id)
