"""Import a force's schools from a GIAS establishment extract."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Force
from schools.gias import GiasSummary, InvalidGiasFile, apply_gias, read_gias


class Command(BaseCommand):
    help = (
        "Import schools from a GIAS establishment extract (CSV, UTF-8 or Windows-1252). "
        "Schools are matched by URN: new ones are created with their organisation, changed "
        "details are updated and schools GIAS lists as closed are marked closed (never deleted). "
        "Rows of other local authorities are skipped. A school of the force that is missing "
        "from the file is NOT touched, because an extract may be partial. If any row has a "
        "problem, nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The GIAS CSV file.")
        parser.add_argument(
            "--la",
            dest="la_codes",
            metavar="CODE",
            nargs="+",
            action="extend",
            help="DfE local authority codes to import (default: the force's home LA codes).",
        )
        parser.add_argument(
            "--force",
            dest="force_slug",
            metavar="SLUG",
            help="The force's slug (default: the only force, if there is one).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )

    def handle(self, *args, path, la_codes=None, force_slug=None, dry_run=False, **options):
        force = self._force(force_slug)
        if la_codes:
            la_codes = [code for item in la_codes for code in item.split(",") if code.strip()]
        else:
            la_codes = force.home_la_codes
        if not la_codes:
            raise CommandError(f"{force} has no home local authority codes: give them with --la.")
        try:
            with open(path, "rb") as extract:
                data = extract.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            rows = read_gias(data)
        except InvalidGiasFile as error:
            summary = GiasSummary(errors=error.errors)
        else:
            summary = apply_gias(rows, force=force, la_codes=la_codes, dry_run=dry_run)
        self.stdout.write(str(summary))
        for message in summary.warnings:
            self.stdout.write(f"Warning: {message}")
        for message in summary.errors:
            self.stderr.write(message)
        if summary.errors:
            raise CommandError(f"{len(summary.errors)} errors: nothing was saved.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")

    def _force(self, slug):
        if slug:
            try:
                return Force.objects.get(slug=slug)
            except Force.DoesNotExist:
                raise CommandError(f"There is no force with the slug '{slug}'.") from None
        forces = list(Force.objects.order_by("slug")[:2])
        if len(forces) == 1:
            return forces[0]
        if not forces:
            raise CommandError("There is no force yet.")
        slugs = ", ".join(Force.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"There is more than one force: choose one with --force ({slugs}).")
