"""docker compose's health check for Celery beat: a heartbeat file touched on every tick."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import celery_app
from config.beat import HeartbeatScheduler
from config.beat_health import beat_is_ticking

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def heartbeat(tmp_path, monkeypatch):
    path = tmp_path / "beat-heartbeat"
    monkeypatch.setenv("BEAT_HEARTBEAT_FILE", str(path))
    return path


def check(path: Path) -> int:
    env = {**os.environ, "BEAT_HEARTBEAT_FILE": str(path)}
    return subprocess.run(
        [sys.executable, "-m", "config.beat_health"], cwd=ROOT, env=env
    ).returncode


@pytest.mark.django_db(transaction=True)  # the scheduler closes connections in a transaction
def test_each_tick_of_the_scheduler_touches_the_heartbeat(heartbeat):
    assert not beat_is_ticking()
    assert check(heartbeat) == 1
    scheduler = HeartbeatScheduler(app=celery_app, lazy=True)
    scheduler.setup_schedule()
    scheduler.tick()
    assert beat_is_ticking()
    assert check(heartbeat) == 0


def test_a_stale_heartbeat_fails_the_check(heartbeat):
    heartbeat.touch()
    stale = time.time() - 600
    os.utime(heartbeat, (stale, stale))
    assert not beat_is_ticking()
    assert check(heartbeat) == 1


def test_every_periodic_job_is_declared_once_and_beat_installs_it(periodic_tasks, settings):
    """settings.CELERY_BEAT_SCHEDULE is the one list of periodic jobs: each names a task the
    worker knows, and beat writes each, enabled, into its tables (no migration does)."""
    declared = settings.CELERY_BEAT_SCHEDULE
    assert len(declared) >= 7
    celery_app.loader.import_default_modules()
    for name, entry in declared.items():
        assert entry["task"] in celery_app.tasks, entry["task"]
        task = periodic_tasks.get(name=name)
        assert task.enabled and task.task == entry["task"]
    tasks = [entry["task"] for entry in declared.values()]
    assert len(tasks) == len(set(tasks)), "a job is declared twice"


def test_no_migration_schedules_a_periodic_job():
    for path in ROOT.glob("*/migrations/*.py"):
        text = path.read_text()
        assert "PeriodicTask" not in text and "CrontabSchedule" not in text, path
