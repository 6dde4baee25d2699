"""The product's emails come as .txt and .html template pairs, sent through the outbox.

Write new emails with `accounts.outbox.queue_email` and a key that names their cause.
`send_templated_email` remains for code that has no cause to name: it writes outbox rows
keyed by their content, so the same email to the same person is written once.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string

from .outbox import queue_rendered


def send_templated_email(
    *, to: list[str], template: str, context: dict, subject: str, attachments=()
) -> None:
    """Write `template`.txt with `template`.html as its alternative to the outbox."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    digest = hashlib.sha256(f"{subject}\n{text}\n{html}".encode()).hexdigest()
    queue_rendered(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        key=f"content.{template}.{digest}",
        template=template,
        attachments=attachments,
    )
