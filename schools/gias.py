"""Read a GIAS establishment extract and bring a force's school register up to date with it.

`read_gias` is pure: bytes in, validated rows out (or every problem found, each naming its row
and column). `apply_gias` matches the rows to the force's schools by URN and creates, updates
and closes schools in one transaction, in bulk, so that a national extract takes seconds.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import audit, caching
from accounts.models import Force, Organisation, User
from accounts.uploads import why_not_csv_text

from .models import GiasImport, School

# The published header names (DfE's "all establishment data" extract).
URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
TYPE_GROUP = "EstablishmentTypeGroup (name)"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
LOW_AGE = "StatutoryLowAge"
HIGH_AGE = "StatutoryHighAge"
PUPILS = "NumberOfPupils"
STREET = "Street"
LOCALITY = "Locality"
ADDRESS3 = "Address3"
TOWN = "Town"
POSTCODE = "Postcode"
TELEPHONE = "TelephoneNum"
WEBSITE = "SchoolWebsite"
HEAD_TITLE = "HeadTitle (name)"
HEAD_FIRST_NAME = "HeadFirstName"
HEAD_LAST_NAME = "HeadLastName"
OPEN_DATE = "OpenDate"
CLOSE_DATE = "CloseDate"
EASTING = "Easting"
NORTHING = "Northing"
LSOA_CODE = "LSOA (code)"

REQUIRED_COLUMNS = (URN, LA_CODE, LA_NAME, NAME, TYPE, STATUS, PHASE)

# School field -> the columns it is read from. A field whose columns are all absent from a
# file is left as it is, so an extract without (say) head teachers does not blank them.
FIELD_COLUMNS = {
    "name": (NAME,),
    "establishment_type": (TYPE,),
    "type_group": (TYPE_GROUP,),
    "phase": (PHASE,),
    "status": (STATUS,),
    "statutory_low_age": (LOW_AGE,),
    "statutory_high_age": (HIGH_AGE,),
    "number_of_pupils": (PUPILS,),
    "la_code": (LA_CODE,),
    "la_name": (LA_NAME,),
    "street": (STREET,),
    "locality": (LOCALITY, ADDRESS3),
    "town": (TOWN,),
    "postcode": (POSTCODE,),
    "telephone": (TELEPHONE,),
    "website": (WEBSITE,),
    "headteacher_name": (HEAD_TITLE, HEAD_FIRST_NAME, HEAD_LAST_NAME),
    "opened_on": (OPEN_DATE,),
    "closed_on": (CLOSE_DATE,),
    "easting": (EASTING, NORTHING),
    "northing": (EASTING, NORTHING),
    "lsoa_code": (LSOA_CODE,),
    # Converted from the grid reference (add_latitude_longitude), never read from a column.
    "latitude": (EASTING, NORTHING),
    "longitude": (EASTING, NORTHING),
}


def normalise_label(text: str) -> str:
    """Return a label as compared: lower case, with hyphens, commas and runs of spaces as one space.

    Older EduBase and other-year GIAS extracts write "All Through", "all-through" or
    "16 Plus" where today's extract writes "All-through" and "16 plus".
    """
    return " ".join(re.sub(r"[-_,/]+", " ", text.lower()).split())


# The one table of label spellings that older EduBase and other-year extracts use and that
# normalising alone does not reach, each mapped to today's GIAS code. Today's own labels are
# read from the model's choices.
LABEL_VARIANTS = {
    STATUS: {
        "Open, proposed to close": School.Status.PROPOSED_TO_CLOSE,
        "Proposed to close": School.Status.PROPOSED_TO_CLOSE,
    },
    PHASE: {
        "Allthrough": School.Phase.ALL_THROUGH,
        "Sixteen plus": School.Phase.SIXTEEN_PLUS,
        "16+": School.Phase.SIXTEEN_PLUS,
        "Post 16": School.Phase.SIXTEEN_PLUS,
        "Middle deemed primary school": School.Phase.MIDDLE_PRIMARY,
        "Middle deemed secondary school": School.Phase.MIDDLE_SECONDARY,
        "N/A": School.Phase.NOT_APPLICABLE,
    },
}


def _known_labels(column: str, choices) -> dict:
    """Return {normalised label: code} for a column: today's labels, then the variants."""
    known = {normalise_label(label): code for code, label in choices}
    known.update({normalise_label(label): code for label, code in LABEL_VARIANTS[column].items()})
    return known


