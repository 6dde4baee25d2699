"""WeasyPrint is warmed when a web or Celery worker starts, so the first MoU is not slow (#24.4)."""

import runpy
from pathlib import Path

import pytest
from celery.signals import worker_init, worker_process_init

from config import warmup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def warm_ups(monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "warm_pdf", lambda: calls.append("warm") or 0.01)
    return calls


def test_gunicorn_warms_in_the_master_before_forking_and_in_each_worker(warm_ups):
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))
    conf["when_ready"](server=None)
    assert warm_ups == ["warm"]
    conf["post_fork"](server=None, worker=None)
    assert warm_ups == ["warm", "warm"]


# Celery's Django fix-up also hears worker_init and warns that this test sends it no worker.
@pytest.mark.filterwarnings("ignore::celery.fixups.django.FixupWarning")
def test_a_celery_worker_warms_in_its_main_process_and_each_pool_process(warm_ups):
    worker_init.send(sender=None)
    assert warm_ups == ["warm"]
    worker_process_init.send(sender=None)
    assert warm_ups == ["warm", "warm"]


def test_the_warm_up_renders_a_pdf_with_the_mous_fonts(monkeypatch):
    import weasyprint

    rendered = []
    real = weasyprint.HTML

    class Recording(real):
        def write_pdf(self, *args, **kwargs):
            pdf = super().write_pdf(*args, **kwargs)
            rendered.append(pdf)
            return pdf

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    seconds = warmup.warm_pdf()
    assert seconds is not None and seconds > 0
    assert rendered and rendered[0].startswith(b"%PDF")
    for family in ("Arial", '"Times New Roman", serif', "monospace"):
        assert family in warmup.WARM_HTML


def test_a_failed_warm_up_is_logged_and_never_stops_the_worker(monkeypatch, caplog):
    import weasyprint

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    assert warmup.warm_pdf() is None
    assert "PDF warm-up failed" in caplog.text


def test_the_app_is_loaded_once_in_the_master_unless_switched_off(monkeypatch):
    assert runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))["preload_app"] is True
    monkeypatch.setenv("GUNICORN_PRELOAD", "0")
    assert runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))["preload_app"] is False


def test_no_database_or_cache_connection_of_the_master_is_handed_to_a_worker(monkeypatch):
    """pre_fork closes what the loaded application opened (SQLite's in-memory test database
    never really closes, so the closing itself is what is checked)."""
    from django.core.cache import caches
    from django.db import connections

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append("database"))
    monkeypatch.setattr(caches, "close_all", lambda: closed.append("cache"))
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))
    conf["pre_fork"](server=None, worker=None)
    assert closed == ["database", "cache"]
