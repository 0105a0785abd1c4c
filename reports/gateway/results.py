"""What the gateway returns: only shown text, and `to_rows()` so an export is the screen.

Every result is built from `Cell`s and nothing else; `to_rows()` writes each cell's `text`,
so a CSV export holds exactly the suppression the page holds (SDC-12). `names` maps unit or
theme ids to the display names the page uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reports.gateway.cells import Cell
from reports.gateway.inputs import SCALE, Scope

Rows = list[tuple[str, ...]]
NoNames: Mapping[str, str] = {}

ORG_LABEL = "organisation"
RESPONDENTS = "young people"
ANSWERED = "answered"
SKIPPED = "skipped"
PNS = "prefer not to say"
MEAN = "mean (1-5)"
POSITIVE = "mostly or totally"
NEGATIVE = "not at all or a little"
ITEM_MEASURES = (RESPONDENTS, ANSWERED, *SCALE, SKIPPED, PNS, MEAN)


def unit_label(scope: Scope, names: Mapping[str, str]) -> str:
    return ORG_LABEL if scope.level == "org" else names.get(scope.unit_id, scope.unit_id)


@dataclass(frozen=True)
class ItemReport:
    """One item (dimension) for one catalogue unit and period: shares, mean and counts."""

    period: str
    scope: Scope
    item: str
    respondents: Cell
    answered: Cell
    distribution: tuple[Cell, ...]  # scale points 1..5, shares of those who answered
    skip: Cell
    pns: Cell
    mean: Cell
    notice: str | None = None

    @classmethod
    def unavailable(cls, period: str, scope: Scope, item: str, reason: str) -> ItemReport:
        hidden = Cell.hidden(reason)
        return cls(
            period, scope, item, hidden, hidden, (hidden,) * 5, hidden, hidden, hidden, reason
        )

    def cells(self) -> tuple[Cell, ...]:
        """In the order of `ITEM_MEASURES`."""
        return (self.respondents, self.answered, *self.distribution, self.skip, self.pns, self.mean)

    def to_rows(self, names: Mapping[str, str] = NoNames) -> Rows:
        unit = unit_label(self.scope, names)
        out: Rows = [("period", "scope", "unit", "item", "measure", "shown")]
        out.extend(
            (self.period, self.scope.level, unit, self.item, measure, cell.text)
            for measure, cell in zip(ITEM_MEASURES, self.cells(), strict=True)
        )
        return out


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells: teams side by side (in id order, never by score), or themes."""

    period: str
    title: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    notice: str | None = None

    @classmethod
    def unavailable(cls, period: str, title: str, reason: str) -> Table:
        return cls(period, title, "", (), (), None, reason)

    def to_rows(self, names: Mapping[str, str] = NoNames) -> Rows:
        if self.notice is not None and not self.rows:
            return [("period", self.title), (self.period, self.notice)]
        out: Rows = [("period", self.row_heading, *self.columns)]
        for row in self.rows:
            out.append((self.period, names.get(row.key, row.key), *(c.text for c in row.cells)))
        if self.total is not None:
            out.append((self.period, self.total.key, *(c.text for c in self.total.cells)))
        return out


@dataclass(frozen=True)
class TrendPoint:
    """One closed period of a trend; the same cells as that period's `ItemReport`."""

    period: str
    respondents: Cell
    answered: Cell
    mean: Cell


@dataclass(frozen=True)
class Trend:
    scope: Scope
    item: str
    points: tuple[TrendPoint, ...]
    notice: str | None = None

    def to_rows(self, names: Mapping[str, str] = NoNames) -> Rows:
        unit = unit_label(self.scope, names)
        out: Rows = [("period", "scope", "unit", "item", RESPONDENTS, ANSWERED, MEAN)]
        for p in self.points:
            cells = (p.respondents, p.answered, p.mean)
            out.append((p.period, self.scope.level, unit, self.item, *(c.text for c in cells)))
        if self.notice is not None and not self.points:
            out.append(
                ("", self.scope.level, unit, self.item, self.notice, self.notice, self.notice)
            )
        return out


@dataclass(frozen=True)
class WorkerItem:
    """A worker's own result for one item: bands only, never numbers (SDC-10)."""

    item: str
    answered: Cell
    positive: Cell
    negative: Cell


@dataclass(frozen=True)
class WorkerView:
    period: str
    worker_id: str
    respondents: Cell
    items: tuple[WorkerItem, ...]
    notice: str | None = None

    @classmethod
    def unavailable(cls, period: str, worker_id: str, reason: str) -> WorkerView:
        return cls(period, worker_id, Cell.hidden(reason), (), reason)

    def to_rows(self) -> Rows:
        out: Rows = [("period", "item", "measure", "shown")]
        out.append((self.period, "", RESPONDENTS, self.respondents.text))
        for it in self.items:
            shown = ((ANSWERED, it.answered), (POSITIVE, it.positive), (NEGATIVE, it.negative))
            out.extend((self.period, it.item, measure, cell.text) for measure, cell in shown)
        return out


@dataclass(frozen=True)
class Quote:
    """A quote as shown to a reviewer: the words only — no date, team, age or worker (SDC-11)."""

    text: str
