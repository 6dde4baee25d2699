"""allauth adapters: accounts are invite-only, and police accounts keep their second factor."""

import hashlib
import time
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse

from accounts import encryption


def site_link(path: str) -> str:
    """Return the address of `path` on this service, as every email must give it."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


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
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
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

    def get_reset_password_from_key_url(self, key):
        """Build the reset link from SITE_URL, never from the request's Host header."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_link(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        """Build the link confirming a new sign-in email from SITE_URL, like every other."""
        return site_link(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def can_delete_email(self, email_address):
        """The address someone signs in with stays until a confirmed one replaces it."""
        if email_address.pk and email_address.email.lower() == email_address.user.email.lower():
            return False
        return super().can_delete_email(email_address)

    def confirm_email(self, request, email_address):
        """Make a confirmed address the sign-in email, unless another account or a waiting
        invitation has taken it since it was asked for; audit the change."""
        from django.contrib import messages

        from accounts import services

        user = email_address.user
        refusal = services.sign_in_email_refusal(email_address.email, user=user)
        if refusal:
            messages.error(request, refusal)
            return False
        previous = user.email
        confirmed = super().confirm_email(request, email_address)
        user.refresh_from_db(fields=["email"])
        if confirmed and user.email != previous:
            services.sign_in_email_changed(user=user, previous=previous, request=request)
        return confirmed

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


def record_mfa_at_set_up(*, request, user, authenticator, **kwargs):
    """Count setting up the authenticator app as this session passing MFA: the person has
    just typed a valid code from it (allauth.mfa's authenticator_added signal)."""
    if (
        request is not None
        and authenticator.type == Authenticator.Type.TOTP
        and request.user.is_authenticated
        and request.user.pk == user.pk
    ):
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, set_up=True
        )
