"""Encryption of the secrets kept in the database: authenticator-app (TOTP) secrets and
recovery codes.

FIELD_ENCRYPTION_KEYS holds Fernet keys, comma-separated: the first encrypts, every one
decrypts, so a key is rotated by putting a new one first, running
`manage.py rotate_encryption_keys`, then removing the old one (README, "Backup and
restore"). The key the product used before this setting existed, derived from SECRET_KEY,
is always accepted for reading, and encrypts when FIELD_ENCRYPTION_KEYS is unset.

A secret no key can read (a database restored without its keys) raises UnreadableSecret:
a form error on the sign-in page ("this account cannot be verified"), a plain page
elsewhere (accounts.middleware), an error from `manage.py check --database default`.
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

UNREADABLE_MESSAGE = (
    "This account cannot be verified at the moment. Contact your administrator, "
    "who can reset your two-factor authentication."
)


class UnreadableSecret(ValidationError, InvalidToken):
    """A stored secret that none of FIELD_ENCRYPTION_KEYS (nor the SECRET_KEY key) can read."""

    def __init__(self):
        super().__init__(UNREADABLE_MESSAGE, code="unreadable_secret")


def legacy_key() -> bytes:
    """The key derived from SECRET_KEY that encrypted secrets before FIELD_ENCRYPTION_KEYS."""
    digest = hashlib.sha256(f"mfa-secrets:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keys() -> list[bytes]:
    """The keys in order of use: FIELD_ENCRYPTION_KEYS, then the SECRET_KEY one."""
    configured = [key.strip().encode() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip()]
    legacy = legacy_key()
    return [*configured, legacy] if legacy not in configured else configured


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys()])


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        logger.error(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS or SECRET_KEY: "
            "was the database restored without the keys it was written with?"
        )
        raise UnreadableSecret() from None


def rotate(token: str) -> str:
    """Return the token encrypted under the first key (unchanged text)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret() from None
