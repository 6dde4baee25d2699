"""gunicorn's access log without the secrets some URLs carry.

Invitation tokens, password-reset keys and calendar-feed tokens sit in URL paths, and a
referring page's address carries them on the next request too. Every logged value (the
request line, the path, the referrer, headers and environ variables) has those path
segments replaced by "[hidden]" before gunicorn writes the line.
"""

import re

from gunicorn.glogging import Logger

# The path segment after each of these prefixes is a secret.
TOKEN_SEGMENT = re.compile(
    r"(?P<prefix>/invitation/"  # accounts: an invitation to set up an account
    r"|/calendar/"  # bookings: a provider's secret calendar feed (<token>.ics)
    r"|/accounts/password/reset/key/"  # allauth: a password-reset key
    r"|/accounts/confirm-email/)"  # allauth: an email confirmation key
    r"(?P<secret>[^/?#\s.]+)"
)
HIDDEN = "[hidden]"


def mask_tokens(text: str) -> str:
    """Return text with the secret path segments replaced by [hidden]."""
    return TOKEN_SEGMENT.sub(lambda match: match["prefix"] + HIDDEN, text)


class TokenMaskingLogger(Logger):
    """gunicorn's logger, masking secret path segments in every access-log atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
