"""CSV exports: the page's grids, cell for cell, safe to open in a spreadsheet (SEC-24).

A cell starting with = + - @ tab or carriage return would run as a formula in Excel or
LibreOffice; such cells are prefixed with an apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from admin.console.grids import Grid

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(heading: Sequence[tuple[str, str]], grids: Iterable[Grid]) -> str:
    """A small header block (what report, which period and unit), then each grid in turn."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def write(row: Iterable[str]) -> None:
        writer.writerow([safe_cell(str(c)) for c in row])

    for key, value in heading:
        write((key, value))
    for grid in grids:
        write(())
        write((grid.title,))
        write(grid.header)
        for row in grid.rows:
            write(row)
    return out.getvalue()
