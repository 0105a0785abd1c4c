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
  Quotes come only from the teams the reviewer is scoped to, even on the organisation's
  page, and each is judged by its own team's cell, so a team where fewer than k young
  people raised the theme is never quoted, however many did elsewhere (issue 10). Held
  submissions count nowhere (`storage.reports`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from reports.gateway import (
    Gateway,
    Period,
    PeriodView,
    Quote,
    QuoteCandidate,
    Scope,
    Table,
    ThemeCounts,
    is_closed,
    months,
)
from reports.period_cache import ClosedPeriodCache
from storage import reports as queries
from storage.db import Database
from storage.reports import Counts, UnthemedComment
from themes.emerging import emerging_clusters

POLARITIES = ("helps", "better")
TOPICS = "topics"  # the emerging topics' table in the period's view
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
    keys: Mapping[str, int]  # team id -> their record keys' sum mod 256 (SDC-14)


@dataclass(frozen=True)
class _Counts:
    teams: Counts
    by_polarity: Mapping[str, Mapping[str, Counts]]  # polarity -> team -> theme -> people
    keys: Mapping[str, Mapping[str, Counts]]  # the same shape: record-key sums (SDC-14)


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
        views: Callable[[Period], Awaitable[PeriodView]],
    ) -> None:
        self.db = db
        self._gateway = gateway
        self.today = today
        self.theme_ids = tuple(theme_ids)
        self._views = views
        self._cache = ClosedPeriodCache(today)

    async def inputs(self, period: Period) -> dict[str, ThemeCounts]:
        """The period's theme tables as the gateway audits them with everything else:
        one per polarity, and the emerging topics."""
        counts = await self._counts(period)
        tables = {
            p: ThemeCounts(self.theme_ids, counts.by_polarity.get(p, {}), counts.keys.get(p, {}))
            for p in POLARITIES
        }
        topics = await self._topics(period)
        keys: dict[str, Counts] = {}
        for topic in topics:
            for team, key in topic.keys.items():
                keys.setdefault(team, {})[topic.id] = key
        tables[TOPICS] = ThemeCounts([t.id for t in topics], _by_team(topics), keys)
        return tables

    async def report(
        self,
        period: Period,
        scope: Scope,
        role: str,
        viewer_worker_id: str | None,
        viewer_teams: frozenset[str] = frozenset(),
    ) -> ThemeReport:
        """viewer_teams: the teams the viewer is scoped to; quotes come from these alone."""
        gw = self._gateway()
        counts = await self._counts(period)
        view = await self._views(period)
        tables = {p: view.theme_counts(scope, p) for p in POLARITIES}
        trend: dict[str, list[tuple[str, Table]]] = {p: [] for p in POLARITIES}
        for earlier in trend_periods(period, TREND_PERIODS)[:-1]:
            earlier_view = await self._views(earlier)
            for p in POLARITIES:
                trend[p].append((str(earlier), earlier_view.theme_counts(scope, p)))
        for p in POLARITIES:  # the last point is this period's own table, cell for cell
            trend[p].append((str(period), tables[p]))
        topics = await self._topics(period)
        table = _shown_only(view.theme_counts(scope, TOPICS))
        shown = [t for t in topics if t.id in {row.key for row in table.rows}]
        quotes: dict[str, list[Quote]] = {}
        if role == REVIEWER:
            teams = {scope.unit_id} if scope.level == "team" else set(viewer_teams)
            quotes = await self._theme_quotes(gw, period, viewer_worker_id, counts, tables, teams)
            for topic in shown:
                candidates = _topic_candidates(topic, teams)
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
        """The report's `counts` alone (no trend, topics or quotes), from the period's one
        audited view: what a summary needs."""
        view = await self._views(period)
        return {p: view.theme_counts(scope, p) for p in POLARITIES}

    async def _theme_quotes(
        self,
        gw: Gateway,
        period: Period,
        viewer_worker_id: str | None,
        counts: _Counts,
        tables: Mapping[str, Table],
        teams: set[str],
    ) -> dict[str, list[Quote]]:
        """Per theme, candidates from both polarities and from `teams` only, each judged by
        the gateway against its own team's cell: the young people in that team whose
        comments carry that theme with that polarity (never more than the page's cell). A
        cell the page hides offers no quotes, not even when it is hidden only to protect
        another group: a quote there would say the cell holds k or more."""
        if not is_closed(period, self.today()) or not teams:
            return {}  # nothing of an open period is read, not even quote candidates
        async with self.db.read() as conn:
            pool = await queries.themed_quote_pool(
                conn,
                months(period),
                teams,
                min_chars=gw.settings.quote_min_chars,
                per_theme=QUOTE_POOL,
            )
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
                    c.text,
                    counts.by_polarity.get(c.polarity, {}).get(c.team_id, {}).get(theme, 0),
                    changed_ratio(c.text),
                    c.worker_id,
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
                keys = {p: await queries.theme_keys(conn, buckets, p) for p in POLARITIES}
            return _Counts(teams, by_polarity, keys)

        return await self._cache.get("counts", period, load, _Counts({}, {}, {}))

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
        people: dict[str, dict[bytes, int]] = {}
        for member in members:
            people.setdefault(member.team_id, {})[member.submission_id] = member.record_key
        by_team = {team: len(ids) for team, ids in people.items()}
        keys = {team: sum(ids.values()) % 256 for team, ids in people.items()}
        topics.append(Topic(f"new-{number}", cluster.label, by_team, members, keys))
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


def _topic_candidates(topic: Topic, teams: set[str]) -> list[QuoteCandidate]:
    """Members from `teams` only, each judged by its own team's count on the topic; words
    kept after "I'm OK" at the calm question are never quoted."""
    return [
        QuoteCandidate(m.text, topic.respondents[m.team_id], changed_ratio(m.text), m.worker_id)
        for m in topic.members
        if m.team_id in teams and m.quotable
    ]
