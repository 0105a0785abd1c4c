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

from reports.gateway.book import PeriodInputs, ThemeCounts, build_book
from reports.gateway.cellkey import CellKeys
from reports.gateway.cells import NOT_AVAILABLE, NOT_IN_CATALOGUE, NOT_YET, WORKER_RESULTS_OFF, Cell
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
from reports.gateway.noise import publish, publish_respondents
from reports.gateway.org_counts import org_table
from reports.gateway.periods import Period, is_closed
from reports.gateway.quotes import pick_quotes
from reports.gateway.results import ItemReport, Quote, Table, Trend, WorkerView
from reports.gateway.tree import build_tree, tally
from reports.gateway.view import PeriodView, trend
from reports.gateway.worker import respondents_band, worker_item

_log = logging.getLogger(__name__)
T = TypeVar("T")


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
    noise: the deployment's cell keys (SDC-14); None publishes true counts.
    """

    def __init__(
        self,
        settings: GatewaySettings,
        *,
        today: Callable[[], dt.date],
        rng: random.Random,
        noise: CellKeys | None = None,
    ) -> None:
        check(settings)
        self.settings = settings
        self._today = today
        self._rng = rng
        self._noise = noise
        self._recent: dict[tuple[str, str], PeriodView] = {}

    @property
    def k(self) -> int:
        return self.settings.k

    def period_view(self, period: Period, inputs: PeriodInputs) -> PeriodView:
        """Everything shown for one period, decided and audited together (see `book.py`).
        Every page and export of the period should read one view."""

        def compute() -> PeriodView:
            if reason := self._closed_reason(period):
                return PeriodView(str(period), self.k, None, reason)
            key = (str(period), repr(inputs))
            if (kept := self._recent.get(key)) is not None:
                return kept
            view = PeriodView(
                str(period), self.k, build_book(str(period), inputs, self.k, self._noise)
            )
            # The per-item methods below each ask for the same period's view in turn.
            self._recent = {key: view}
            return view

        return _fail_closed(compute, lambda: PeriodView(str(period), self.k, None, NOT_AVAILABLE))

    def item_report(
        self,
        period: Period,
        scope: Scope,
        item: str,
        counts: Sequence[ItemCounts],
        population: Population,
    ) -> ItemReport:
        """Shares, mean and counts for one item, for the organisation or one team."""
        view = self.period_view(period, PeriodInputs(population, {item: counts}))
        return view.item_report(scope, item)

    def team_comparison(
        self, period: Period, item: str, counts: Sequence[ItemCounts], population: Population
    ) -> Table:
        """Every team side by side for one item (in id order), the organisation as total."""
        view = self.period_view(period, PeriodInputs(population, {item: counts}))
        return view.team_comparison(item)

    def trend(self, scope: Scope, item: str, series: Sequence[PeriodCounts]) -> Trend:
        """The item across periods, oldest first, each point as its period's report shows it."""

        def compute() -> Trend:
            if len({entry.period for entry in series}) != len(series):
                raise InputError("each period may appear only once in a trend")
            views = [
                self.period_view(e.period, PeriodInputs(e.population, {item: e.counts}))
                for e in sorted(series, key=lambda e: e.period)
            ]
            return trend(scope, item, views)

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
        inputs = PeriodInputs(population, themes={"themes": ThemeCounts(theme_ids, themes)})
        return self.period_view(period, inputs).theme_counts(scope, "themes")

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
            name = str(period)
            groups = Groups.decide(
                tree, self.k, publish_respondents(self._noise, name, tree, population.keys)
            )
            worker = Scope.worker(worker_id)
            shown = []
            for item, c in items.items():
                tallies = tally(tree, population, _rows(c), CATEGORIES, additive=True)
                keys = {unit.unit_id: unit.keys for unit in c}
                published = publish(self._noise, name, item, tree, tallies, keys)
                shown.append(worker_item(groups, tallies, published, worker, item))
            return WorkerView(
                str(period), worker_id, respondents_band(groups, worker), tuple(shown)
            )

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


def _fail_closed(compute: Callable[[], T], fallback: Callable[[], T]) -> T:
    """Run compute; on any error log it and return the no-numbers fallback (SEC-19)."""
    try:
        return compute()
    except Exception:
        _log.exception("disclosure gateway failed closed")
        return fallback()


def _rows(counts: Sequence[ItemCounts]) -> list[tuple[str, Mapping[str, int]]]:
    return [(c.unit_id, c.counts) for c in counts]
