"""Read data.police.uk street-level files and load them into a force's crime rows.

The files are read as a stream, row by row, twice: once to check every row and build the
preview (nothing saved), once to load them, all or nothing, in one transaction: COPY into a
staging table on PostgreSQL, bulk inserts elsewhere. A national year is millions of rows, so
nothing holds a whole file in memory.
"""

import csv
import datetime
import hashlib
import io
import logging
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import audit, caching
from accounts.models import Force, User
from accounts.uploads import why_not_csv_text

from .models import (
    CrimeImport,
    CrimeType,
    LoadedMonth,
    LocalCrimeSettings,
    StreetCrime,
    cell_of,
)

CRIME_ID = "Crime ID"
MONTH = "Month"
REPORTED_BY = "Reported by"
FALLS_WITHIN = "Falls within"
LONGITUDE = "Longitude"
LATITUDE = "Latitude"
LOCATION = "Location"
LSOA_CODE = "LSOA code"
LSOA_NAME = "LSOA name"
CRIME_TYPE = "Crime type"
OUTCOME = "Last outcome category"
REQUIRED_COLUMNS = (
    CRIME_ID,
    MONTH,
    REPORTED_BY,
    FALLS_WITHIN,
    LONGITUDE,
    LATITUDE,
    LOCATION,
    LSOA_CODE,
    LSOA_NAME,
    CRIME_TYPE,
    OUTCOME,
)
# The archive's folders also hold outcomes and stop-and-search files: not street-level rows.
OTHER_FILES = ("-outcomes.csv", "-stop-and-search.csv")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_NUMBER = re.compile(r"-?\d{1,3}(\.\d+)?")
# The United Kingdom with a margin: police.uk positions are snapped to nearby points.
LONGITUDES = (-11.0, 3.0)
LATITUDES = (49.0, 61.0)
FIRST_YEAR = 2010
LIMITS = {
    CRIME_ID: 64,
    REPORTED_BY: 100,
    FALLS_WITHIN: 100,
    LOCATION: 200,
    LSOA_CODE: 9,
    LSOA_NAME: 100,
    OUTCOME: 120,
}
CRIME_TYPES = {value.lower(): value for value in CrimeType.values}
# Problems listed in full; the rest are counted.
SHOWN_ERRORS = 200
BATCH_SIZE = 5000
PROGRESS_EVERY = 5000
MAX_UNPACKED_BYTES = 4 * 1024**3

logger = logging.getLogger(__name__)

# progress(stage, rows done, rows in all or None)
Progress = Callable[[str, int, "int | None"], None]


class InvalidCrimeFile(Exception):
    """The upload cannot be read at all (not a zip of CSV files, say)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class AlreadyApplied(Exception):
    """The upload was imported before."""


@dataclass(frozen=True)
class CrimeRow:
    month: datetime.date
    crime_id: str | None
    reported_by: str
    falls_within: str
    longitude: float | None
    latitude: float | None
    location: str
    lsoa_code: str
    lsoa_name: str
    crime_type: str
    outcome: str


@dataclass
class CrimeSummary:
    """What an upload holds (the preview) or what loading it did."""

    rows: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)
    files: list = field(default_factory=list)  # [name, rows]
    skipped_files: list = field(default_factory=list)
    months: dict = field(default_factory=dict)  # "YYYY-MM" -> {"crimes": n, "asb": n}
    types: Counter = field(default_factory=Counter)
    without_location: int = 0
    added: int = 0
    already_loaded: int = 0
    pruned_months: list = field(default_factory=list)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(message)

    def count(self, row: CrimeRow) -> None:
        self.rows += 1
        tally = self.months.setdefault(f"{row.month:%Y-%m}", {"crimes": 0, "asb": 0})
        tally["asb" if row.crime_type == CrimeType.ASB else "crimes"] += 1
        self.types[row.crime_type] += 1
        if row.longitude is None:
            self.without_location += 1

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": self.errors,
            "files": self.files,
            "skipped_files": self.skipped_files,
            "months": dict(sorted(self.months.items())),
            "types": dict(self.types.most_common()),
            "without_location": self.without_location,
            "added": self.added,
            "already_loaded": self.already_loaded,
            "pruned_months": self.pruned_months,
        }


# Reading.


def pack_upload(files: list[tuple[str, bytes]]) -> bytes:
    """Return the upload as one zip: a zip as it came, or the CSV files packed into one."""
    if len(files) == 1 and files[0][1][:4] == b"PK\x03\x04":
        return files[0][1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as packed:
        for number, (name, data) in enumerate(files, start=1):
            packed.writestr(f"{number:03d}-{PurePosixPath(name).name}", data)
    return buffer.getvalue()


def _members(archive: zipfile.ZipFile, summary: CrimeSummary) -> list[zipfile.ZipInfo]:
    members, size = [], 0
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or not name.lower().endswith(".csv"):
            continue
        if name.lower().endswith(OTHER_FILES):
            summary.skipped_files.append(_shown_name(name))
            continue
        size += info.file_size
        members.append(info)
    if size > MAX_UNPACKED_BYTES:
        raise InvalidCrimeFile(["The zip file unpacks to more than 4GB. Upload fewer months."])
    if not members:
        raise InvalidCrimeFile(
            ["The zip file holds no street-level CSV files (named like 2021-02-dorset-street.csv)."]
        )
    return members


def _shown_name(name: str) -> str:
    """Return a member's name as the uploader knows it (without the packing number)."""
    return re.sub(r"^\d{3}[-/]", "", name)


