"""What the console reads: counts grouped in SQL, handed to the disclosure-control gateway.

Every report query here returns plain numbers per unit (team, or worker when worker
results are on), already GROUPed BY in the database, so no response row ever reaches the
console (SDC-01). The only text that leaves this module is (a) comment text offered to the
gateway as quote candidates, which the gateway filters for reviewers only (SDC-11), (b) the
comments no framework theme fits, which the theme report clusters into emerging topics and
shows only as key phrases and gateway counts. Words a young person kept after "I'm OK" at
the calm question are counted like any comment but never offered as a quote. The help
requests young people chose to send are read by `storage.help_requests` (SG-07).

No query here counts a submission held out of the figures for arriving beyond its invite's
expected pace (`storage.pace`, issue 10): `hold_id IS NULL` on submissions, `_counted` on
comments.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import Answer, Comment, CommentTheme, SafetyCount, Submission

sub_t = Submission.__table__
ans_t = Answer.__table__
com_t = Comment.__table__
theme_t = CommentTheme.__table__
safety_t = SafetyCount.__table__

Counts = dict[str, int]


def _counted(submission_id: ColumnElement[bytes]) -> ColumnElement[bool]:
    """The comment's submission is not held (held ones are few, so the subquery is small)."""
    held = select(sub_t.c.id).where(sub_t.c.hold_id.is_not(None))
    return submission_id.not_in(held)


async def team_respondents(conn: AsyncConnection, months: Sequence[str]) -> Counts:
    """team id -> submissions in these month buckets."""
    s = sub_t.c
    # Grouping by period first lets SQLite walk the period index instead of every team.
    rows = await conn.execute(
        select(s.team_id, func.count())
        .where(s.period.in_(months) & s.hold_id.is_(None))
        .group_by(s.period, s.team_id)
    )
    out: Counts = {}
    for team, n in rows:
        out[team] = out.get(team, 0) + int(n)
    return out


async def team_keys(conn: AsyncConnection, months: Sequence[str]) -> Counts:
    """team id -> sum of its submissions' record keys mod 256: the respondent count's cell key."""
    s = sub_t.c
    rows = await conn.execute(
        select(s.team_id, func.sum(s.record_key))
        .where(s.period.in_(months) & s.hold_id.is_(None))
        .group_by(s.period, s.team_id)
    )
    out: Counts = {}
    for team, keysum in rows:
        out[team] = (out.get(team, 0) + int(keysum or 0)) % 256
    return out


async def worker_respondents(
    conn: AsyncConnection, months: Sequence[str]
) -> dict[tuple[str, str], int]:
    """(worker id, team id) -> submissions about that worker."""
    s = sub_t.c
    rows = await conn.execute(
        select(s.worker_id, s.team_id, func.count())
        .where(s.period.in_(months) & s.worker_id.is_not(None) & s.hold_id.is_(None))
        .group_by(s.period, s.worker_id, s.team_id)
    )
    out: dict[tuple[str, str], int] = {}
    for worker, team, n in rows:
        out[(worker, team)] = out.get((worker, team), 0) + int(n)
    return out


async def worker_keys(conn: AsyncConnection, months: Sequence[str]) -> Counts:
    """worker id -> sum of the record keys of submissions about them, mod 256 (SDC-14)."""
    s = sub_t.c
    rows = await conn.execute(
        select(s.worker_id, func.sum(s.record_key))
        .where(s.period.in_(months) & s.worker_id.is_not(None) & s.hold_id.is_(None))
        .group_by(s.period, s.worker_id)
    )
    out: Counts = {}
    for worker, keysum in rows:
        out[worker] = (out.get(worker, 0) + int(keysum or 0)) % 256
    return out


def _category(status: str, value: int | None) -> str | None:
    if status == "answered":
        return None if value is None else str(value)
    return status if status in ("skip", "pns") else None


@dataclass(frozen=True)
class AnswerTallies:
    """item -> unit id -> category ("1".."5", "skip", "pns") -> respondents (`counts`) and
    the sum of their record keys mod 256 (`keys`, the cell keys of SDC-14)."""

    counts: dict[str, dict[str, Counts]]
    keys: dict[str, dict[str, Counts]]


async def answer_counts(
    conn: AsyncConnection, months: Sequence[str], *, by_worker: bool = False
) -> AnswerTallies:
    """Respondents and cell keys per item, unit and category.

    Units are teams, or workers when `by_worker` (submissions without a worker then do
    not appear). One submission answers an item once, so each count is of young people.
    """
    s, a = sub_t.c, ans_t.c
    unit = s.worker_id if by_worker else s.team_id
    query = (
        select(unit, a.item, a.status, a.value, func.count(), func.sum(s.record_key))
        .select_from(sub_t.join(ans_t, a.submission_id == s.id))
        .where(s.period.in_(months) & s.hold_id.is_(None))
        # Unit last: leading with the team would make SQLite scan every submission.
        .group_by(a.item, a.status, a.value, unit)
    )
    if by_worker:
        query = query.where(s.worker_id.is_not(None))
    out = AnswerTallies({}, {})
    for unit_id, item, status, value, n, keysum in await conn.execute(query):
        key = _category(status, value)
        if key is None:
            continue
        cell = out.counts.setdefault(item, {}).setdefault(unit_id, {})
        cell[key] = cell.get(key, 0) + int(n)
        keys = out.keys.setdefault(item, {}).setdefault(unit_id, {})
        keys[key] = (keys.get(key, 0) + int(keysum or 0)) % 256
    return out


