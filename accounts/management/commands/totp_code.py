"""Print the current TOTP code of a demo account, so demo police users can pass MFA locally."""

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.accounts import current_totp_code, totp_secret


class Command(BaseCommand):
    help = (
        "Print the 6-digit code that the authenticator app of EMAIL shows now. Only with "
        "DEBUG=1 or --force-demo: it reads a second factor, so it is for demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--force-demo",
            action="store_true",
            help="Run without DEBUG=1 (for a demo server; never on real accounts).",
        )

    def handle(self, *args, email, force_demo, **options):
        if not (settings.DEBUG or force_demo):
            raise CommandError(
                "totp_code reads a second factor: it runs only with DEBUG=1 or --force-demo."
            )
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account has the email {email}.")
        secret = totp_secret(user)
        if secret is None:
            raise CommandError(f"{email} has no authenticator app. Run `manage.py seed_demo`.")
        self.stdout.write(current_totp_code(secret))
        self.stderr.write(f"(a new code every {mfa_settings.TOTP_PERIOD} seconds)")
