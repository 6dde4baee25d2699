"""Indicator values from a CSV file: every row is checked first, then all are saved or none."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.exports import csv_writer
from accounts.models import Force, User
from accounts.uploads import SAVE_AS_CSV, why_not_csv_text
from schools.models import School

from . import services
from .models import Assessment, Framework, Indicator

URN_COLUMN = "URN"
# The database keeps 9 digits, 2 of them after the point.
LARGEST = Decimal("10000000")


class InvalidUpload(Exception):
    """The file cannot be applied; `errors` says why, row by row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


@dataclass
class UploadRow:
    number: int  # the row's number in a spreadsheet, the header being row 1
    school: School
    values: dict[str, Decimal]
    open_assessment: Assessment | None


@dataclass
class UploadResult:
    created: list[Assessment] = field(default_factory=list)
    updated: list[Assessment] = field(default_factory=list)


def template_csv(framework: Framework, schools) -> str:
    """Return a CSV with the header and one row per school, its values left to fill in."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow([URN_COLUMN, *(i.key for i in framework.indicators.all())])
    for urn in schools.order_by("name").values_list("urn", flat=True):
        writer.writerow([urn])
    return out.getvalue()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # spreadsheets on Windows save in it


def _range_text(indicator: Indicator) -> str:
    if indicator.maximum is None:
        return f"must be {indicator.minimum.normalize():f} or more"
    return (
        f"must be between {indicator.minimum.normalize():f} and {indicator.maximum.normalize():f}"
    )


def _number(cell: str, indicator: Indicator, where: str) -> tuple[Decimal | None, str | None]:
    """Return the cell's value, or an error message about it."""
    try:
        value = Decimal(cell)
    except InvalidOperation:
        return None, f"{where}: '{cell}' is not a number"
    if not value.is_finite():
        return None, f"{where}: '{cell}' is not a number"
    if value.as_tuple().exponent < -2:
        return None, f"{where}: {cell} has more than 2 decimal places"
    if (
        value < indicator.minimum
        or (indicator.maximum is not None and value > indicator.maximum)
        or abs(value) >= LARGEST
    ):
        return None, f"{where}: {cell} {_range_text(indicator)}"
    return value, None


def read_upload(data: bytes, *, framework: Framework, force: Force) -> list[UploadRow]:
    """Return the file's rows with their schools and values; raise InvalidUpload listing every error."""
    if problem := why_not_csv_text(data):
        raise InvalidUpload([problem])
    try:
        lines = list(csv.reader(io.StringIO(_decode(data))))
    except csv.Error as error:
        raise InvalidUpload([f"The file cannot be read as CSV ({error}). {SAVE_AS_CSV}"]) from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise InvalidUpload(["The file is empty: its first row must be the header"])
    header = [cell.strip() for cell in lines[0]]
    while header and not header[-1]:
        header.pop()  # spreadsheets add empty columns at the end
    if not header or header[0].upper() != URN_COLUMN:
        raise InvalidUpload([f"The first column of the header must be {URN_COLUMN}"])
    chosen = {i.key: i for i in framework.indicators.all()}
    errors = []
    keys = [key.lower() for key in header[1:]]
    for position, key in enumerate(keys, start=2):
        if not key:
            errors.append(f"Column {position} of the header has no name")
        elif key not in chosen:
            errors.append(f"Column '{key}' is not an indicator of {framework.name}")
        elif keys.index(key) != position - 2:
            errors.append(f"Column '{key}' appears twice in the header")
    if not keys:
        errors.append("The header names no indicator: add at least one indicator column")
    if errors:
        raise InvalidUpload(errors)

    cells_by_row = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [cell.strip() for cell in line]
        if not any(cells):
            continue
        if any(cells[len(header) :]):
            errors.append(f"Row {number} has more cells than the header has columns")
            continue
        cells_by_row.append((number, cells + [""] * (len(header) - len(cells))))
    urns = {int(cells[0]) for _, cells in cells_by_row if cells[0].isdigit()}
    schools = School.objects.filter(force=force).in_bulk(urns, field_name="urn")
    open_assessments = {
        a.school_id: a
        for a in Assessment.objects.filter(school__force=force)
        .exclude(status=Assessment.Status.APPROVED)
        .select_related("framework")
    }
    indicators = {framework.pk: chosen}
    other_frameworks = {a.framework_id for a in open_assessments.values()} - {framework.pk}
    for indicator in Indicator.objects.filter(framework_id__in=other_frameworks):
        indicators.setdefault(indicator.framework_id, {})[indicator.key] = indicator

    rows, seen = [], {}
    for number, cells in cells_by_row:
        urn_cell = cells[0]
        if not urn_cell:
            errors.append(f"Row {number}: the URN is missing")
            continue
        if not urn_cell.isdigit():
            errors.append(f"Row {number}: the URN '{urn_cell}' is not a number")
            continue
        urn = int(urn_cell)
        school = schools.get(urn)
        if school is None:
            errors.append(f"Row {number}: URN {urn} is not a school of {force.name}")
            continue
        if urn in seen:
            errors.append(f"Row {number}: URN {urn} is already on row {seen[urn]}")
            continue
        seen[urn] = number
        if school.status == School.Status.CLOSED:
            errors.append(f"Row {number}: {school.name} (URN {urn}) is closed")
            continue
        open_assessment = open_assessments.get(school.pk)
        if open_assessment is not None and open_assessment.status == Assessment.Status.SUBMITTED:
            errors.append(
                f"Row {number}: the assessment of {school.name} (URN {urn}) is waiting for "
                "approval; ask the manager to return it first"
            )
            continue
        usable = indicators[open_assessment.framework_id if open_assessment else framework.pk]
        values = {}
        for key, cell in zip(keys, cells[1:], strict=False):
            if not cell:
                continue  # an empty cell keeps what the assessment holds
            indicator = usable.get(key)
            where = f"Row {number}, column {key}"
            if indicator is None:
                errors.append(
                    f"{where}: the assessment of {school.name} in progress uses "
                    f"{open_assessment.framework}, which has no such indicator"
                )
                continue
            value, error = _number(cell, indicator, where)
            if error:
                errors.append(error)
            else:
                values[key] = value
        if values:
            rows.append(UploadRow(number, school, values, open_assessment))
    if errors:
        raise InvalidUpload(errors)
    if not rows:
        raise InvalidUpload(["The file has no values to save: fill in at least one cell"])
    return rows


@transaction.atomic
def apply_upload(rows: list[UploadRow], *, by: User, request=None) -> UploadResult:
    """Save each row's values in the school's open draft (starting one if needed); all or nothing."""
    result = UploadResult()
    for row in rows:
        try:
            assessment = services.assessment_start(school=row.school, by=by, request=request)
            ratings = {
                rating.factor.key: (rating.level.key if rating.level_id else None, rating.evidence)
                for rating in assessment.ratings.select_related("factor", "level")
            }
            assessment = services.assessment_save(
                assessment=assessment,
                by=by,
                ratings=ratings,
                indicators=row.values,
                proposed_level=assessment.proposed_level,
                override_reason=assessment.override_reason,
                request=request,
            )
        except ValidationError as error:
            # Raising inside the transaction undoes the rows already saved.
            raise InvalidUpload([f"Row {row.number}: {' '.join(error.messages)}"]) from error
        (result.updated if row.open_assessment else result.created).append(assessment)
    return result
