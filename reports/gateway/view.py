"""`PeriodView`: one period's audited book, as the results every page and export reads.

Built by `Gateway.period_view`; if anything went wrong building or auditing the book,
the view holds only a notice and every result it gives is "not available" (SEC-19).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.gateway.book import Book
from reports.gateway.cells import NOT_IN_CATALOGUE, Cell, fewer_than
from reports.gateway.inputs import Scope
from reports.gateway.item_view import UnitItem
from reports.gateway.results import (
    ITEM_MEASURES,
    ORG_LABEL,
    ItemReport,
    Row,
    Table,
    Trend,
    TrendPoint,
)

REPORT_SCOPES = ("org", "team")


@dataclass(frozen=True)
class PeriodView:
    period: str
    k: int
    book: Book | None
    notice: str | None = None

    def item_report(self, scope: Scope, item: str) -> ItemReport:
        """Shares, mean and counts for one item, for the organisation or one team."""
        reason = self.notice or _scope_reason(scope)
        if reason is not None or self.book is None:
            return ItemReport.unavailable(self.period, scope, item, reason or "")
        unit = self.book.items.get(item, {}).get(scope)
        if unit is None:  # not in the catalogue of teams
            return ItemReport.unavailable(self.period, scope, item, fewer_than(self.k))
        return ItemReport(
            self.period,
            scope,
            item,
            unit.respondents,
            unit.answered,
            unit.points,
            unit.skip,
            unit.pns,
            unit.mean,
        )

    def team_comparison(self, item: str) -> Table:
        """Every team side by side for one item (in id order), the organisation as total.
        Every team of the catalogue has a row, with or without submissions (a team with
        none looks like any team under k)."""
        title = f"{item} by team"
        if self.notice is not None or self.book is None:
            return Table.unavailable(self.period, title, self.notice or "")
        cells = self.book.items.get(item, {})
        rows = tuple(Row(n.unit_id, _cells(u)) for n, u in cells.items() if n.level == "team")
        total = Row(ORG_LABEL, _cells(cells[Scope.org()]))
        return Table(self.period, title, "team", ITEM_MEASURES, rows, total)

    def theme_counts(self, scope: Scope, table: str) -> Table:
        """Young people whose comments carry each theme of one table, whole catalogue."""
        reason = self.notice or _scope_reason(scope)
        if reason is not None or self.book is None:
            return Table.unavailable(self.period, "themes", reason or "")
        absent = Cell.hidden(fewer_than(self.k))
        themes = self.book.themes.get(table, {})
        rows = tuple(Row(t, (by_unit.get(scope, absent),)) for t, by_unit in themes.items())
        heading = ORG_LABEL if scope.level == "org" else scope.unit_id
        return Table(self.period, "themes", "theme", (heading,), rows)

    def safety(self) -> Table:
        title = "safety messages shown"
        if self.notice is not None or self.book is None or self.book.safety is None:
            return Table.unavailable(self.period, title, self.notice or "not available")
        return self.book.safety


def trend(scope: Scope, item: str, views: Sequence[PeriodView]) -> Trend:
    """The item across periods, oldest first, each point as its period's page shows it."""
    if (reason := _scope_reason(scope)) is not None:
        return Trend(scope, item, (), reason)
    points = []
    for view in views:
        r = view.item_report(scope, item)
        points.append(TrendPoint(r.period, r.respondents, r.answered, r.mean))
    return Trend(scope, item, tuple(points))


def _scope_reason(scope: Scope) -> str | None:
    """Reports exist for the organisation and teams; workers only have `worker_view`."""
    if not isinstance(scope, Scope) or scope.level not in REPORT_SCOPES:
        return NOT_IN_CATALOGUE
    return None


def _cells(unit: UnitItem) -> tuple[Cell, ...]:
    """In the order of `ITEM_MEASURES`."""
    return (unit.respondents, unit.answered, *unit.points, unit.skip, unit.pns, unit.mean)
