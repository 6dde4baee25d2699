"""Backup and restore, as the README tells an operator to do it (PostgreSQL only).

scripts/backup.sh dumps the test database (pg_dump -Fc), the files and the sealing keys;
scripts/restore.sh loads them into a fresh database; a police officer then signs in against
the restored data, password and authenticator-app code, on a server with another
SECRET_KEY but the same FIELD_ENCRYPTION_KEYS.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts import encryption

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
]

FIELD_KEY = Fernet.generate_key().decode()


@pytest.fixture
def field_key(settings):
    """The deployment's FIELD_ENCRYPTION_KEYS, set before any secret is written."""
    settings.FIELD_ENCRYPTION_KEYS = [FIELD_KEY]
    return FIELD_KEY


def url_for(name: str) -> str:
    config = connection.settings_dict
    host = config["HOST"] or "localhost"
    return (
        f"postgresql://{config['USER']}:{config['PASSWORD']}@{host}:{config['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def fresh_database():
    name = f"restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def script_env(tmp_path, database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MIGRATION_DATABASE_URL", "FILE_STORAGE"}
    }
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        AGREEMENTS_SIGNING_DIR=str(tmp_path / "signing"),
        BACKUP_DIR=str(tmp_path / "backup"),
        FIELD_ENCRYPTION_KEYS=FIELD_KEY,
        PYTHON=sys.executable,  # the scripts' manage.py runs with this test's Python
        DEBUG="1",
        **extra,
    )
    return env


def run(command, env):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_restored_backup_signs_a_police_officer_in(
    client, field_key, world, tmp_path, settings, fresh_database
):
    officer = world.sso
    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    totp_secret = encryption.decrypt(stored)
    (tmp_path / "media" / "agreements").mkdir(parents=True)
    (tmp_path / "media" / "agreements" / "sealed.pdf").write_bytes(b"%PDF-1.7 sealed")
    (tmp_path / "signing" / "dorset").mkdir(parents=True)
    (tmp_path / "signing" / "dorset" / "key.pem").write_text("the force's key")

    run(["scripts/backup.sh"], script_env(tmp_path, url_for(connection.settings_dict["NAME"])))
    backup = tmp_path / "backup"
    assert {path.name for path in backup.iterdir()} == {"db.dump", "media.tar.gz", "signing.tar.gz"}

    # A new machine: empty folders, a fresh database, another SECRET_KEY.
    shutil.rmtree(tmp_path / "media")
    shutil.rmtree(tmp_path / "signing")
    restore_env = script_env(
        tmp_path, url_for(fresh_database), SECRET_KEY="a-new-machine-with-a-new-secret-key"
    )
    output = run(["scripts/restore.sh", str(backup)], restore_env)
    assert "Restored from" in output
    assert (tmp_path / "media" / "agreements" / "sealed.pdf").read_bytes() == b"%PDF-1.7 sealed"
    assert (tmp_path / "signing" / "dorset" / "key.pem").read_text() == "the force's key"

    # This process now serves from the restored database, with the new SECRET_KEY.
    saved_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = fresh_database
    settings.SECRET_KEY = "a-new-machine-with-a-new-secret-key"
    try:
        response = client.post(
            reverse("account_login"), {"login": officer.email, "password": PASSWORD}
        )
        assert response["Location"] == reverse("mfa_authenticate")
        code = format_hotp_value(hotp_value(totp_secret, int(timezone.now().timestamp()) // 30))
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name


def test_restore_refuses_a_database_that_is_not_empty(field_key, world, tmp_path):
    url = url_for(connection.settings_dict["NAME"])
    run(["scripts/backup.sh"], script_env(tmp_path, url))
    result = subprocess.run(
        ["scripts/restore.sh", str(tmp_path / "backup")],
        cwd=ROOT,
        env=script_env(tmp_path, url),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Restore into an empty database" in result.stderr
