"""Grids: the tables a report page shows, built from the gateway's `to_rows()` and nothing
else, so the CSV export (`exports.py`) writes exactly the cells the screen shows (SDC-12).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reports.gateway import ItemReport, Table, Trend, WorkerView


@dataclass(frozen=True)
class Grid:
    """One table: a caption, a header row and rows of shown text."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def item_grid(report: ItemReport, title: str) -> Grid:
    """measure | shown, for one dimension of one unit and period."""
    rows = report.to_rows()
    return Grid(title, ("measure", "shown"), tuple((r[4], r[5]) for r in rows[1:]))


def table_grid(table: Table, names: Mapping[str, str], title: str) -> Grid:
    """A gateway table without its period column (the page states the period once).

    Team rows are put in name order: a fixed order that says nothing about scores.
    """
    rows = table.to_rows(names)
    head, body = rows[0][1:], [r[1:] for r in rows[1:]]
    if table.total is not None and body:
        body = sorted(body[:-1], key=lambda r: r[0].lower()) + [body[-1]]
    return Grid(title, tuple(head), tuple(tuple(r) for r in body))


def trend_grid(trend: Trend, title: str) -> Grid:
    rows = trend.to_rows()
    keep = (0, 4, 5, 6)  # period, young people, answered, mean: scope and item are the title
    return Grid(
        title, tuple(rows[0][i] for i in keep), tuple(tuple(r[i] for i in keep) for r in rows[1:])
    )


def worker_grid(view: WorkerView, labels: Mapping[str, str]) -> Grid:
    rows = view.to_rows()
    body = tuple((labels.get(r[1], r[1]), r[2], r[3]) for r in rows[1:])
    return Grid("your results", ("question", "measure", "shown"), body)
