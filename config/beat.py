"""Celery beat's scheduler, with a heartbeat that docker compose's health check reads.

The scheduler is django-celery-beat's DatabaseScheduler; after every tick it touches the
heartbeat file that `python -m config.beat_health` checks (config/beat_health.py).
"""

from django_celery_beat.schedulers import DatabaseScheduler

from config.beat_health import heartbeat_file


class HeartbeatScheduler(DatabaseScheduler):
    """DatabaseScheduler that records each completed tick in heartbeat_file()."""

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        path = heartbeat_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return interval