STATUSES = _known_labels(STATUS, School.Status.choices)
PHASES = _known_labels(PHASE, School.Phase.choices)
# What statistical releases and older extracts write where a small number is withheld.
SUPPRESSED = {"x", "c", "z", "u", "~", "*", "..", ":", "-", "#", "supp", "suppressed", "n/a", "na"}

MAX_URN = 2_147_483_647
MAX_SMALL = 32_767
_DATE = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_WHOLE_NUMBER = re.compile(r"\d+")
_LSOA_CODE = re.compile(r"[EW]0\d{7}")
# The British National Grid's extent in metres (easting, northing).
GRID_LIMITS = {EASTING: 700_000, NORTHING: 1_300_000}
BATCH_SIZE = 500
# The preview lists this many changes (and counts them all).
PREVIEW_ROWS = 50
# How often (in rows) a long import reports how far it has got.
PROGRESS_EVERY = 1000

logger = logging.getLogger(__name__)

# progress(stage, rows done, rows in all or None): "reading", "checking" or "saving".
Progress = Callable[[str, int, "int | None"], None]


def _c1_as_latin1(error):
    """Decode the five bytes Windows-1252 leaves undefined as their Latin-1 characters."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("gias_latin1", _c1_as_latin1)


class InvalidGiasFile(Exception):
    """The file cannot be imported; `errors` lists every problem found, in plain English."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problems in the GIAS file")


class AlreadyApplied(Exception):
    """The upload was imported before; importing it again would do nothing."""


@dataclass(frozen=True)
class GiasRow:
    """One establishment of the extract, validated; `fields` holds School field values."""

    row_number: int
    urn: int
    la_code: str
    fields: dict
    # Values of optional columns that could not be read, each left out of `fields`.
    warnings: tuple = ()

    @property
    def name(self) -> str:
        return self.fields["name"]


def decode_gias(data: bytes) -> str:
    """Return the text of the file: UTF-8 (with or without BOM), else Windows-1252 as published."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="gias_latin1")


def _where(row_number: int, column: str) -> str:
    return f"Row {row_number}, column {column}"


def _read_header(reader) -> tuple[list[str], dict]:
    """Return the header row and each column's position by lower-case name, or raise."""
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise InvalidGiasFile(["The file is empty."])
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    index = {}
    for position, name in enumerate(header):
        index.setdefault(name.lower(), position)
    missing = [name for name in REQUIRED_COLUMNS if name.lower() not in index]
    if missing:
        raise InvalidGiasFile(
            [
                f'Row 1: the file has no column called "{name}". Use the establishment '
                "extract from Get Information about Schools, which has it."
                for name in missing
            ]
        )
    return header, index


def check_gias_header(data: bytes) -> None:
    """Raise InvalidGiasFile if the file is not CSV text or its header lacks a needed column.

    This reads only the start of the file, so a large upload can be checked in the request
    and read in full by a task.
    """
    if problem := why_not_csv_text(data):
        raise InvalidGiasFile([problem])
    first_line = data[: data.find(b"\n") + 1 or 65536]
    try:
        _read_header(csv.reader(io.StringIO(decode_gias(first_line), newline="")))
    except csv.Error as error:
        raise InvalidGiasFile([f"Row 1: the file cannot be read as CSV ({error})."]) from error


