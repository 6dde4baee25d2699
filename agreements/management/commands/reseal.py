"""Seal one agreement again, or every agreement signed by all but left unsealed."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from agreements.services import agreement_seal, agreement_seal_failed, agreements_stuck_unsealed


class Command(BaseCommand):
    help = "Seal the signed PDF of one agreement (by id) or, with --stuck, of all unsealed ones."

    def add_arguments(self, parser):
        parser.add_argument("agreement_id", nargs="?", type=int)
        parser.add_argument("--stuck", action="store_true", help="Every agreement left unsealed.")

    def handle(self, *args, agreement_id=None, stuck=False, **options):
        if agreement_id is None and not stuck:
            raise CommandError("Give an agreement id, or --stuck for every unsealed agreement.")
        if agreement_id is not None:
            if not Agreement.objects.filter(pk=agreement_id).exists():
                raise CommandError(f"There is no agreement {agreement_id}.")
            pks = [agreement_id]
        else:
            # Every unsealed one now, back-off or not: an operator asked.
            pks = agreements_stuck_unsealed(older_than=datetime.timedelta(0), ignore_backoff=True)
        failed = 0
        for pk in pks:
            try:
                done = agreement_seal(agreement_pk=pk)
            except OSError as error:
                failed += 1
                agreement_seal_failed(agreement_pk=pk, error=str(error))
                self.stderr.write(f"Agreement {pk}: sealing failed: {error}")
                continue
            self.stdout.write(f"Agreement {pk}: {'sealed' if done else 'nothing to do'}")
        if failed:
            raise CommandError(f"{failed} agreement(s) could not be sealed.")
