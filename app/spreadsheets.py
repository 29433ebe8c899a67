"""The one guard every CSV/XLSX export uses against spreadsheet formula injection.

A spreadsheet (Excel, LibreOffice, Google Sheets) reads a cell that starts with `=`, `+`, `-` or
`@` as a formula, and a leading tab or carriage return can hide such a start from a reader while
some programs still evaluate it. A member or institution controls many exported texts (names,
titles, answers), so every text cell of every export passes through `spreadsheet_cell`, which
prefixes a single quote: the spreadsheet then shows the text as typed and runs nothing.
Numbers stay numbers (a negative count is not text a person typed).

Exports route their header and rows through `spreadsheet_row` (CSV writers and openpyxl alike);
tests/security/test_spreadsheet_exports.py walks every export and checks each cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """Return the value with a leading quote when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    """Return the row with every cell passed through `spreadsheet_cell`."""
    return [spreadsheet_cell(value) for value in values]
