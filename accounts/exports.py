"""Streamed CSV downloads: rows are written as they are read, so a long export holds no file."""

import csv

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write() hands back what it is given, for csv.writer."""

    def write(self, value):
        return value


def stream_csv(rows, *, filename: str) -> StreamingHttpResponse:
    """Return a CSV attachment streaming `rows` (an iterable of lists, header first)."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
