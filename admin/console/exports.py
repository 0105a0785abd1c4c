"""CSV exports: the page's grids, cell for cell, safe to open in a spreadsheet (SEC-24).

A cell starting with = + - @ tab or carriage return would run as a formula in Excel or
LibreOffice; such cells are prefixed with an apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from admin.console.favourable import Favourable
from admin.console.grids import Grid
from reports.gateway import Cell

if TYPE_CHECKING:  # the dashboard imports the console context; only its type is needed
    from admin.console.dashboard import Dashboard

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


# --- tidy exports: one row per figure (long format)

TIDY_HEADER = (
    "period",
    "scope",
    "question",
    "answer label",
    "measure",
    "value",
    "status",
    "reason",
)
FAVOURABLE_ANSWERS = "mostly or totally (4-5)"


@dataclass(frozen=True)
class Figure:
    """One figure as exported: `value` is numeric or None; a hidden figure has a reason."""

    period: str
    scope: str
    question: str
    answer: str
    measure: str
    value: int | float | None
    status: str  # "shown" or "hidden"
    reason: str = ""


def from_cell(where: tuple[str, str, str, str, str], cell: Cell) -> Figure:
    if cell.suppressed:
        return Figure(*where, None, "hidden", cell.reason or cell.text)
    if cell.value is None:  # a band: shown, but in words only
        return Figure(*where, None, "shown", f"shown in words: {cell.text}")
    return Figure(*where, cell.value, "shown")


def from_favourable(where: tuple[str, str, str, str, str], fav: Favourable) -> Figure:
    if fav.percent is None:
        return Figure(*where, None, "hidden", fav.reason or "")
    return Figure(*where, fav.percent, "shown")


def tidy_csv(figures: Iterable[Figure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TIDY_HEADER)
    for f in figures:
        value = "" if f.value is None else str(f.value)
        row = (f.period, f.scope, f.question, f.answer, f.measure, value, f.status, f.reason)
        writer.writerow([safe_cell(str(c)) for c in row])
    return out.getvalue()


def dashboard_figures(board: Dashboard) -> Iterator[Figure]:
    """Every figure on the dashboard, each once (the scope's own heatmap row repeats its
    favourable shares), and nothing else (SDC-12)."""
    seen: set[tuple[str, str, str, str]] = set()
    for figure in _dashboard_rows(board):
        key = (figure.period, figure.scope, figure.question, figure.measure)
        if key not in seen:
            seen.add(key)
            yield figure


def _dashboard_rows(board: Dashboard) -> Iterator[Figure]:
    period, unit = str(board.period), board.unit
    yield from_cell((period, unit, "", "", "young people who sent a check-in"), board.respondents)
    for card in board.cards:
        question = card.question or card.label
        for when, fav in card.history:
            yield from_favourable((when, unit, question, FAVOURABLE_ANSWERS, "favourable %"), fav)
        where = (period, unit, question, FAVOURABLE_ANSWERS, f"change since {board.previous}")
        if card.change.points is None:
            yield Figure(*where, None, "hidden", card.change.text)
        else:
            yield Figure(*where, card.change.points, "shown", METHOD_SHORT)
    names = [c.question or c.label for c in board.cards]
    for row in board.heat:
        for question, cell in zip(names, row.cells, strict=True):
            where = (period, row.name, question, FAVOURABLE_ANSWERS, "favourable %")
            yield from_favourable(where, cell.fav)
    for title, lines in board.themes:
        for line in lines:
            yield from_cell((period, unit, title, line.label, "young people"), line.count)


METHOD_SHORT = "beyond noise: the 95% Wilson intervals do not overlap"
