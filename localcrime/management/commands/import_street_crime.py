"""Load data.police.uk street-level files (CSV files or a zip of the archive) for a force."""

import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Force
from localcrime.figures import refresh_figures
from localcrime.streetcrime import check_upload, load_upload


class Command(BaseCommand):
    help = (
        "Load street-level crime and ASB for a force from data.police.uk: monthly "
        "*-street.csv files, or zip files of the archive's month folders (outcomes and "
        "stop-and-search files in them are skipped). Every row is checked first; if any has a "
        "problem, nothing is saved. Rows loaded before are skipped, so running it again is "
        "safe. Months older than the force keeps are removed, and the figures near schools "
        "are counted again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CSV or zip files.")
        parser.add_argument("--force", dest="force_slug", metavar="SLUG", required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; save nothing."
        )

    def handle(self, *args, paths, force_slug, dry_run=False, **options):
        force = Force.objects.filter(slug=force_slug).first()
        if force is None:
            raise CommandError(f"There is no force with the slug {force_slug!r}.")
        with tempfile.TemporaryFile() as packed:
            self._pack(paths, packed)
            packed.seek(0)
            summary = check_upload(packed)
            if not summary.error_count and not dry_run:
                packed.seek(0)
                summary = load_upload(packed, force=force, total=summary.rows)
        for message in summary.errors:
            self.stderr.write(message)
        if summary.error_count:
            raise CommandError(f"{summary.error_count} problems: nothing was saved.")
        months = ", ".join(sorted(summary.months))
        if dry_run:
            self.stdout.write(f"{summary.rows} rows can be loaded ({months}). Nothing was saved.")
            return
        refresh_figures(force.pk)
        self.stdout.write(
            f"{summary.rows} rows read ({months}): {summary.added} added, "
            f"{summary.already_loaded} loaded before."
            + (f" Removed {', '.join(summary.pruned_months)}." if summary.pruned_months else "")
        )

    def _pack(self, paths, packed) -> None:
        """Write the files into one zip, streamed from disk (a zip's members are copied)."""
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for number, name in enumerate(paths, start=1):
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"Cannot read {name}: there is no such file.")
                if zipfile.is_zipfile(path):
                    with zipfile.ZipFile(path) as source:
                        for info in source.infolist():
                            if info.is_dir():
                                continue
                            with (
                                source.open(info) as member,
                                archive.open(
                                    f"{number:03d}/{info.filename}", "w", force_zip64=True
                                ) as target,
                            ):
                                while chunk := member.read(1024 * 1024):
                                    target.write(chunk)
                else:
                    archive.write(path, f"{number:03d}-{path.name}")
