"""Every CSV the product writes goes through csv_writer(): cells that a spreadsheet would
read as a formula are neutralised, and long exports stream rather than hold a file."""

import csv

from django.http import StreamingHttpResponse

# OWASP "CSV injection": a cell starting with one of these is run as a formula by
# spreadsheets; a leading single quote makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return `value`, with a leading ' when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose rows have each cell neutralised first."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> _SafeWriter:
    """The one CSV writer for files the product hands to people (same arguments as csv.writer)."""
    return _SafeWriter(file, **kwargs)


class _Echo:
    """A file-like object whose write() hands back what it is given, for csv.writer."""

    def write(self, value):
        return value


def stream_csv(rows, *, filename: str) -> StreamingHttpResponse:
    """Return a CSV attachment streaming `rows` (an iterable of lists, header first)."""
    writer = csv_writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
