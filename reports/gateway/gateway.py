"""`Gateway`: the only way a figure, chart, quote or export reaches a person (SDC-01).

Each public method checks the catalogue (SDC-07, SDC-08), decides suppression for the whole
period at once, and returns only `Cell` text. Any exception inside fails closed: the
caller gets a "not available" result and the error is logged, never raw numbers (SEC-19).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from reports.gateway.cells import (
    NOT_AVAILABLE,
    NOT_IN_CATALOGUE,
    NOT_YET,
    WORKER_RESULTS_OFF,
    Cell,
    fewer_than,
)
from reports.gateway.config import GatewaySettings, check
from reports.gateway.groups import Groups
from reports.gateway.inputs import (
    CATEGORIES,
    InputError,
    ItemCounts,
    Population,
    QuoteCandidate,
    Scope,
)
from reports.gateway.item_view import UnitItem, item_cells
from reports.gateway.org_counts import org_table
from reports.gateway.periods import Period, is_closed
from reports.gateway.quotes import pick_quotes
from reports.gateway.results import (
    ITEM_MEASURES,
    ORG_LABEL,
    ItemReport,
    Quote,
    Row,
    Table,
    Trend,
    TrendPoint,
    WorkerView,
)
from reports.gateway.themes import theme_cells
from reports.gateway.tree import build_tree, tally
from reports.gateway.worker import respondents_band, worker_item

_log = logging.getLogger(__name__)
T = TypeVar("T")
REPORT_SCOPES = ("org", "team")


@dataclass(frozen=True)
class PeriodCounts:
    """One item's counts for one period, as a trend needs them."""

    period: Period
    counts: Sequence[ItemCounts]
    population: Population


