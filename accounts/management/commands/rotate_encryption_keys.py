"""Re-encrypt every stored two-factor secret under the first of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it),
restart, run this, then remove the old keys. Secrets no key can read are counted, left as
they are, and make the command fail.
"""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import encryption


class Command(BaseCommand):
    help = "Re-encrypt two-factor secrets and recovery codes under the first FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        rotated = unreadable = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                data = dict(authenticator.data or {})
                try:
                    for name in ("secret", "seed"):
                        if name in data:
                            data[name] = encryption.rotate(data[name])
                    if "migrated_codes" in data:
                        data["migrated_codes"] = [
                            encryption.rotate(code) for code in data["migrated_codes"]
                        ]
                except encryption.UnreadableSecret:
                    unreadable += 1
                    continue
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} authenticator(s) under the first key.")
        if unreadable:
            raise CommandError(
                f"{unreadable} authenticator(s) could not be read with any key and were left "
                "as they are."
            )
