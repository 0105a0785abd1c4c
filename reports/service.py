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
    PeriodInputs,
    PeriodView,
    Population,
    Scope,
    Table,
    Trend,
    WorkerView,
    closed_periods,
    containing,
    is_closed,
    months,
    trend,
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
    safety: dict[str, int]


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
        self.theme_reports = ThemeReports(
            db, gateway, today=today, theme_ids=theme_ids, views=self.view
        )

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
        empty = _PeriodData(Population({}), {d.id: [] for d in self.dimensions}, {})
        return await self._cache.get(
            with_workers, period, lambda: self._query(period, with_workers), empty
        )

    async def _query(self, period: Period, with_workers: bool) -> _PeriodData:
        buckets = months(period)
        async with self.db.read() as conn:
            catalogue = await catalog.teams(conn)
            teams = await queries.team_respondents(conn, buckets)
            team_keys = await queries.team_keys(conn, buckets)
            items = await queries.answer_counts(conn, buckets)
            safety = await queries.safety_totals(conn, buckets)
            workers: dict[tuple[str, str], int] = {}
            worker_keys: dict[str, int] = {}
            by_worker = queries.AnswerTallies({}, {})
            if with_workers:
                workers = await queries.worker_respondents(conn, buckets)
                worker_keys = await queries.worker_keys(conn, buckets)
                by_worker = await queries.answer_counts(conn, buckets, by_worker=True)
        # Every team of the catalogue, with or without submissions: a team with none must
        # look like any other team under k (no row missing, SDC-05).
        respondents: dict[str, int] = {team: 0 for team, _ in catalogue}
        respondents.update(teams)
        keys: dict[str, int] = dict(team_keys)
        parents: dict[str, str] = {}
        seen: dict[str, int] = {}
        for worker, _team in workers:
            seen[worker] = seen.get(worker, 0) + 1
        for (worker, team), n in workers.items():
            if seen[worker] == 1:  # a worker found under two teams stays inside the teams
                respondents[worker] = n
                parents[worker] = team
                keys[worker] = worker_keys.get(worker, 0)
        counts: dict[str, list[ItemCounts]] = {}
        for dim in self.dimensions:
            units = dict(items.counts.get(dim.id, {}))
            unit_keys = dict(items.keys.get(dim.id, {}))
            for w, c in by_worker.counts.get(dim.id, {}).items():
                if w in parents:
                    units[w] = c
                    unit_keys[w] = by_worker.keys[dim.id][w]
            counts[dim.id] = [
                ItemCounts(unit, c, unit_keys.get(unit, {})) for unit, c in sorted(units.items())
            ]
        return _PeriodData(Population(respondents, parents, keys), counts, safety)

    async def view(self, period: Period) -> PeriodView:
        """Everything the console can show for a period, decided and audited once by the
        gateway (SDC-05): every page and export of the period reads this one view. Kept
        with the period's counts, per k (an admin may raise k)."""
        gw = self.gateway()

        async def load() -> PeriodView:
            data = await self._data(period, with_workers=False)
            themes = await self.theme_reports.inputs(period)
            inputs = PeriodInputs(data.population, data.items, themes, data.safety)
            return gw.period_view(period, inputs)

        if not is_closed(period, self.today()):  # "not yet available"; nothing is read
            return gw.period_view(period, PeriodInputs(Population({})))
        unused = PeriodView(str(period), gw.k, None, "not available")
        return await self._cache.get(("view", gw.k), period, load, unused)

    async def team_names(self) -> dict[str, str]:
        async with self.db.read() as conn:
            return dict(await catalog.teams(conn))

    # --- reports

    async def period_report(self, period: Period, scope: Scope) -> list[ItemReport]:
        """Distribution and mean of every dimension for one period and unit."""
        view = await self.view(period)
        return [view.item_report(scope, d.id) for d in self.dimensions]

    async def comparison(self, period: Period) -> list[Table]:
        """Teams side by side per dimension (rows in a fixed order, never ranked)."""
        view = await self.view(period)
        return [view.team_comparison(d.id) for d in self.dimensions]

    async def trends(self, scope: Scope, count: int = TREND_PERIODS) -> list[Trend]:
        """Each dimension's mean across the latest closed periods, oldest first: each point
        is the cell its own period's view shows."""
        views = [await self.view(period) for period in reversed(self.periods(count))]
        return [trend(scope, d.id, views) for d in self.dimensions]

    async def themes(
        self,
        period: Period,
        scope: Scope,
        role: str,
        viewer_worker_id: str | None,
        viewer_teams: frozenset[str] = frozenset(),
    ) -> ThemeReport:
        """Framework themes by polarity, their trend, emerging topics and (for reviewers)
        quotes from the viewer's own teams: see `reports.theme_report`."""
        return await self.theme_reports.report(period, scope, role, viewer_worker_id, viewer_teams)

    async def theme_counts(self, period: Period, scope: Scope) -> Mapping[str, Table]:
        """Framework themes by polarity only, as the themes page shows them: for summaries."""
        return await self.theme_reports.counts(period, scope)

    async def safety(self, period: Period) -> Table:
        """How often the safety block was shown, by reason, organisation level only (CC-20),
        audited with the period's results (its "sent" is their number of young people)."""
        return (await self.view(period)).safety()

    async def worker_view(self, period: Period, worker_id: str) -> WorkerView:
        """A worker's own banded results (SDC-10); the gateway says if they are off."""
        data = await self._data(period, with_workers=self.worker_results)
        items: Mapping[str, Sequence[ItemCounts]] = {
            d.id: data.items[d.id] for d in self.dimensions
        }
        return self.gateway().worker_view(period, worker_id, items, data.population)
