"""What an uploaded CSV must be before anyone reads its rows: text, not a workbook or UTF-16."""

import codecs

SAVE_AS_CSV = 'Save it again as "CSV UTF-8 (comma delimited)" and upload that.'
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip) and the older .xls
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}


def why_not_csv_text(data: bytes) -> str | None:
    """Return a plain-English reason the bytes are not a CSV text file, or None if they may be.
    A spreadsheet saved as "Unicode text" (UTF-16), a workbook, a PDF or other binary file is
    refused for what it is, before its header is mistaken for missing columns; a stray NUL
    byte in an otherwise good file names its row, as PostgreSQL cannot store one."""
    sample = data[:4096]
    if sample.startswith(_WORKBOOKS):
        return f"The file is a spreadsheet workbook (like .xlsx), not a CSV file. {SAVE_AS_CSV}"
    if sample.startswith(b"%PDF"):
        return f"The file is a PDF, not a CSV file. {SAVE_AS_CSV}"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_like_utf16(sample):
        return f"The file is saved as UTF-16 (“Unicode text”), not as a CSV file. {SAVE_AS_CSV}"
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if sample and controls > len(sample) // 20:
        return f"The file is not a CSV file: it holds binary data. {SAVE_AS_CSV}"
    if (position := data.find(b"\x00")) != -1:
        row = data.count(b"\n", 0, position) + 1
        return (
            f"Row {row}: the file contains a null character, which a CSV file cannot hold. "
            "The file may be damaged: download or export it again."
        )
    return None


def _looks_like_utf16(sample: bytes) -> bool:
    """UTF-16 without its byte-order mark: English text has a NUL in every other byte."""
    if len(sample) < 8:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return max(evens.count(0) / len(evens), odds.count(0) / len(odds)) > 0.4
