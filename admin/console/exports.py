"""CSV exports in long ("tidy") format: one row per figure a page shows, built from the
same gateway cells as the page, safe to open in a spreadsheet (SDC-12, SEC-24).

A cell starting with = + - @ tab or carriage return would run as a formula in Excel or
LibreOffice; such cells are prefixed with an apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from admin.console.favourable import Favourable
from reports.gateway import Cell, ItemReport, Table, Trend, WorkerView
from reports.gateway.inputs import SCALE
from reports.gateway.results import (
    ANSWERED,
    ITEM_MEASURES,
    MEAN,
    NEGATIVE,
    POSITIVE,
    RESPONDENTS,
)

if TYPE_CHECKING:  # the dashboard imports the console context; only its type is needed
    from admin.console.dashboard import Dashboard

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


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


SHARE = "% of those who answered"


def _measure(name: str, answer: str, labels: Sequence[str]) -> tuple[str, str]:
    """(answer label, measure) for a gateway measure: a scale point is a share of those
    who answered, named by its label rather than its number."""
    if name in SCALE:
        return labels[SCALE.index(name)], SHARE
    return answer, name


def cells_figures(
    period: str,
    scope: str,
    question: str,
    measures: Sequence[str],
    cells: Sequence[Cell],
    labels: Sequence[str] = SCALE,
    answer: str = "",
) -> Iterator[Figure]:
    """One figure per (measure, cell) of one unit: a report row or a table row."""
    for name, cell in zip(measures, cells, strict=True):
        yield from_cell((period, scope, question, *_measure(name, answer, labels)), cell)


def item_figures(
    report: ItemReport, unit: str, question: str, labels: Sequence[str]
) -> Iterator[Figure]:
    yield from cells_figures(report.period, unit, question, ITEM_MEASURES, report.cells(), labels)


def table_figures(
    table: Table,
    names: Mapping[str, str],
    question: str,
    labels: Sequence[str] = SCALE,
    unit: str | None = None,
) -> Iterator[Figure]:
    """Each row's cells. Rows are units (scope = the row's name) or, given the `unit` the
    table is about, answers such as themes (the row's name is the answer label)."""
    if table.notice is not None and not table.rows:
        yield Figure(table.period, unit or "", question, "", "", None, "hidden", table.notice)
        return
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    for row in rows:
        name = names.get(row.key, row.key)
        if unit is not None:
            where = (table.period, unit, question, name)
            for measure, cell in zip(table.columns, row.cells, strict=True):
                yield from_cell((*where, measure), cell)
        else:
            yield from cells_figures(table.period, name, question, table.columns, row.cells, labels)


def trend_figures(trend: Trend, unit: str, question: str) -> Iterator[Figure]:
    for p in trend.points:
        cells = (p.respondents, p.answered, p.mean)
        yield from cells_figures(p.period, unit, question, (RESPONDENTS, ANSWERED, MEAN), cells)
    if trend.notice is not None and not trend.points:
        yield Figure("", unit, question, "", MEAN, None, "hidden", trend.notice)


def worker_figures(view: WorkerView, labels: Mapping[str, str]) -> Iterator[Figure]:
    yield from_cell((view.period, "you", "", "", RESPONDENTS), view.respondents)
    for it in view.items:
        question = labels.get(it.item, it.item)
        yield from_cell((view.period, "you", question, "", ANSWERED), it.answered)
        for answer, cell in ((POSITIVE, it.positive), (NEGATIVE, it.negative)):
            yield from_cell((view.period, "you", question, answer, SHARE), cell)


def slug(name: str) -> str:
    """A unit's name as a safe filename part: letters, digits and hyphens only."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unit"


def filename(kind: str, unit: str, period: str) -> str:
    """Names the report, the scope and the period, so two exports never share a name."""
    when = re.sub(r"[^A-Za-z0-9]+", "-", period).strip("-") or "all"
    return f"youthvoice-{kind}-{slug(unit)}-{when}.csv"


METHOD_SHORT = "beyond noise: the 95% Wilson intervals do not overlap"
