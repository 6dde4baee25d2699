"""gunicorn's access log, as the web container writes it, holds no URL secrets (issue 24)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config.access_log import mask_tokens

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ["Zq8tokenOfAnInvitation", "Cal3ndarFeedToken", "5-reset-key-abc", "confirmKey123"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mask_tokens_hides_each_kind_of_secret_and_keeps_the_rest():
    assert mask_tokens("GET /invitation/Zq8tokenOfAnInvitation/ HTTP/1.1") == (
        "GET /invitation/[hidden]/ HTTP/1.1"
    )
    assert mask_tokens("/bookings/calendar/Cal3ndarFeedToken.ics") == (
        "/bookings/calendar/[hidden].ics"
    )
    assert mask_tokens("/accounts/password/reset/key/5-reset-key-abc/") == (
        "/accounts/password/reset/key/[hidden]/"
    )
    assert (
        mask_tokens("/accounts/confirm-email/confirmKey123/") == "/accounts/confirm-email/[hidden]/"
    )
    # Ordinary addresses are logged as they are.
    for path in ("/bookings/manage/calendar/", "/bookings/4/calendar.ics", "/people/invitations/"):
        assert mask_tokens(path) == path


def test_gunicorn_with_the_containers_config_logs_no_tokens(tmp_path):
    """A real gunicorn started with config/gunicorn_conf.py, as the Dockerfile starts it."""
    port = free_port()
    app = tmp_path / "probe_app.py"
    app.write_text(
        "def application(environ, start_response):\n"
        "    start_response('404 Not Found', [('Content-Type', 'text/plain')])\n"
        "    return [b'']\n"
    )
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "config" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
            "--chdir",
            str(tmp_path),
            "probe_app:application",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    paths = [
        "/invitation/Zq8tokenOfAnInvitation/",
        "/bookings/calendar/Cal3ndarFeedToken.ics",
        "/accounts/password/reset/key/5-reset-key-abc/",
    ]
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            except urllib.error.HTTPError:
                break  # answered
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"gunicorn did not start: {server.stderr.read1().decode()}")
                time.sleep(0.2)
        for path in paths:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Referer": "https://example.test/accounts/confirm-email/confirmKey123/"},
            )
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=5)
        deadline = time.monotonic() + 10
        while log.read_text().count("\n") < len(paths) + 1 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert "/invitation/[hidden]/" in written
    assert "/bookings/calendar/[hidden].ics" in written
    assert "/accounts/password/reset/key/[hidden]/" in written
    assert "/accounts/confirm-email/[hidden]/" in written
    for secret in SECRETS:
        assert secret not in written


def test_worker_count_comes_from_web_concurrency():
    run = [
        sys.executable,
        "-c",
        "import runpy, json; c = runpy.run_path('config/gunicorn_conf.py');"
        " print(json.dumps([c['workers'], c['max_requests'], c['max_requests_jitter']]))",
    ]
    out = subprocess.run(
        run, cwd=ROOT, env={"WEB_CONCURRENCY": "5"}, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[5, 1000, 100]"
    import multiprocessing

    out = subprocess.run(run, cwd=ROOT, env={}, capture_output=True, text=True, check=True)
    assert out.stdout.strip().startswith(f"[{2 * multiprocessing.cpu_count() + 1}, ")
