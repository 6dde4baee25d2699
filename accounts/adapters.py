"""allauth adapters: accounts are invite-only, and police accounts keep their second factor."""

import hashlib
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from accounts import encryption


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's emails (password reset and the like) through the outbox too."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from accounts.models import User
        from accounts.outbox import queue_rendered

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), ""
        )
        text = message.body
        if message.content_subtype == "html":
            html, text = message.body, ""
        digest = hashlib.sha256(f"{email}\n{message.subject}\n{text}\n{html}".encode()).hexdigest()
        person = User.objects.filter(email__iexact=email).select_related("organisation").first()
        queue_rendered(
            to=email,
            subject=message.subject,
            body_text=text,
            body_html=html,
            key=f"allauth.{template_prefix.rsplit('/', 1)[-1]}.{digest}",
            template=template_prefix,
            about="Sign-in email",
            force=person.force_id if person else None,
        )

    def get_client_ip(self, request):
        """Login limits key on the same client IP as signatures and the audit."""
        from accounts.audit import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Spare a first MFA set-up the second password prompt minutes after signing in."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = self.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        user = request.user
        if not user.is_authenticated or is_mfa_enabled(user):
            return required
        records = get_authentication_records(request, user)
        recent = (
            records and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        )
        return not recent


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user):
        return user.email

    def get_totp_issuer(self):
        return settings.SITE_NAME

    def encrypt(self, text: str) -> str:
        """Keep TOTP secrets and recovery codes encrypted at rest (FIELD_ENCRYPTION_KEYS)."""
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """Read a secret; one no key can read raises UnreadableSecret, a form error."""
        return encryption.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Police and administrators may not switch their authenticator app off."""
        return not (
            authenticator.type == Authenticator.Type.TOTP and authenticator.user.requires_mfa
        )
