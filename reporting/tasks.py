"""Reporting's background jobs."""

from celery import shared_task

from .steering import make_report


@shared_task(acks_late=True)
def make_steering_report(report_id: int) -> str:
    """Make the steering-group report's PDF; return its status."""
    return make_report(report_id).status