async def theme_respondents(
    conn: AsyncConnection, months: Sequence[str], polarity: str | None = None
) -> dict[str, Counts]:
    """team id -> theme -> distinct young people whose comments carry it.

    polarity: only tags of that polarity ("helps" or "better"); None counts either.
    """
    c, t = com_t.c, theme_t.c
    query = (
        select(c.team_id, t.theme, func.count(func.distinct(c.submission_id)))
        .select_from(com_t.join(theme_t, t.comment_id == c.id))
        .where(c.period.in_(months) & _counted(c.submission_id))
        .group_by(c.team_id, t.theme)
    )
    if polarity is not None:
        query = query.where(t.polarity == polarity)
    out: dict[str, Counts] = {}
    for team, theme, n in await conn.execute(query):
        out.setdefault(team, {})[theme] = int(n)
    return out


async def theme_keys(
    conn: AsyncConnection, months: Sequence[str], polarity: str | None = None
) -> dict[str, Counts]:
    """team id -> theme -> sum of the record keys of the distinct submissions counted by
    `theme_respondents`, mod 256 (SDC-14)."""
    c, t, s = com_t.c, theme_t.c, sub_t.c
    people = (
        select(c.team_id, t.theme, c.submission_id, s.record_key)
        .select_from(com_t.join(theme_t, t.comment_id == c.id).join(sub_t, s.id == c.submission_id))
        .where(c.period.in_(months) & s.hold_id.is_(None))
        .distinct()
    )
    if polarity is not None:
        people = people.where(t.polarity == polarity)
    found = people.subquery()
    rows = await conn.execute(
        select(found.c.team_id, found.c.theme, func.sum(found.c.record_key)).group_by(
            found.c.team_id, found.c.theme
        )
    )
    out: dict[str, Counts] = {}
    for team, theme, keysum in rows:
        out.setdefault(team, {})[theme] = int(keysum or 0) % 256
    return out


@dataclass(frozen=True)
class ThemedText:
    """A tagged comment offered to the gateway as a quote for its theme."""

    theme: str
    polarity: str
    text: str
    worker_id: str | None
    team_id: str


async def themed_quote_pool(
    conn: AsyncConnection,
    months: Sequence[str],
    teams: Collection[str],
    *,
    min_chars: int,
    per_theme: int,
) -> list[ThemedText]:
    """Up to `per_theme` tagged comments for each theme from these teams, drawn at random
    in SQL (only the teams a reviewer is scoped to, even on the organisation's page).

    Per theme rather than overall, so a rare theme is not crowded out by a common one.
    Only for the gateway's `quotes()`, which shows them to reviewers alone.
    """
    c, t = com_t.c, theme_t.c
    rank = func.row_number().over(partition_by=t.theme, order_by=func.random())
    inner = (
        select(t.theme, t.polarity, c.text, c.worker_id, c.team_id, rank.label("rank"))
        .select_from(com_t.join(theme_t, t.comment_id == c.id))
        .where(
            c.period.in_(months)
            & (func.length(c.text) >= min_chars)
            & _counted(c.submission_id)
            & c.quotable
        )
    )
    inner = inner.where(c.team_id.in_(sorted(teams)))
    pool = inner.subquery()
    rows = await conn.execute(
        select(pool.c.theme, pool.c.polarity, pool.c.text, pool.c.worker_id, pool.c.team_id).where(
            pool.c.rank <= per_theme
        )
    )
    return [ThemedText(*row) for row in rows]


@dataclass(frozen=True)
class UnthemedComment:
    """A comment no framework theme fits: material for emerging topics, never shown whole
    except as a reviewer's quote."""

    submission_id: bytes
    team_id: str
    worker_id: str | None
    text: str
    quotable: bool = True
    record_key: int = 0


async def unthemed_comments(conn: AsyncConnection, months: Sequence[str]) -> list[UnthemedComment]:
    """Every comment of the period without a theme tag, in a fixed (id) order so clustering
    the same comments always gives the same topics."""
    c, t, s = com_t.c, theme_t.c, sub_t.c
    tagged = select(t.comment_id).where(t.comment_id == c.id).exists()
    rows = await conn.execute(
        select(c.submission_id, c.team_id, c.worker_id, c.text, c.quotable, s.record_key)
        .select_from(com_t.join(sub_t, s.id == c.submission_id))
        .where(c.period.in_(months) & ~tagged & _counted(c.submission_id))
        .order_by(c.id)
    )
    return [UnthemedComment(*row) for row in rows]


async def safety_totals(conn: AsyncConnection, months: Sequence[str]) -> Counts:
    """reason -> times the safety block was shown (unlinked counters, CC-20)."""
    c = safety_t.c
    rows = await conn.execute(
        select(c.reason, func.sum(c.count)).where(c.period.in_(months)).group_by(c.reason)
    )
    return {reason: int(n or 0) for reason, n in rows}


async def paused_for(conn: AsyncConnection, month: str, category: str) -> int:
    """How many check-ins were paused this month for one kind of worry (SG-09: about
    staff, for the safeguarding lead). An unlinked counter only (CC-20)."""
    c = safety_t.c
    query = select(func.sum(c.count)).where(
        (c.period == month) & (c.reason == "disclosure") & (c.category == category)
    )
    return int((await conn.execute(query)).scalar_one() or 0)
