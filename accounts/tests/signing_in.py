"""Sign a test client in as the product's sign-in does: password, then the second factor."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.test import Client


def pass_mfa(client, user) -> None:
    """Record in the client's session, with allauth's own records, that this session signed in
    with a password and then passed the TOTP challenge (when the user has an authenticator)."""
    session = client.session
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "password", email=user.email)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


class SignInClient(Client):
    """Django's test client whose force_login also passes MFA (see pass_mfa), as a real sign-in
    would; force_login(user, mfa=False) gives a session that used a password only."""

    def force_login(self, user, backend=None, *, mfa=True):
        super().force_login(user, backend)
        if mfa:
            pass_mfa(self, user)