class Gateway:
    """Disclosure control for every report. Build once in the composition root.

    today: the organisation's current date (a period closes at its end).
    rng: randomness for quote order; tests pass a seeded `random.Random`.
    """

    def __init__(
        self, settings: GatewaySettings, *, today: Callable[[], dt.date], rng: random.Random
    ) -> None:
        check(settings)
        self.settings = settings
        self._today = today
        self._rng = rng

    @property
    def k(self) -> int:
        return self.settings.k

    def item_report(
        self,
        period: Period,
        scope: Scope,
        item: str,
        counts: Sequence[ItemCounts],
        population: Population,
    ) -> ItemReport:
        """Shares, mean and counts for one item, for the organisation or one team."""

        def compute() -> ItemReport:
            if reason := self._closed_reason(period) or _scope_reason(scope):
                return ItemReport.unavailable(str(period), scope, item, reason)
            unit = self._item_cells(counts, population).get(scope)
            if unit is None:  # a team with no submissions in the period
                return ItemReport.unavailable(str(period), scope, item, fewer_than(self.k))
            return ItemReport(
                str(period),
                scope,
                item,
                unit.respondents,
                unit.answered,
                unit.points,
                unit.skip,
                unit.pns,
                unit.mean,
            )

        return _fail_closed(
            compute, partial(ItemReport.unavailable, str(period), scope, item, NOT_AVAILABLE)
        )

    def team_comparison(
        self, period: Period, item: str, counts: Sequence[ItemCounts], population: Population
    ) -> Table:
        """Every team side by side for one item (in id order), the organisation as total."""
        title = f"{item} by team"

        def compute() -> Table:
            if reason := self._closed_reason(period):
                return Table.unavailable(str(period), title, reason)
            cells = self._item_cells(counts, population)
            rows = tuple(Row(n.unit_id, _cells(u)) for n, u in cells.items() if n.level == "team")
            total = Row(ORG_LABEL, _cells(cells[Scope.org()]))
            return Table(str(period), title, "team", ITEM_MEASURES, rows, total)

        return _fail_closed(compute, lambda: Table.unavailable(str(period), title, NOT_AVAILABLE))

    def trend(self, scope: Scope, item: str, series: Sequence[PeriodCounts]) -> Trend:
        """The item across periods, oldest first, each point as its period's report shows it."""

        def compute() -> Trend:
            if reason := _scope_reason(scope):
                return Trend(scope, item, (), reason)
            if len({entry.period for entry in series}) != len(series):
                raise InputError("each period may appear only once in a trend")
            points = []
            for entry in sorted(series, key=lambda e: e.period):
                r = self.item_report(entry.period, scope, item, entry.counts, entry.population)
                points.append(TrendPoint(r.period, r.respondents, r.answered, r.mean))
            return Trend(scope, item, tuple(points))

        return _fail_closed(compute, lambda: Trend(scope, item, (), NOT_AVAILABLE))

    def theme_counts(
        self,
        period: Period,
        scope: Scope,
        theme_ids: Sequence[str],
        themes: Mapping[str, Mapping[str, int]],
        population: Population,
    ) -> Table:
        """Young people whose comments carry each theme, for the organisation or one team.

        theme_ids: the whole theme catalogue, listed whether or not anyone mentioned it.
        themes: unit id -> theme id -> distinct respondents.
        """

        def compute() -> Table:
            if reason := self._closed_reason(period) or _scope_reason(scope):
                return Table.unavailable(str(period), "themes", reason)
            tree = build_tree(population, with_workers=False)
            tallies = tally(tree, population, themes.items(), theme_ids, additive=False)
            cells = theme_cells(Groups.decide(tree, self.k), tallies, theme_ids)
            absent = Cell.hidden(fewer_than(self.k))
            rows = tuple(Row(t, (by_unit.get(scope, absent),)) for t, by_unit in cells.items())
            heading = ORG_LABEL if scope.level == "org" else scope.unit_id
            return Table(str(period), "themes", "theme", (heading,), rows)

        return _fail_closed(
            compute, lambda: Table.unavailable(str(period), "themes", NOT_AVAILABLE)
        )

    def org_count(self, period: Period, value: int) -> Cell:
        """One organisation-level figure, e.g. safety messages shown (CC-20): exact if >= k."""
        table = self.org_counts(period, "count", {"count": value})
        return table.total.cells[0] if table.total else Cell.hidden(table.notice or NOT_AVAILABLE)

    def org_counts(self, period: Period, title: str, counts: Mapping[str, int]) -> Table:
        """Organisation-level figures by category, with their total (see `org_counts.py`)."""

        def compute() -> Table:
            if reason := self._closed_reason(period):
                return Table.unavailable(str(period), title, reason)
            return org_table(str(period), title, counts, self.k)

        return _fail_closed(compute, lambda: Table.unavailable(str(period), title, NOT_AVAILABLE))

    def quotes(
        self,
        period: Period,
        role: str,
        candidates: Sequence[QuoteCandidate],
        viewer_worker_id: str | None = None,
    ) -> list[Quote]:
        """Up to `max_quotes` shuffled quotes for a reviewer; anyone else gets []."""

        def compute() -> list[Quote]:
            if self._closed_reason(period):
                return []
            return pick_quotes(self.settings, self._rng, role, candidates, viewer_worker_id)

        return _fail_closed(compute, list)

    def worker_view(
        self,
        period: Period,
        worker_id: str,
        items: Mapping[str, Sequence[ItemCounts]],
        population: Population,
    ) -> WorkerView:
        """A worker's own banded results, only if the deployment turned them on (SDC-10)."""

        def compute() -> WorkerView:
            reason = WORKER_RESULTS_OFF if not self.settings.worker_results else None
            if reason := reason or self._closed_reason(period):
                return WorkerView.unavailable(str(period), worker_id, reason)
            tree = build_tree(population, with_workers=True)
            groups = Groups.decide(tree, self.k)
            worker = Scope.worker(worker_id)
            shown = tuple(
                worker_item(
                    groups,
                    tally(tree, population, _rows(c), CATEGORIES, additive=True),
                    worker,
                    item,
                )
                for item, c in items.items()
            )
            return WorkerView(str(period), worker_id, respondents_band(groups, worker), shown)

        return _fail_closed(
            compute, partial(WorkerView.unavailable, str(period), worker_id, NOT_AVAILABLE)
        )

    def _closed_reason(self, period: Period) -> str | None:
        """Why no figures may be shown for this period, if any (SDC-07)."""
        if not isinstance(period, Period) or period.kind != self.settings.period_kind:
            return NOT_IN_CATALOGUE
        if not is_closed(period, self._today()):
            return NOT_YET
        return None

    def _item_cells(
        self, counts: Sequence[ItemCounts], population: Population
    ) -> dict[Scope, UnitItem]:
        tree = build_tree(population, with_workers=False)
        tallies = tally(tree, population, _rows(counts), CATEGORIES, additive=True)
        return item_cells(Groups.decide(tree, self.k), tallies)


def _fail_closed(compute: Callable[[], T], fallback: Callable[[], T]) -> T:
    """Run compute; on any error log it and return the no-numbers fallback (SEC-19)."""
    try:
        return compute()
    except Exception:
        _log.exception("disclosure gateway failed closed")
        return fallback()


def _scope_reason(scope: Scope) -> str | None:
    """Reports exist for the organisation and teams; workers only have `worker_view`."""
    if not isinstance(scope, Scope) or scope.level not in REPORT_SCOPES:
        return NOT_IN_CATALOGUE
    return None


def _rows(counts: Sequence[ItemCounts]) -> list[tuple[str, Mapping[str, int]]]:
    return [(c.unit_id, c.counts) for c in counts]


def _cells(unit: UnitItem) -> tuple[Cell, ...]:
    """In the order of `ITEM_MEASURES`."""
    return (unit.respondents, unit.answered, *unit.points, unit.skip, unit.pns, unit.mean)