def read_rows(
    stored, summary: CrimeSummary, *, progress: Progress | None = None, total=None
) -> Iterator[CrimeRow]:
    """Yield every valid row of the stored upload (a zip); count problems into `summary`."""
    try:
        archive = zipfile.ZipFile(stored)
    except zipfile.BadZipFile as error:
        raise InvalidCrimeFile(["The file is not a CSV file or a zip of CSV files."]) from error
    with archive:
        for info in _members(archive, summary):
            name = _shown_name(info.filename)
            rows_before = summary.rows
            with archive.open(info) as member:
                yield from _read_member(member, name, summary, progress=progress, total=total)
            summary.files.append([name, summary.rows - rows_before])


def _read_member(member, name, summary, *, progress, total) -> Iterator[CrimeRow]:
    start = member.read(4096)
    if problem := why_not_csv_text(start):
        summary.error(f"{name}: {problem}")
        return
    text = io.TextIOWrapper(_Prefixed(start, member), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        if header is None:
            summary.error(f"{name}: the file is empty.")
            return
        index = {cell.strip().lower(): position for position, cell in enumerate(header)}
        missing = [column for column in REQUIRED_COLUMNS if column.lower() not in index]
        if missing:
            for column in missing:
                summary.error(
                    f'{name}, row 1: the file has no column called "{column}". Use the '
                    "street-level files of data.police.uk, which have it."
                )
            return
        positions = [index[column.lower()] for column in REQUIRED_COLUMNS]
        this_year = timezone.localdate().year
        width = len(header)
        for row_number, cells in enumerate(reader, start=2):
            if progress and (summary.rows + summary.error_count) % PROGRESS_EVERY == 0:
                progress("reading", summary.rows, total)
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                summary.error(
                    f"{name}, row {row_number}: it has {len(cells)} values but the header row "
                    f"has {width} columns."
                )
                continue
            values = [cells[p].strip() for p in positions]
            row = _read_row(name, row_number, values, summary, this_year)
            if row is not None:
                summary.count(row)
                yield row
    except (csv.Error, UnicodeDecodeError) as error:
        summary.error(f"{name}, row {reader.line_num + 1}: the file cannot be read ({error}).")


class _Prefixed(io.RawIOBase):
    """A member stream with its first bytes (read to sniff it) put back in front."""

    def __init__(self, start: bytes, rest):
        self._start, self._rest = start, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._start:
            size = min(len(buffer), len(self._start))
            buffer[:size], self._start = self._start[:size], self._start[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_row(name, row_number, values, summary, this_year) -> CrimeRow | None:
    (crime_id, month, reported_by, falls_within, lon, lat, location, lsoa_code, lsoa_name,
     crime_type, outcome) = values  # fmt: skip
    problems = []

    def problem(column, message):
        problems.append(f"{name}, row {row_number}, column {column}: {message}")

    for column, text in zip(REQUIRED_COLUMNS, values, strict=True):
        if column in LIMITS and len(text) > LIMITS[column]:
            problem(column, f"the value is longer than {LIMITS[column]} characters")
    first_day = None
    match = _MONTH.fullmatch(month)
    if not month:
        problem(MONTH, "the month is missing")
    elif not match or not 1 <= int(match[2]) <= 12:
        problem(MONTH, f"'{month}' is not a month in the form YYYY-MM")
    elif not FIRST_YEAR <= int(match[1]) <= this_year:
        problem(MONTH, f"'{month}' is not a month police.uk has published")
    else:
        first_day = datetime.date(int(match[1]), int(match[2]), 1)
    if not reported_by:
        problem(REPORTED_BY, "the force that reported it is missing")
    kind = CRIME_TYPES.get(crime_type.lower())
    if kind is None:
        problem(
            CRIME_TYPE,
            f"'{crime_type}' is not a police.uk crime type"
            if crime_type
            else "the crime type is missing",
        )
    longitude = latitude = None
    if lon or lat:
        longitude = _coordinate(lon, LONGITUDE, LONGITUDES, problem)
        latitude = _coordinate(lat, LATITUDE, LATITUDES, problem)
    if problems:
        for message in problems:
            summary.error(message)
        return None
    return CrimeRow(
        month=first_day,
        crime_id=crime_id or None,
        reported_by=reported_by,
        falls_within=falls_within,
        longitude=longitude,
        latitude=latitude,
        location=location,
        lsoa_code=lsoa_code,
        lsoa_name=lsoa_name,
        crime_type=kind,
        outcome=outcome,
    )


def _coordinate(text, column, bounds, problem) -> float | None:
    if not text:
        problem(
            column, "the value is missing (a row has both a longitude and a latitude, or neither)"
        )
        return None
    if not _NUMBER.fullmatch(text):
        problem(column, f"'{text}' is not a number")
        return None
    value = float(text)
    if not bounds[0] <= value <= bounds[1]:
        problem(column, f"'{text}' is outside the United Kingdom")
        return None
    return value


def check_upload(stored, *, progress: Progress | None = None) -> CrimeSummary:
    """Read every row of a stored upload, saving nothing; return what it holds and its problems."""
    summary = CrimeSummary()
    try:
        for _row in read_rows(stored, summary, progress=progress):
            pass
    except InvalidCrimeFile as error:
        for message in error.errors:
            summary.error(message)
    if not summary.error_count and not summary.rows:
        summary.error("The files have a header row but no crimes under it.")
    return summary


# Loading.


def _to_grid():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def _records(rows: Iterator[CrimeRow], force_id: int) -> Iterator[list[tuple]]:
    """Yield batches of column tuples (COLUMNS order), with keys and grid references."""
    to_grid = _to_grid()
    seen = Counter()
    batch = []

    def flush():
        placed = [record for record in batch if record[5] is not None]
        if placed:
            eastings, northings = to_grid.transform(
                [record[5] for record in placed], [record[6] for record in placed]
            )
            grid = iter(zip(eastings, northings, strict=True))
        out = []
        for record in batch:
            easting = northing = cell = None
            if record[5] is not None:
                easting, northing = (round(value) for value in next(grid))
                cell = cell_of(easting, northing)
            out.append((*record[:7], easting, northing, cell, *record[7:]))
        return out

    for row in rows:
        if row.crime_id:
            key = row.crime_id
        else:
            identity = (row.month, row.longitude, row.latitude, row.location, row.crime_type)
            seen[identity] += 1
            text = "|".join(str(part) for part in (*identity, seen[identity]))
            key = hashlib.sha256(text.encode()).hexdigest()
        batch.append(
            (
                force_id,
                row.month,
                row.crime_id,
                key,
                row.reported_by,
                row.longitude,
                row.latitude,
                row.falls_within,
                row.location,
                row.lsoa_code,
                row.lsoa_name,
                row.crime_type,
                row.outcome,
            )
        )
        if len(batch) >= BATCH_SIZE:
            yield flush()
            batch = []
    if batch:
        yield flush()


COLUMNS = (
    "force_id",
    "month",
    "crime_id",
    "dedupe_key",
    "reported_by",
    "longitude",
    "latitude",
    "easting",
    "northing",
    "cell",
    "falls_within",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "outcome",
)


def _write_postgresql(batches, progress, total) -> None:
    """COPY the rows into a staging table, then insert those not loaded before."""
    table = StreetCrime._meta.db_table
    columns = ", ".join(COLUMNS)
    done = 0
    with connection.cursor() as cursor:
        # A staging table left by an earlier load in this same transaction (tests) goes first.
        cursor.execute("DROP TABLE IF EXISTS street_crime_staging")
        cursor.execute(
            f"CREATE TEMPORARY TABLE street_crime_staging (LIKE {table} INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        cursor.execute("ALTER TABLE street_crime_staging DROP COLUMN id")
        for batch in batches:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for record in batch:
                writer.writerow(["\\N" if value is None else value for value in record])
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY street_crime_staging ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
            done += len(batch)
            if progress:
                progress("saving", done, total)
        # Table and column names come from the model, never from the file.
        insert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM street_crime_staging "  # noqa: S608
        cursor.execute(insert + "ON CONFLICT (force_id, dedupe_key) DO NOTHING")


def _write_in_batches(batches, progress, total) -> None:
    done = 0
    for batch in batches:
        StreetCrime.objects.bulk_create(
            [StreetCrime(**dict(zip(COLUMNS, record, strict=True))) for record in batch],
            ignore_conflicts=True,
        )
        done += len(batch)
        if progress:
            progress("saving", done, total)


def load_upload(
    stored,
    *,
    force: Force,
    actor: User | None = None,
    crime_import: CrimeImport | None = None,
    request=None,
    now=None,
    progress: Progress | None = None,
    total: int | None = None,
) -> CrimeSummary:
    """Load every row of the upload into the force's crime rows, all or nothing.

    Rows loaded before (by crime ID, or by the ASB key) are skipped; months older than the
    force keeps are removed. Nothing is saved if any row has a problem.
    """
    now = now or timezone.now()
    summary = CrimeSummary()
    crimes = StreetCrime.objects.filter(force=force)
    with transaction.atomic():
        before = crimes.count()
        batches = _records(read_rows(stored, summary, progress=progress, total=total), force.pk)
        write = _write_postgresql if connection.vendor == "postgresql" else _write_in_batches
        try:
            write(batches, progress, total)
        except InvalidCrimeFile as error:
            for message in error.errors:
                summary.error(message)
        if summary.error_count or not summary.rows:
            if not summary.error_count:
                summary.error("The files have a header row but no crimes under it.")
            transaction.set_rollback(True)
            return summary
        summary.added = crimes.count() - before
        summary.already_loaded = summary.rows - summary.added
        months = [datetime.date.fromisoformat(f"{month}-01") for month in summary.months]
        _record_months(force, months, now=now)
        summary.pruned_months = prune(force, now=now)
        caching.invalidate_on_commit(caching.EVERYTHING, force.pk)
        audit.record(
            "localcrime.street_crime.imported",
            actor=actor,
            target=crime_import if crime_import is not None else force,
            force=force,
            changes={
                "rows": summary.rows,
                "added": summary.added,
                "already_loaded": summary.already_loaded,
                "months": sorted(summary.months),
                "pruned_months": summary.pruned_months,
            },
            request=request,
        )
        force_pk = force.pk
        transaction.on_commit(lambda: queue_refresh(force_pk))
    return summary


def _record_months(force: Force, months: list[datetime.date], *, now) -> None:
    """Count each loaded month's crimes and ASB afresh and record the month as loaded."""
    counts = (
        StreetCrime.objects.filter(force=force, month__in=months)
        .values("month")
        .annotate(
            asb=Count("pk", filter=Q(crime_type=CrimeType.ASB)),
            crimes=Count("pk", filter=~Q(crime_type=CrimeType.ASB)),
        )
    )
    LoadedMonth.objects.bulk_create(
        [
            LoadedMonth(
                force=force,
                month=item["month"],
                crimes=item["crimes"],
                asb=item["asb"],
                loaded_at=now,
            )
            for item in counts
        ],
        update_conflicts=True,
        unique_fields=["force", "month"],
        update_fields=["crimes", "asb", "loaded_at"],
    )


def prune(force: Force, *, now=None) -> list[str]:
    """Remove the months older than the force keeps (counted back from its latest month)."""
    latest = LoadedMonth.objects.filter(force=force).order_by("-month").first()
    if latest is None:
        return []
    keep = LocalCrimeSettings.of(force.pk).retention_months
    cutoff = latest.month - relativedelta(months=keep - 1)
    old = LoadedMonth.objects.filter(force=force, month__lt=cutoff)
    pruned = [f"{month:%Y-%m}" for month in old.values_list("month", flat=True)]
    StreetCrime.objects.filter(force=force, month__lt=cutoff).delete()
    old.delete()
    return sorted(pruned)


def queue_refresh(force_pk: int) -> None:
    """Count the figures near the force's schools again, in the task queue."""
    from .tasks import refresh_school_figures

    try:
        refresh_school_figures.delay(force_pk)
    except Exception:  # noqa: BLE001 - the figures are refreshed at the next load or by hand
        logger.warning("Could not queue the local crime figures of force %s", force_pk)


# Uploads through the web page.


def crime_import_upload(
    *, force: Force, uploaded_by: User, files: list[tuple[str, bytes]], original_name: str
) -> CrimeImport:
    """Store an upload (packed as one zip) and check it in a task after the commit."""
    from .tasks import check_crime_import

    crime_import = CrimeImport(
        force=force,
        uploaded_by=uploaded_by,
        original_name=original_name[:200],
        status=CrimeImport.Status.CHECKING,
    )
    with transaction.atomic():
        crime_import.file.save(
            f"street-{uuid.uuid4().hex}.zip", ContentFile(pack_upload(files)), save=False
        )
        crime_import.save()
        audit.record(
            "localcrime.street_crime.uploaded",
            actor=uploaded_by,
            target=crime_import,
            force=force,
            changes={"files": [name for name, _ in files]},
        )
        report_progress(crime_import.pk, "queued")
        pk = crime_import.pk
        transaction.on_commit(lambda: _queue(check_crime_import, pk))
    return crime_import


def crime_import_check(crime_import_pk: int) -> CrimeSummary | None:
    """Read a stored upload in full and store its preview; return None if it is not waiting."""
    crime_import = CrimeImport.objects.filter(
        pk=crime_import_pk, status=CrimeImport.Status.CHECKING
    ).first()
    if crime_import is None:
        return None

    def progress(stage, done, total):
        report_progress(crime_import_pk, stage, done, total)

    try:
        with crime_import.file.open("rb") as stored:
            summary = check_upload(stored, progress=progress)
    except FileNotFoundError:
        summary = CrimeSummary()
        summary.error("The uploaded file is no longer stored. Upload it again.")
    CrimeImport.objects.filter(pk=crime_import_pk, status=CrimeImport.Status.CHECKING).update(
        status=CrimeImport.Status.FAILED if summary.error_count else CrimeImport.Status.PREVIEWED,
        preview=summary.as_json(),
        updated=timezone.now(),
    )
    return summary


def crime_import_queue(crime_import: CrimeImport, *, by: User, request=None) -> CrimeImport:
    """Confirm a previewed upload: mark it importing and load it in a task after the commit."""
    from .tasks import apply_crime_import

    with transaction.atomic():
        crime_import = CrimeImport.objects.select_for_update().get(pk=crime_import.pk)
        if crime_import.status == CrimeImport.Status.APPLIED:
            raise AlreadyApplied
        if crime_import.status != CrimeImport.Status.PREVIEWED:
            return crime_import
        crime_import.status = CrimeImport.Status.IMPORTING
        crime_import.save(update_fields=["status", "updated"])
        audit.record(
            "localcrime.street_crime.confirmed",
            actor=by,
            target=crime_import,
            force=crime_import.force,
            request=request,
        )
        report_progress(crime_import.pk, "queued")
        pk, by_pk = crime_import.pk, by.pk
        transaction.on_commit(lambda: _queue(apply_crime_import, pk, by_pk))
    return crime_import


def crime_import_apply(crime_import_pk: int, *, by: User, now=None) -> CrimeSummary | None:
    """Load a confirmed upload once, all or nothing; None if it is not waiting to be loaded."""
    now = now or timezone.now()
    with transaction.atomic():
        crime_import = (
            CrimeImport.objects.select_for_update()
            .select_related("force")
            .filter(pk=crime_import_pk, status=CrimeImport.Status.IMPORTING)
            .first()
        )
        if crime_import is None:
            return None

        def progress(stage, done, total):
            report_progress(crime_import_pk, stage, done, total)

        with crime_import.file.open("rb") as stored:
            summary = load_upload(
                stored,
                force=crime_import.force,
                actor=by,
                crime_import=crime_import,
                now=now,
                progress=progress,
                total=crime_import.preview.get("rows"),
            )
        crime_import.summary = summary.as_json()
        if summary.error_count:
            crime_import.status = CrimeImport.Status.FAILED
        else:
            crime_import.status = CrimeImport.Status.APPLIED
            crime_import.applied_at = now
        crime_import.save(update_fields=["summary", "status", "applied_at", "updated"])
        if not summary.error_count:
            transaction.on_commit(lambda: _forget_file(crime_import_pk))
    return summary


def _forget_file(crime_import_pk: int) -> None:
    """Drop a loaded upload's file: its rows are in the database now."""
    crime_import = CrimeImport.objects.get(pk=crime_import_pk)
    if crime_import.file:
        crime_import.file.delete(save=False)
        CrimeImport.objects.filter(pk=crime_import_pk).update(file="")


def _queue(task, crime_import_pk: int, *args) -> None:
    try:
        task.delay(crime_import_pk, *args)
    except Exception:  # noqa: BLE001 - any broker failure; nothing has been changed yet
        logger.warning("Could not queue %s for crime import %s", task.name, crime_import_pk)
        crime_import_fail(
            crime_import_pk,
            reason="The work could not be started, so nothing was changed. "
            "Try again in a few minutes.",
        )


def crime_import_fail(crime_import_pk: int, *, reason: str) -> None:
    """Record that a check or a load stopped before it finished; it saved nothing."""
    failed = CrimeSummary()
    failed.error(reason)
    imports = CrimeImport.objects.filter(pk=crime_import_pk)
    now = timezone.now()
    imports.filter(status=CrimeImport.Status.CHECKING).update(
        status=CrimeImport.Status.FAILED, preview=failed.as_json(), updated=now
    )
    imports.filter(status=CrimeImport.Status.IMPORTING).update(
        status=CrimeImport.Status.FAILED, summary=failed.as_json(), updated=now
    )


# Progress, kept in the cache: the load's transaction is invisible to others until it commits.
PROGRESS_STAGES = {
    "queued": "Waiting to start",
    "reading": "Reading the files",
    "saving": "Saving the rows",
}


def _progress_key(crime_import_pk: int) -> str:
    return f"localcrime:import-progress:{crime_import_pk}"


def report_progress(crime_import_pk: int, stage: str, done: int = 0, total=None) -> None:
    try:
        cache.set(
            _progress_key(crime_import_pk),
            {"stage": stage, "done": done, "total": total},
            timeout=60 * 60,
        )
    except caching.CACHE_ERRORS:
        logger.warning("Cannot record the progress of crime import %s", crime_import_pk)


def import_progress(crime_import: CrimeImport) -> dict:
    try:
        progress = cache.get(_progress_key(crime_import.pk))
    except caching.CACHE_ERRORS:
        progress = None
    progress = progress or {"stage": "queued", "done": 0, "total": None}
    percent = None
    if progress.get("total"):
        percent = min(100, round(100 * progress["done"] / progress["total"]))
    return {
        **progress,
        "percent": percent,
        "label": PROGRESS_STAGES.get(progress["stage"], "Importing"),
    }
