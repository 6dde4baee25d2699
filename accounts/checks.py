"""System checks for the keys that encrypt two-factor secrets (accounts.encryption)."""

from django.conf import settings
from django.core import checks

from accounts import encryption


@checks.register(checks.Tags.security)
def check_field_encryption_keys(app_configs, **kwargs):
    """Each of FIELD_ENCRYPTION_KEYS must be a Fernet key."""
    from cryptography.fernet import Fernet

    errors = []
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        if not key.strip():
            continue  # FIELD_ENCRYPTION_KEYS= (empty) in .env: unset
        try:
            Fernet(key.strip().encode())
        except ValueError:
            errors.append(
                checks.Error(
                    f"Key {position} of FIELD_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="accounts.E101",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_two_factor_secrets_readable(app_configs, databases=None, **kwargs):
    """`manage.py check --database default`: every stored two-factor secret can be read."""
    if not databases:
        return []
    from allauth.mfa.models import Authenticator
    from cryptography.fernet import InvalidToken
    from django.db import connections

    reader = encryption.fernet()
    unreadable = 0
    fields = {"secret", "seed"}
    for alias in databases:
        # `migrate` runs this check before it makes the tables.
        if Authenticator._meta.db_table not in connections[alias].introspection.table_names():
            continue
        for data in Authenticator.objects.using(alias).values_list("data", flat=True):
            for name in fields & set(data or {}):
                try:
                    reader.decrypt(data[name].encode())
                except InvalidToken:
                    unreadable += 1
                    break
    if not unreadable:
        return []
    return [
        checks.Error(
            f"{unreadable} two-factor authenticator(s) cannot be decrypted with "
            "FIELD_ENCRYPTION_KEYS or SECRET_KEY: their users cannot sign in.",
            hint="Restore the keys the database was written with (README, 'Backup and "
            "restore'), or reset those users' two-factor authentication.",
            id="accounts.E102",
        )
    ]
