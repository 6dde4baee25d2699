"""allauth's authentication backend, loading the signed-in user with their organisation."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .models import User


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        """Return the session's user with organisation and force, read on every page."""
        user = User.objects.select_related("organisation__force").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's model permissions serve only the staff admin; the product's rules are in rules.py.

        Skipping them for everyone else saves two queries on every page that checks a rule.
        """
        if not user_obj.is_active or not user_obj.is_staff:
            return set()
        return super().get_all_permissions(user_obj, obj)