def read_gias(data: bytes, *, progress: Progress | None = None) -> list[GiasRow]:
    """Return the rows of a GIAS extract, or raise InvalidGiasFile listing every problem."""
    if problem := why_not_csv_text(data):
        raise InvalidGiasFile([problem])
    text = decode_gias(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header, index = _read_header(reader)
        names = {URN, *(name for group in FIELD_COLUMNS.values() for name in group)}
        columns = {name: index.get(name.lower()) for name in names}
        rows, errors, seen = [], [], {}
        for row_number, cells in enumerate(reader, start=2):
            if progress and row_number % PROGRESS_EVERY == 0:
                progress("reading", row_number - 1, None)
            if not any(cell.strip() for cell in cells):
                continue
            extra = cells[len(header) :]
            if len(cells) < len(header) or any(cell.strip() for cell in extra):
                errors.append(
                    f"Row {row_number}: it has {len(cells)} values but the header row has "
                    f"{len(header)} columns. Check the row's quotation marks."
                )
                continue
            row = _read_row(row_number, cells, columns, errors, seen)
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        raise InvalidGiasFile(
            [f"Row {reader.line_num}: the file cannot be read as CSV ({error})."]
        ) from error
    if errors:
        raise InvalidGiasFile(errors)
    if not rows:
        raise InvalidGiasFile(["The file has a header row but no schools under it."])
    add_latitude_longitude(rows)
    return rows


def _read_row(row_number, cells, columns, errors, seen) -> GiasRow | None:
    """Validate one row; append its problems to `errors` and return None if it has any.

    A value that cannot be read in an optional column is not a problem but a warning: the
    value is left out of the row (a new school has none, a school we hold keeps its own).
    """
    problems, warnings, left_out = [], [], set()

    def value(column):
        position = columns[column]
        return cells[position].strip() if position is not None else ""

    def present(field_name):
        return any(columns[column] is not None for column in FIELD_COLUMNS[field_name])

    def problem(column, message):
        problems.append(f"{_where(row_number, column)}: {message}")

    def unreadable(column, text, message):
        """Warn about an optional column's value and leave it out."""
        if text.lower() in SUPPRESSED:
            message = f"'{text}' marks a value withheld in the extract"
        warnings.append(f"{_where(row_number, column)}: {message}, so it is left out")
        left_out.add(column)

    def required(column):
        text = value(column)
        if not text:
            problem(column, "the value is missing")
        return text

    def whole_number(column, maximum):
        text = value(column)
        if not text:
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            unreadable(column, text, f"'{text}' is not a whole number")
            return None
        if int(text) > maximum:
            unreadable(column, text, f"'{text}' is too large")
            return None
        return int(text)

    def date(column):
        text = value(column)
        if not text:
            return None
        match = _DATE.fullmatch(text)
        if not match:
            unreadable(column, text, f"'{text}' is not a date in the form dd-mm-yyyy")
            return None
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            unreadable(column, text, f"'{text}' is not a real date")
            return None

    def choice(column, choices, kind):
        text = value(column)
        if not text:
            problem(column, "the value is missing")
            return None
        if normalise_label(text) not in choices:
            known = ", ".join(f"'{label}'" for label in _labels(choices))
            problem(column, f"'{text}' is not a {kind} we know (expected one of {known})")
            return None
        return choices[normalise_label(text)]

    urn_text = value(URN)
    urn = None
    if not urn_text:
        problem(URN, "the URN is missing")
    elif not _WHOLE_NUMBER.fullmatch(urn_text):
        problem(URN, f"'{urn_text}' is not a number")
    elif not 0 < int(urn_text) <= MAX_URN:
        problem(URN, f"'{urn_text}' is not a valid URN")
    elif int(urn_text) in seen:
        problem(URN, f"URN {int(urn_text)} is also in row {seen[int(urn_text)]}")
    else:
        urn = int(urn_text)
        seen[urn] = row_number

    fields = {
        "name": required(NAME),
        "establishment_type": required(TYPE),
        "la_code": required(LA_CODE),
        "la_name": required(LA_NAME),
        "status": choice(STATUS, STATUSES, "status"),
        "phase": choice(PHASE, PHASES, "phase of education"),
        "type_group": value(TYPE_GROUP),
        "statutory_low_age": whole_number(LOW_AGE, MAX_SMALL),
        "statutory_high_age": whole_number(HIGH_AGE, MAX_SMALL),
        "number_of_pupils": whole_number(PUPILS, MAX_URN),
        "street": value(STREET),
        "locality": ", ".join(part for part in (value(LOCALITY), value(ADDRESS3)) if part),
        "town": value(TOWN),
        "postcode": value(POSTCODE),
        "telephone": value(TELEPHONE),
        "website": value(WEBSITE),
        "headteacher_name": _headteacher_name(
            value(HEAD_TITLE), value(HEAD_FIRST_NAME), value(HEAD_LAST_NAME)
        ),
        "opened_on": date(OPEN_DATE),
        "closed_on": date(CLOSE_DATE),
    }
    fields.update(_position(value, unreadable))
    low, high = fields["statutory_low_age"], fields["statutory_high_age"]
    if low is not None and high is not None and low > high:
        unreadable(HIGH_AGE, "", f"the highest age ({high}) is lower than the lowest age ({low})")
    if left_out & {LOW_AGE, HIGH_AGE}:
        # The ages go together: one without the other could contradict the one we hold.
        left_out |= {LOW_AGE, HIGH_AGE}
    for field_name, text in fields.items():
        limit = School._meta.get_field(field_name).max_length
        if limit and isinstance(text, str) and len(text) > limit:
            columns_read = FIELD_COLUMNS[field_name]
            message = f"the value is longer than {limit} characters"
            if set(columns_read) & set(REQUIRED_COLUMNS):
                problem(" and ".join(columns_read), message)
            else:
                unreadable(" and ".join(columns_read), "", message)
                left_out.update(columns_read)

    if problems:
        errors.extend(problems)
        return None
    return GiasRow(
        row_number=row_number,
        urn=urn,
        la_code=fields["la_code"],
        fields={
            name: v
            for name, v in fields.items()
            if present(name) and not left_out.intersection(FIELD_COLUMNS[name])
        },
        warnings=tuple(warnings),
    )


def _position(value, unreadable) -> dict:
    """Return the school's grid reference and LSOA code (a value that cannot be read is left
    out with a warning; the two grid figures go together)."""
    grid = {}
    for column in (EASTING, NORTHING):
        text = value(column)
        if not text:
            continue
        if not _WHOLE_NUMBER.fullmatch(text) or not 0 < int(text) <= GRID_LIMITS[column]:
            unreadable(column, text, f"'{text}' is not a British National Grid {column.lower()}")
        else:
            grid[column] = int(text)
    if len(grid) != 2:
        grid = {}
    lsoa = value(LSOA_CODE).upper()
    if lsoa and not _LSOA_CODE.fullmatch(lsoa):
        unreadable(LSOA_CODE, lsoa, f"'{lsoa}' is not an LSOA code")
        lsoa = ""
    return {
        "easting": grid.get(EASTING),
        "northing": grid.get(NORTHING),
        "lsoa_code": lsoa,
        "latitude": None,
        "longitude": None,
    }


def add_latitude_longitude(rows: list[GiasRow]) -> None:
    """Convert each row's grid reference to latitude and longitude (WGS84), all at once."""
    from pyproj import Transformer

    placed = [row for row in rows if row.fields.get("easting") and row.fields.get("northing")]
    if not placed:
        return
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    longitudes, latitudes = to_wgs84.transform(
        [row.fields["easting"] for row in placed], [row.fields["northing"] for row in placed]
    )
    for row, longitude, latitude in zip(placed, longitudes, latitudes, strict=True):
        row.fields["latitude"] = round(latitude, 6)
        row.fields["longitude"] = round(longitude, 6)


def _labels(choices: dict) -> list[str]:
    """Return today's label of each code the column knows, once each."""
    labels = dict(School.Status.choices + School.Phase.choices)
    return [labels[value] for value in dict.fromkeys(choices.values())]


def _headteacher_name(title: str, first_name: str, last_name: str) -> str:
    if title.lower() in {"not applicable", "n/a"}:
        title = ""
    if not (first_name or last_name):
        return ""
    return " ".join(part for part in (title, first_name, last_name) if part)


# Applying.


@dataclass(frozen=True)
class Change:
    """One school the import creates, updates or closes, as the preview lists it."""

    kind: str  # "new", "updated" or "closed"
    urn: int
    name: str
    fields: tuple = ()  # (label, old, new) for updates and closures
    note: str = ""  # for a new school: its status, unless open

    @property
    def kind_label(self) -> str:
        return {"new": "New school", "updated": "Updated", "closed": "Closed"}[self.kind]


@dataclass
class GiasSummary:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "closed": self.closed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def as_json(self) -> dict:
        return {
            **self.counts(),
            "error_messages": list(self.errors),
            "warning_messages": list(self.warnings),
        }

    def preview_json(self, *, rows: int) -> dict:
        """Return the summary with its first `rows` changes, to show a preview worked out before."""
        return {
            **self.as_json(),
            "changes": [
                {
                    "kind": change.kind,
                    "urn": change.urn,
                    "name": change.name,
                    "fields": [list(item) for item in change.fields],
                    "note": change.note,
                }
                for change in self.changes[:rows]
            ],
        }

    @classmethod
    def from_preview_json(cls, data: dict) -> "GiasSummary":
        return cls(
            created=data["created"],
            updated=data["updated"],
            closed=data["closed"],
            unchanged=data["unchanged"],
            skipped=data["skipped"],
            errors=list(data["error_messages"]),
            warnings=list(data["warning_messages"]),
            changes=[
                Change(c["kind"], c["urn"], c["name"], tuple(map(tuple, c["fields"])), c["note"])
                for c in data["changes"]
            ],
        )

    @property
    def change_count(self) -> int:
        return self.created + self.updated + self.closed

    def __str__(self):
        return ", ".join(f"{name} {count}" for name, count in self.counts().items())


@dataclass
class _Plan:
    summary: GiasSummary
    new_rows: list = field(default_factory=list)
    updates: list = field(default_factory=list)  # (school, {field: new value})
    closed_urns: list = field(default_factory=list)


def _display(field_name: str, value) -> str:
    if value is None or value == "":
        return "blank"
    if field_name == "status":
        return School.Status(value).label
    if field_name == "phase":
        return School.Phase(value).label
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _label(field_name: str) -> str:
    verbose = str(School._meta.get_field(field_name).verbose_name)
    return verbose[0].upper() + verbose[1:] if verbose != "URN" else verbose


def _urns_of_other_forces(urns: set[int], force: Force) -> set[int]:
    other = School.objects.exclude(force=force).values_list("urn", flat=True)
    return urns.intersection(other.iterator(chunk_size=5000))


def _plan(rows: list[GiasRow], *, force: Force, la_codes, today, progress=None) -> _Plan:
    codes = {str(code).strip() for code in la_codes}
    plan = _Plan(summary=GiasSummary())
    summary = plan.summary
    in_scope = [row for row in rows if row.la_code in codes]
    summary.skipped = len(rows) - len(in_scope)
    elsewhere = _urns_of_other_forces({row.urn for row in in_scope}, force)
    existing = {
        school.urn: school
        for school in School.objects.filter(force=force).select_related("organisation")
    }
    for done, row in enumerate(in_scope):
        if progress and done % PROGRESS_EVERY == 0:
            progress("checking", done, len(in_scope))
        summary.warnings.extend(row.warnings)
        if row.urn in elsewhere:
            summary.errors.append(
                f"{_where(row.row_number, URN)}: URN {row.urn} belongs to a school of another "
                "force, so it cannot be imported here"
            )
            continue
        school = existing.get(row.urn)
        if school is None:
            plan.new_rows.append(row)
            summary.created += 1
            status = row.fields["status"]
            note = "" if status == School.Status.OPEN else School.Status(status).label.lower()
            summary.changes.append(Change("new", row.urn, row.name, note=note))
            continue
        wanted = dict(row.fields)
        if wanted.get("status") == School.Status.CLOSED and not wanted.get("closed_on"):
            # GIAS gave no date: keep the one we have, or record the day we learnt of it.
            wanted["closed_on"] = school.closed_on or today
        changed = {name: new for name, new in wanted.items() if getattr(school, name) != new}
        if not changed:
            summary.unchanged += 1
            continue
        closing = changed.get("status") == School.Status.CLOSED
        kind = "closed" if closing else "updated"
        if closing:
            summary.closed += 1
            plan.closed_urns.append(row.urn)
        else:
            summary.updated += 1
        plan.updates.append((school, changed))
        summary.changes.append(
            Change(
                kind,
                row.urn,
                row.name,
                tuple(
                    (_label(name), _display(name, getattr(school, name)), _display(name, new))
                    for name, new in changed.items()
                ),
            )
        )
    return plan


def _organisation_name(name: str, town: str, urn: int, taken: set[str]) -> str:
    """Return a school organisation name unique in the force: the name, else with town or URN."""
    limit = Organisation._meta.get_field("name").max_length
    suffixes = ["", f", {town}" if town else None, f" (URN {urn})"]
    suffixes += [f" (URN {urn}, {n})" for n in range(2, 100)]
    for suffix in suffixes:
        if suffix is None:
            continue
        candidate = name[: limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise ValueError(f"No free organisation name for URN {urn}")


def apply_gias(
    rows: list[GiasRow],
    *,
    force: Force,
    la_codes=None,
    actor: User | None = None,
    gias_import: GiasImport | None = None,
    dry_run: bool = False,
    request=None,
    now=None,
    progress: Progress | None = None,
) -> GiasSummary:
    """Create, update and close the force's schools from the rows of its local authorities.

    Rows of other local authorities are skipped. A school missing from the file is left as it
    is: an extract may be partial. Nothing is saved if there is any error, or in a dry run.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    la_codes = force.home_la_codes if la_codes is None else la_codes
    with transaction.atomic():
        plan = _plan(rows, force=force, la_codes=la_codes, today=today, progress=progress)
        summary = plan.summary
        if summary.errors or dry_run:
            return summary
        if progress:
            progress("saving", summary.created + summary.updated + summary.closed, None)
        _write(plan, force=force, now=now, today=today)
        # Bulk writes send no signals: clear everything cached for the force (lists, figures).
        caching.invalidate_on_commit(caching.EVERYTHING, force.pk)
        audit.record(
            "schools.gias.imported",
            actor=actor,
            target=gias_import if gias_import is not None else force,
            force=force,
            changes={
                **summary.counts(),
                "la_codes": sorted(str(code) for code in la_codes),
                "closed_urns": plan.closed_urns,
            },
            request=request,
        )
    return summary


def _write(plan: _Plan, *, force: Force, now, today) -> None:
    school_orgs = Organisation.objects.filter(force=force, kind=Organisation.Kind.SCHOOL)
    taken = set(school_orgs.values_list("name", flat=True))
    # An organisation set up by hand before its school was imported is linked, not duplicated.
    unlinked = {org.name: org for org in school_orgs.filter(school__isnull=True)}

    renamed = []
    for school, changed in plan.updates:
        for name, new in changed.items():
            setattr(school, name, new)
        school.updated = now
        org = school.organisation
        if "name" in changed and org.name != school.name:
            org.name = _organisation_name(school.name, school.town, school.urn, taken)
            org.updated = now
            taken.add(org.name)
            renamed.append(org)

    new_orgs, new_schools = [], []
    for row in plan.new_rows:
        org = unlinked.pop(row.name, None)
        if org is None:
            org_name = _organisation_name(row.name, row.fields.get("town", ""), row.urn, taken)
            taken.add(org_name)
            org = Organisation(force=force, kind=Organisation.Kind.SCHOOL, name=org_name)
            new_orgs.append(org)
        school = School(force=force, organisation=org, urn=row.urn, **row.fields)
        if school.status == School.Status.CLOSED and school.closed_on is None:
            school.closed_on = today
        new_schools.append(school)

    if renamed:
        Organisation.objects.bulk_update(renamed, ["name", "updated"], batch_size=BATCH_SIZE)
    Organisation.objects.bulk_create(new_orgs, batch_size=BATCH_SIZE)
    if any(org.pk is None for org in new_orgs):  # a backend that cannot return new keys
        ids = dict(
            school_orgs.filter(name__in=[org.name for org in new_orgs]).values_list("name", "pk")
        )
        for org in new_orgs:
            org.pk = ids[org.name]
    School.objects.bulk_create(new_schools, batch_size=BATCH_SIZE)
    if plan.updates:
        fields = sorted({name for _, changed in plan.updates for name in changed} | {"updated"})
        School.objects.bulk_update(
            [school for school, _ in plan.updates], fields, batch_size=BATCH_SIZE
        )


# Uploads through the web page.


def gias_import_upload(
    *,
    force: Force,
    uploaded_by: User,
    data: bytes,
    original_name: str,
    la_codes: list[str],
    check_in_background: bool = False,
) -> GiasImport:
    """Store an uploaded extract for its preview.

    A small file has been read without errors already. A large one has had only its header
    checked: it is read in full, and its preview worked out, by a task after the commit.
    """
    from .tasks import check_gias_import

    gias_import = GiasImport(
        force=force,
        uploaded_by=uploaded_by,
        original_name=original_name[:200],
        la_codes=list(la_codes),
        status=GiasImport.Status.CHECKING if check_in_background else GiasImport.Status.PREVIEWED,
    )
    with transaction.atomic():
        # A generated name: the uploader's file name stays in the record, not in the path.
        gias_import.file.save(f"gias-{uuid.uuid4().hex}.csv", ContentFile(data), save=False)
        gias_import.save()
        if check_in_background:
            report_progress(gias_import.pk, "queued")
            pk = gias_import.pk
            transaction.on_commit(lambda: _queue(check_gias_import, pk))
    return gias_import


def gias_import_check(gias_import_pk: int, *, preview_rows: int) -> GiasSummary | None:
    """Read a large upload in full and store its preview; return None if it is not waiting."""

    def progress(stage, done, total):
        report_progress(gias_import_pk, stage, done, total)

    gias_import = (
        GiasImport.objects.filter(pk=gias_import_pk, status=GiasImport.Status.CHECKING)
        .select_related("force")
        .first()
    )
    if gias_import is None:
        return None
    summary = _read_and_apply(gias_import, progress=progress, dry_run=True)
    GiasImport.objects.filter(pk=gias_import_pk, status=GiasImport.Status.CHECKING).update(
        status=GiasImport.Status.FAILED if summary.errors else GiasImport.Status.PREVIEWED,
        preview=summary.preview_json(rows=preview_rows),
        summary=summary.as_json() if summary.errors else {},
        updated=timezone.now(),
    )
    return summary


def _read_and_apply(upload: GiasImport, *, progress: Progress, **options) -> GiasSummary:
    """Read a stored upload and apply it (or check it, with dry_run=True); a file that cannot
    be read becomes the summary's errors."""
    progress("reading", 0, None)
    try:
        rows = read_gias_import(upload, progress=progress)
    except InvalidGiasFile as error:
        return GiasSummary(errors=error.errors)
    return apply_gias(
        rows,
        force=upload.force,
        la_codes=upload.la_codes,
        progress=progress,
        **options,
    )


def read_gias_import(gias_import: GiasImport, *, progress: Progress | None = None) -> list[GiasRow]:
    """Return the rows of a stored upload (raising InvalidGiasFile as read_gias does)."""
    try:
        with gias_import.file.open("rb") as stored:
            data = stored.read()
    except FileNotFoundError as error:
        raise InvalidGiasFile(
            ["The uploaded file is no longer stored. Upload it again."]
        ) from error
    return read_gias(data, progress=progress)


# Progress of an import running as a task. The import writes in one transaction that other
# connections cannot see into until it commits, so how far it has got is kept in the cache.
PROGRESS_STAGES = {
    "queued": "Waiting to start",
    "reading": "Reading the file",
    "checking": "Checking the schools against the register",
    "saving": "Saving the changes",
}


def _progress_key(gias_import_pk: int) -> str:
    return f"schools:gias-import-progress:{gias_import_pk}"


def report_progress(gias_import_pk: int, stage: str, done: int = 0, total: int | None = None):
    """Record how far an import has got; a cache that cannot be reached loses only this."""
    try:
        cache.set(
            _progress_key(gias_import_pk),
            {"stage": stage, "done": done, "total": total},
            timeout=60 * 60,
        )
    except caching.CACHE_ERRORS:
        logger.warning("Cannot record the progress of GIAS import %s", gias_import_pk)


def import_progress(gias_import: GiasImport) -> dict:
    """Return the import's stage (and its label) and rows done so far, as last reported."""
    try:
        progress = cache.get(_progress_key(gias_import.pk))
    except caching.CACHE_ERRORS:
        progress = None
    progress = progress or {"stage": "queued", "done": 0, "total": None}
    return {**progress, "label": PROGRESS_STAGES.get(progress["stage"], "Importing")}


def preview_gias_import(gias_import: GiasImport) -> GiasSummary:
    """Return what applying the upload would change now, saving nothing."""
    try:
        rows = read_gias_import(gias_import)
    except InvalidGiasFile as error:
        return GiasSummary(errors=error.errors)
    return apply_gias(rows, force=gias_import.force, la_codes=gias_import.la_codes, dry_run=True)


def gias_import_queue(gias_import: GiasImport, *, by: User, request=None) -> GiasImport:
    """Confirm a previewed upload: mark it importing and apply it in a task after the commit.

    A national extract takes longer than a web request may, so the work runs in the task
    queue and the import's page shows how far it has got. Raise AlreadyApplied if it was
    applied before; confirming an import that is already running starts nothing new.
    """
    from .tasks import apply_gias_import

    with transaction.atomic():
        gias_import = GiasImport.objects.select_for_update().get(pk=gias_import.pk)
        if gias_import.status == GiasImport.Status.APPLIED:
            raise AlreadyApplied
        if gias_import.status in {GiasImport.Status.CHECKING, GiasImport.Status.IMPORTING}:
            return gias_import
        gias_import.status = GiasImport.Status.IMPORTING
        gias_import.summary = {}
        gias_import.save(update_fields=["status", "summary", "updated"])
        audit.record(
            "schools.gias.confirmed",
            actor=by,
            target=gias_import,
            force=gias_import.force,
            request=request,
        )
        report_progress(gias_import.pk, "queued")
        pk, by_pk = gias_import.pk, by.pk
        transaction.on_commit(lambda: _queue(apply_gias_import, pk, by_pk))
    return gias_import


def _queue(task, gias_import_pk: int, *args) -> None:
    """Queue the check or the import; if the broker cannot take it, say so on the page."""
    try:
        task.delay(gias_import_pk, *args)
    except Exception:  # noqa: BLE001 - any broker failure; nothing has been changed yet
        logger.warning("Could not queue %s for GIAS import %s", task.name, gias_import_pk)
        gias_import_fail(
            gias_import_pk,
            reason="The work could not be started, so nothing was changed. "
            "Try again in a few minutes.",
        )


def gias_import_fail(gias_import_pk: int, *, reason: str) -> None:
    """Record that a check or an import stopped before it could finish; it saved nothing."""
    failed = GiasSummary(errors=[reason])
    now = timezone.now()
    imports = GiasImport.objects.filter(pk=gias_import_pk)
    imports.filter(status=GiasImport.Status.CHECKING).update(
        status=GiasImport.Status.FAILED,
        summary=failed.as_json(),
        preview=failed.preview_json(rows=0),
        updated=now,
    )
    imports.filter(status=GiasImport.Status.IMPORTING).update(
        status=GiasImport.Status.FAILED, summary=failed.as_json(), updated=now
    )


def gias_import_confirm(
    gias_import: GiasImport, *, by: User, request=None, now=None
) -> GiasSummary:
    """Apply a previewed upload once, all or nothing; raise AlreadyApplied if it was before."""
    now = now or timezone.now()

    def progress(stage, done, total):
        report_progress(gias_import.pk, stage, done, total)

    with transaction.atomic():
        gias_import = (
            GiasImport.objects.select_for_update().select_related("force").get(pk=gias_import.pk)
        )
        if gias_import.status == GiasImport.Status.APPLIED:
            raise AlreadyApplied
        summary = _read_and_apply(
            gias_import,
            progress=progress,
            actor=by,
            gias_import=gias_import,
            request=request,
            now=now,
        )
        gias_import.summary = summary.as_json()
        if summary.errors:
            gias_import.status = GiasImport.Status.FAILED
        else:
            gias_import.status = GiasImport.Status.APPLIED
            gias_import.applied_at = now
        gias_import.save(update_fields=["summary", "status", "applied_at", "updated"])
        if not summary.errors:
            # The extract names head teachers (personal data): keep only the summary once applied.
            transaction.on_commit(lambda: _forget_file(gias_import.pk))
    return summary


def _forget_file(gias_import_pk: int) -> None:
    gias_import = GiasImport.objects.get(pk=gias_import_pk)
    if gias_import.file:
        gias_import.file.delete(save=False)
        GiasImport.objects.filter(pk=gias_import_pk).update(file="")
