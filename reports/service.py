"""Reports for the console: grouped counts from storage, through the gateway, to view models.

This is glue only. Every figure comes out of `reports.gateway` (SDC-01); this module
decides nothing about suppression. It fetches the counts for whole periods (the gateway
judges the whole catalogue at once), asks the gateway, and hands back gateway results plus
the display names a page needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reports.gateway import (
    Gateway,
    ItemCounts,
    ItemReport,
    Period,
    PeriodCounts,
    Population,
    Scope,
    Table,
    Trend,
    WorkerView,
    closed_periods,
    containing,
    is_closed,
    months,
)
from reports.period_cache import ClosedPeriodCache
from reports.theme_report import TREND_PERIODS, ThemeReport, ThemeReports
from storage import catalog
from storage import reports as queries
from storage.db import Database


@dataclass(frozen=True)
class Dimension:
    """A scale item reported on, e.g. ("trust", "Being honest", "Do you feel you can...")."""

    id: str
    label: str
    question: str = ""


@dataclass(frozen=True)
class _PeriodData:
    population: Population
    items: dict[str, list[ItemCounts]]


class ReportService:
    """Everything the report pages need, for one deployment.

    gateway: builds the gateway for this request (the console may make k stricter).
    today: the organisation's current date, which decides which periods have closed.
    """

    def __init__(
        self,
        db: Database,
        gateway: Callable[[], Gateway],
        *,
        today: Callable[[], dt.date],
        dimensions: Sequence[Dimension],
        theme_ids: Sequence[str],
        worker_results: bool,
    ) -> None:
        self.db = db
        self._gateway = gateway
        self.today = today
        self.dimensions = tuple(dimensions)
        self.worker_results = worker_results
        self._cache = ClosedPeriodCache(today)
        self.theme_reports = ThemeReports(db, gateway, today=today, theme_ids=theme_ids)

    def gateway(self) -> Gateway:
        return self._gateway()

    # --- the catalogue of periods (SDC-07)

    def periods(self, count: int = 8) -> tuple[Period, ...]:
        """The latest closed periods, newest first, plus nothing open."""
        kind = self.gateway().settings.period_kind
        return tuple(reversed(closed_periods(self.today(), kind, count)))

    def current(self) -> Period:
        return containing(self.today(), self.gateway().settings.period_kind)

    def parse_period(self, text: str) -> Period | None:
        """A period of this deployment's kind, or None (a date range is never accepted)."""
        try:
            period = Period.parse(text)
        except ValueError:
            return None
        return period if period.kind == self.gateway().settings.period_kind else None

    # --- counts, fetched once per period

    async def _data(self, period: Period, with_workers: bool) -> _PeriodData:
        """Counts for a period, read once per closed period (see `reports.period_cache`)."""
        empty = _PeriodData(Population({}), {d.id: [] for d in self.dimensions})
        return await self._cache.get(
            with_workers, period, lambda: self._query(period, with_workers), empty
        )

    async def _query(self, period: Period, with_workers: bool) -> _PeriodData:
        buckets = months(period)
        async with self.db.read() as conn:
            teams = await queries.team_respondents(conn, buckets)
            items = await queries.answer_counts(conn, buckets)
            workers: dict[tuple[str, str], int] = {}
            by_worker: dict[str, dict[str, dict[str, int]]] = {}
            if with_workers:
                workers = await queries.worker_respondents(conn, buckets)
                by_worker = await queries.answer_counts(conn, buckets, by_worker=True)
        respondents: dict[str, int] = dict(teams)
        parents: dict[str, str] = {}
        seen: dict[str, int] = {}
        for worker, _team in workers:
            seen[worker] = seen.get(worker, 0) + 1
        for (worker, team), n in workers.items():
            if seen[worker] == 1:  # a worker found under two teams stays inside the teams
                respondents[worker] = n
                parents[worker] = team
        counts: dict[str, list[ItemCounts]] = {}
        for dim in self.dimensions:
            units = dict(items.get(dim.id, {}))
            units.update({w: c for w, c in by_worker.get(dim.id, {}).items() if w in parents})
            counts[dim.id] = [ItemCounts(unit, c) for unit, c in sorted(units.items())]
        return _PeriodData(Population(respondents, parents), counts)

    async def team_names(self) -> dict[str, str]:
        async with self.db.read() as conn:
            return dict(await catalog.teams(conn))

    # --- reports

    async def period_report(self, period: Period, scope: Scope) -> list[ItemReport]:
        """Distribution and mean of every dimension for one period and unit."""
        data = await self._data(period, with_workers=False)
        gw = self.gateway()
        return [
            gw.item_report(period, scope, d.id, data.items[d.id], data.population)
            for d in self.dimensions
        ]

    async def comparison(self, period: Period) -> list[Table]:
        """Teams side by side per dimension (rows in a fixed order, never ranked).

        A closed period's tables are kept like its counts, per gateway settings (a stricter
        k is a new entry): the same counts always give the same cells, and the dashboard
        reads six periods of them on every view."""
        gw = self.gateway()

        async def compute() -> list[Table]:
            data = await self._data(period, with_workers=False)
            return [
                gw.team_comparison(period, d.id, data.items[d.id], data.population)
                for d in self.dimensions
            ]

        if not is_closed(period, self.today()):
            return await compute()  # the gateway says "not yet available"
        return await self._cache.get(("comparison", gw.settings), period, compute, [])

    async def trends(self, scope: Scope, count: int = TREND_PERIODS) -> list[Trend]:
        """Each dimension's mean across the latest closed periods, oldest first."""
        series: list[tuple[Period, _PeriodData]] = []
        for period in reversed(self.periods(count)):
            series.append((period, await self._data(period, with_workers=False)))
        gw = self.gateway()
        return [
            gw.trend(
                scope,
                d.id,
                [PeriodCounts(p, data.items[d.id], data.population) for p, data in series],
            )
            for d in self.dimensions
        ]

    async def themes(
        self, period: Period, scope: Scope, role: str, viewer_worker_id: str | None
    ) -> ThemeReport:
        """Framework themes by polarity, their trend, emerging topics and (for reviewers)
        quotes: see `reports.theme_report`."""
        return await self.theme_reports.report(period, scope, role, viewer_worker_id)

    async def theme_counts(self, period: Period, scope: Scope) -> Mapping[str, Table]:
        """Framework themes by polarity only, as the themes page shows them: for summaries."""
        return await self.theme_reports.counts(period, scope)

    async def safety(self, period: Period) -> Table:
        """How often the safety block was shown, by reason, organisation level only (CC-20)."""
        async with self.db.read() as conn:
            totals = await queries.safety_totals(conn, months(period))
        return self.gateway().org_counts(period, "safety messages shown", totals)

    async def worker_view(self, period: Period, worker_id: str) -> WorkerView:
        """A worker's own banded results (SDC-10); the gateway says if they are off."""
        data = await self._data(period, with_workers=self.worker_results)
        items: Mapping[str, Sequence[ItemCounts]] = {
            d.id: data.items[d.id] for d in self.dimensions
        }
        return self.gateway().worker_view(period, worker_id, items, data.population)
