from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from accounts import checks  # noqa: F401 - registers the encryption-key checks

        from .adapters import record_mfa_at_set_up

        authenticator_added.connect(record_mfa_at_set_up, dispatch_uid="accounts.mfa_set_up")
