"""The one CSV writer neutralises cells a spreadsheet would run as formulas (OWASP)."""

import csv
import io

import pytest

from accounts.exports import csv_writer


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_a_leading_quote(cell):
    out = io.StringIO()
    csv_writer(out).writerow([cell, "Plain name", 5, -3])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'" + cell, "Plain name", "5", "-3"]
