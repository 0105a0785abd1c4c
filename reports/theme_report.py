"""What young people wrote, summarised for one period and scope, with every figure from the
gateway (SDC-01, SDC-11).

Glue only, like `reports.service`: it fetches grouped counts, asks the gateway, and hands
back gateway results. Three things make up a theme report:

- **Framework themes by polarity.** The gateway's `theme_counts` is asked once per polarity
  ("what helps", "what would make it better"), each a separate table of distinct young
  people. There is deliberately no unsplit total beside them: a respondent may be in both
  halves, and total minus one half would undo the suppression of the other.
- **Emerging topics.** Comments that carry no framework theme are clustered once per period
  over the whole organisation (`themes.emerging`), so a team page shows the team's column of
  the same protected table the organisation page shows (SDC-05 holds across pages). A
  topic's count is its distinct submissions; only topics whose cell the gateway shows are
  kept, named by key phrases shared by several young people, never by one person's words.
- **Quotes** for reviewers, up to the gateway's maximum per theme and per topic, chosen and
  shuffled by the gateway's `quotes()`, which judges each against its own cell (theme and
  polarity, or topic, in this scope). A topic the page does not show offers no quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from reports.gateway import (
    Gateway,
    Period,
    Population,
    Quote,
    QuoteCandidate,
    Scope,
    Table,
    is_closed,
    months,
)
from reports.period_cache import ClosedPeriodCache
from storage import reports as queries
from storage.db import Database
from storage.reports import Counts, UnthemedComment
from themes.emerging import emerging_clusters

POLARITIES = ("helps", "better")
REVIEWER = "reviewer"
TREND_PERIODS = 6
QUOTE_POOL = 50  # comments per theme drawn at random in SQL for the gateway to choose from
PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


def changed_ratio(text: str) -> float:
    """Share of a scrubbed comment taken up by placeholders such as [NAME] (AN-18).

    The scrubber's own change count is not stored, so this is read back from the text:
    heavily redacted comments were full of names and places and are never quoted.
    """
    if not text:
        return 1.0
    return sum(len(m) for m in PLACEHOLDER.findall(text)) / len(text)


@dataclass(frozen=True)
class Topic:
    """An emerging cluster as counted: raw figures for the gateway, never shown as they are."""

    id: str
    label: str
    respondents: Mapping[str, int]  # team id -> distinct submissions among its members
    members: tuple[UnthemedComment, ...]


@dataclass(frozen=True)
class _Counts:
    teams: Counts
    by_polarity: Mapping[str, Mapping[str, Counts]]  # polarity -> team -> theme -> people


@dataclass(frozen=True)
class ThemeReport:
    """One period and scope, as gateway results.

    counts: polarity -> framework themes (the whole catalogue, in catalogue order).
    trend: polarity -> (period, table) for the trend periods ending at this one, oldest first.
    topics: emerging topics whose cell is shown; `topic_labels` names them.
    quotes: theme or topic id -> quotes; empty for anyone but a reviewer.
    """

    period: str
    scope: Scope
    counts: Mapping[str, Table]
    trend: Mapping[str, tuple[tuple[str, Table], ...]]
    topics: Table
    topic_labels: Mapping[str, str]
    quotes: Mapping[str, list[Quote]]

    @property
    def notice(self) -> str | None:
        return self.counts[POLARITIES[0]].notice


class ThemeReports:
    """Theme reports for one deployment; `ReportService` builds one and delegates to it."""

    def __init__(
        self,
        db: Database,
        gateway: Callable[[], Gateway],
        *,
        today: Callable[[], dt.date],
        theme_ids: Sequence[str],
    ) -> None:
        self.db = db
        self._gateway = gateway
        self.today = today
        self.theme_ids = tuple(theme_ids)
        self._cache = ClosedPeriodCache(today)

    async def report(
        self, period: Period, scope: Scope, role: str, viewer_worker_id: str | None
    ) -> ThemeReport:
        gw = self._gateway()
        counts = await self._counts(period)
        tables = {p: self._table(gw, period, scope, counts, p) for p in POLARITIES}
        trend: dict[str, list[tuple[str, Table]]] = {p: [] for p in POLARITIES}
        for earlier in trend_periods(period, TREND_PERIODS)[:-1]:
            data = await self._counts(earlier)
            for p in POLARITIES:
                trend[p].append((str(earlier), self._table(gw, earlier, scope, data, p)))
        for p in POLARITIES:  # the last point is this period's own table, cell for cell
            trend[p].append((str(period), tables[p]))
        topics = await self._topics(period)
        ids = [t.id for t in topics]
        table = gw.theme_counts(period, scope, ids, _by_team(topics), Population(counts.teams))
        table = _shown_only(table)
        shown = [t for t in topics if t.id in {row.key for row in table.rows}]
        quotes: dict[str, list[Quote]] = {}
        if role == REVIEWER:
            quotes = await self._theme_quotes(gw, period, scope, viewer_worker_id, counts, tables)
            for topic in shown:
                candidates = _topic_candidates(topic, scope)
                quotes[topic.id] = gw.quotes(period, role, candidates, viewer_worker_id)
        return ThemeReport(
            str(period),
            scope,
            tables,
            {p: tuple(points) for p, points in trend.items()},
            table,
            {t.id: t.label for t in shown},
            {key: found for key, found in quotes.items() if found},
        )

    async def counts(self, period: Period, scope: Scope) -> dict[str, Table]:
        """The report's `counts` alone (no trend, topics or quotes): what a summary needs.
        Kept per closed period, scope and gateway settings, like the counts they come from."""
        gw = self._gateway()

        async def compute() -> dict[str, Table]:
            data = await self._counts(period)
            return {p: self._table(gw, period, scope, data, p) for p in POLARITIES}

        if not is_closed(period, self.today()):
            return await compute()  # the gateway says "not yet available"
        return await self._cache.get(("tables", gw.settings, scope), period, compute, {})

    def _table(
        self, gw: Gateway, period: Period, scope: Scope, counts: _Counts, polarity: str
    ) -> Table:
        themes = counts.by_polarity.get(polarity, {})
        return gw.theme_counts(period, scope, self.theme_ids, themes, Population(counts.teams))

    async def _theme_quotes(
        self,
        gw: Gateway,
        period: Period,
        scope: Scope,
        viewer_worker_id: str | None,
        counts: _Counts,
        tables: Mapping[str, Table],
    ) -> dict[str, list[Quote]]:
        """Per theme, candidates from both polarities, each judged by the gateway against
        its own cell: the young people in this scope whose comments carry that theme with
        that polarity. A cell the page hides offers no quotes, not even when it is hidden
        only to protect another group: a quote there would say the cell holds k or more."""
        if not is_closed(period, self.today()):
            return {}  # nothing of an open period is read, not even quote candidates
        team = scope.unit_id if scope.level == "team" else None
        async with self.db.read() as conn:
            pool = await queries.themed_quote_pool(
                conn,
                months(period),
                team,
                min_chars=gw.settings.quote_min_chars,
                per_theme=QUOTE_POOL,
            )
        cells = {p: _in_scope(counts.by_polarity.get(p, {}), scope) for p in POLARITIES}
        shown = {
            (p, row.key)
            for p, table in tables.items()
            if table.notice is None
            for row in table.rows
            if not row.cells[0].suppressed
        }
        out: dict[str, list[Quote]] = {}
        for theme in self.theme_ids:
            candidates = [
                QuoteCandidate(
                    c.text, cells[c.polarity].get(theme, 0), changed_ratio(c.text), c.worker_id
                )
                for c in pool
                if c.theme == theme and (c.polarity, theme) in shown
            ]
            out[theme] = gw.quotes(period, REVIEWER, candidates, viewer_worker_id)
        return out

    # --- raw counts and topics, fetched once per closed period

    async def _counts(self, period: Period) -> _Counts:
        async def load() -> _Counts:
            buckets = months(period)
            async with self.db.read() as conn:
                teams = await queries.team_respondents(conn, buckets)
                by_polarity = {
                    p: await queries.theme_respondents(conn, buckets, p) for p in POLARITIES
                }
            return _Counts(teams, by_polarity)

        return await self._cache.get("counts", period, load, _Counts({}, {}))

    async def _topics(self, period: Period) -> list[Topic]:
        async def load() -> list[Topic]:
            async with self.db.read() as conn:
                comments = await queries.unthemed_comments(conn, months(period))
            return topics_of(comments)

        return await self._cache.get("topics", period, load, [])


def topics_of(comments: Sequence[UnthemedComment]) -> list[Topic]:
    """Emerging clusters of these comments, biggest first, with their distinct
    respondents per team (a young person who wrote twice on a topic counts once)."""
    topics = []
    for number, cluster in enumerate(emerging_clusters([c.text for c in comments]), start=1):
        members = tuple(comments[i] for i in cluster.members)
        people: dict[str, set[bytes]] = {}
        for member in members:
            people.setdefault(member.team_id, set()).add(member.submission_id)
        by_team = {team: len(ids) for team, ids in people.items()}
        topics.append(Topic(f"new-{number}", cluster.label, by_team, members))
    return topics


def trend_periods(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first."""
    found = [period]
    while len(found) < count:
        found.append(found[-1].preceding())
    return list(reversed(found))


def _by_team(topics: Sequence[Topic]) -> dict[str, Counts]:
    out: dict[str, Counts] = {}
    for topic in topics:
        for team, n in topic.respondents.items():
            out.setdefault(team, {})[topic.id] = n
    return out


def _shown_only(table: Table) -> Table:
    """Only topics the gateway shows a figure for: a topic's very presence is news."""
    if table.notice is not None:
        return table
    return replace(table, rows=tuple(r for r in table.rows if not r.cells[0].suppressed))


def _in_scope(by_team: Mapping[str, Counts], scope: Scope) -> Counts:
    if scope.level == "team":
        return dict(by_team.get(scope.unit_id, {}))
    total: Counts = {}
    for counts in by_team.values():
        for key, n in counts.items():
            total[key] = total.get(key, 0) + n
    return total


def _topic_candidates(topic: Topic, scope: Scope) -> list[QuoteCandidate]:
    mine = [m for m in topic.members if scope.level == "org" or m.team_id == scope.unit_id]
    people = len({m.submission_id for m in mine})
    return [QuoteCandidate(m.text, people, changed_ratio(m.text), m.worker_id) for m in mine]
