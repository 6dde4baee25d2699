"""Production settings pass Django's deployment checklist and refuse to start without a key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables that would loosen production settings if the caller's shell (or a test) had them.
LOOSENING_VARIABLES = (
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TESTING",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
)


def production_environment(tmp_path, **overrides):
    """Return the caller's environment with production values in place of the local ones."""
    environment = {
        key: value for key, value in os.environ.items() if key not in LOOSENING_VARIABLES
    }
    environment.update(
        DEBUG="0",
        TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    environment.update(overrides)
    return environment


def manage(*arguments, environment):
    """Run manage.py in a fresh interpreter and return the finished process."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", environment=production_environment(tmp_path)
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    # Empty rather than unset, so a developer's .env cannot fill it in.
    environment = production_environment(tmp_path, SECRET_KEY="")

    result = manage("check", environment=environment)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
