"""Session limits and the MFA requirement, applied to every request."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.encryption import UNREADABLE_MESSAGE, UnreadableSecret

_STARTED = "session_started_at"
_LAST_SEEN = "session_last_seen_at"


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


def passed_mfa(request, user) -> bool:
    """Return whether this session has passed its second factor, as allauth records it: an
    "mfa" entry among the session's authentication records (the sign-in challenge, a later
    code check, or the set-up of the authenticator app itself)."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class RequireMFAMiddleware:
    """A police user or administrator reaches nothing until this session has passed MFA.

    Without an authenticator app they are sent to set one up; with one, to the code check
    (allauth's MFA re-authentication, which is rate limited) and then back where they were
    going. A password alone, however the session came by it (the Django admin's own sign-in,
    say), is never enough, on any URL."""

    # Setting up the app may ask for the password again; nothing else answers before it.
    SET_UP_URL_NAMES = ("mfa_activate_totp", "account_reauthenticate", "account_logout", "healthz")
    CHECK_URL_NAMES = ("mfa_reauthenticate", "account_logout", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = {}

    def paths(self, names):
        if names not in self._paths:
            self._paths[names] = {reverse(name) for name in names}
        return self._paths[names]

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
            and not request.path.startswith(settings.STATIC_URL)
            and not passed_mfa(request, user)
        ):
            if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                if request.path not in self.paths(self.SET_UP_URL_NAMES):
                    return redirect("mfa_activate_totp")
            elif request.path not in self.paths(self.CHECK_URL_NAMES):
                query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
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
