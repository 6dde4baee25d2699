"""Session limits and the MFA requirement, applied to every request."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.encryption import UNREADABLE_MESSAGE, UnreadableSecret

_STARTED = "session_started_at"
_LAST_SEEN = "session_last_seen_at"
_MFA_CONFIRMED_FOR = "mfa_confirmed_for"


class SessionLimitsMiddleware:
    """End a signed-in session after 30 minutes idle or 12 hours in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(_STARTED, now)
            last_seen = request.session.get(_LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_long = now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_long:
                logout(request)
                messages.info(
                    request,
                    "You were signed out to keep your account safe. Sign in again to continue.",
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Writing the session costs queries: note activity at most once a minute.
            if now - last_seen >= 60 or _LAST_SEEN not in request.session:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Until a police user or administrator sets up MFA, only the set-up pages answer."""

    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def allowed_paths(self):
        if self._allowed_paths is None:
            self._allowed_paths = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        return self._allowed_paths

    def process_exception(self, request, exception):
        """A two-factor secret no key can read: say so plainly, not "a problem with the service"."""
        if isinstance(exception, UnreadableSecret):
            return render(
                request,
                "account/unreadable_secret.html",
                {"message": UNREADABLE_MESSAGE},
                status=503,
            )
        return None

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and request.session.get(_MFA_CONFIRMED_FOR) != user.pk
            and request.path not in self.allowed_paths()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                return redirect("mfa_activate_totp")
            # Remember for this session, so the check costs one query per sign-in.
            request.session[_MFA_CONFIRMED_FOR] = user.pk
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user carries Cache-Control: no-store (pages, PDFs, CSVs):
    what the people, audit, school and agreement pages show must not stay in a browser's or a
    proxy's cache once the user has signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over settings.MAX_REQUEST_BODY_BYTES with a
    plain 413 page, before anything reads it (so nothing is written to disk, signed in or not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            from django.http import HttpResponse

            limit = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return HttpResponse(
                f"<!doctype html><title>File too large</title><h1>That is too large</h1>"
                f"<p>Requests can be at most {limit} MB. Nothing was saved.</p>",
                status=413,
            )
        return self.get_response(request)
