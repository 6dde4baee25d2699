"""The keys that encrypt two-factor secrets: rotation, the SECRET_KEY fallback, a wrong key."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.urls import reverse
from django.utils import timezone

from accounts import encryption
from accounts.middleware import RequireMFAMiddleware

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored_secret(user):
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]


def code_for(secret):
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def sign_in(client, user, secret):
    """Password, then the authenticator app's code; return the second answer."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})


def test_secrets_written_under_secret_key_stay_readable_once_keys_are_set(client, world, settings):
    secret = encryption.decrypt(stored_secret(world.sso))  # written with no keys set
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert sign_in(client, world.sso, secret)["Location"] == reverse("home")


def test_the_first_key_writes_and_every_key_reads(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    token = encryption.encrypt("JBSWY3DPEHPK3PXP")
    assert Fernet(OLD.encode()).decrypt(token.encode()) == b"JBSWY3DPEHPK3PXP"
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert encryption.decrypt(token) == "JBSWY3DPEHPK3PXP"
    assert Fernet(NEW.encode()).decrypt(encryption.encrypt("x").encode()) == b"x"


def test_rotation_moves_every_secret_to_the_new_key(client, world, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    call_command("rotate_encryption_keys")  # everything under OLD first
    secret = encryption.decrypt(stored_secret(world.sso))
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_encryption_keys")
    # The old key and SECRET_KEY are gone: the secrets and recovery codes still read.
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    settings.SECRET_KEY = "a-different-secret-key-after-rotation"
    assert Fernet(NEW.encode()).decrypt(stored_secret(world.sso).encode()).decode() == secret
    for data in Authenticator.objects.filter(type="recovery_codes").values_list("data", flat=True):
        Fernet(NEW.encode()).decrypt(data["seed"].encode())
    assert sign_in(client, world.sso, secret)["Location"] == reverse("home")


def test_a_wrong_key_is_a_plain_message_on_the_sign_in_page_not_a_500(client, world, settings):
    secret = encryption.decrypt(stored_secret(world.sso))
    # The database restored on a machine with another SECRET_KEY and no FIELD_ENCRYPTION_KEYS.
    settings.SECRET_KEY = "another-machine-another-key"
    response = sign_in(client, world.sso, secret)
    assert response.status_code == 200
    assert "cannot be verified" in response.content.decode()
    assert "Contact your administrator" in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_a_wrong_key_elsewhere_is_a_plain_page(rf, world):
    """Outside a form (the recovery codes page, say), the middleware answers a plain page."""
    request = rf.get("/accounts/2fa/recovery-codes/")
    request.user = world.sso
    middleware = RequireMFAMiddleware(lambda request: None)
    response = middleware.process_exception(request, encryption.UnreadableSecret())
    assert response.status_code == 503
    assert "cannot be verified" in response.content.decode()
    assert middleware.process_exception(request, ValueError()) is None


def test_check_reports_unreadable_secrets_and_malformed_keys(world, settings):
    call_command("check", databases=["default"])  # readable: no error
    settings.SECRET_KEY = "another-machine-another-key"
    with pytest.raises(SystemCheckError, match="accounts.E102"):
        call_command("check", databases=["default"])
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(SystemCheckError, match="accounts.E101"):
        call_command("check")


def test_rotation_refuses_what_no_key_reads(world, settings):
    settings.SECRET_KEY = "another-machine-another-key"
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(CommandError, match="could not be read"):
        call_command("rotate_encryption_keys")


def test_migrate_runs_its_checks_on_an_empty_database(tmp_path):
    """`migrate` runs the database checks before it makes the tables: they must not fail."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "SECRET_KEY": "migrate-check-test",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "contenttypes", "--no-input"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
