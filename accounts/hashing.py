"""The fingerprint every signed or uploaded thing carries: SHA-256, as lowercase hex."""

import hashlib


def sha256_hex(data: bytes | str) -> str:
    """SHA-256 of bytes, or of text as UTF-8."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
