"""Conversation drafts and everything one update writes, applied a batch at a time.

A `Job` is one update for one conversation. `apply_batch` runs a batch of them inside one
write transaction (see `committer`), in an order that makes each safe to retry and safe
across processes:

1. read the drafts under the write lock, so nobody else can move them on meanwhile;
2. skip an update already processed (REL-01: membership, never "greater than");
3. run the job's pure step on the current draft;
4. on Send: record participation (one send per invite per person, by HMAC only), then the
   anonymous submission and, if chosen, its deletion receipt; on a repeat, keep nothing;
5. write the drafts, update marks, help requests and safety counters set-wise.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.catalog import InviteInfo, invites_by_code
from storage.dialect import aware, insert_for
from storage.schema import (
    Answer,
    Comment,
    CommentTheme,
    Conversation,
    DeletionReceipt,
    HelpRequest,
    Participation,
    ProcessedUpdate,
    SafetyCount,
    Submission,
    record_key,
)

conversations = Conversation.__table__


def random_key() -> bytes:
    """A 128-bit key from the OS's CSPRNG: never sequential or time-ordered (AN-09)."""
    return secrets.token_bytes(16)


class Outcome(enum.Enum):
    DONE = "done"
    DUPLICATE = "duplicate"
    ALREADY_SENT = "already_sent"


@dataclass(frozen=True)
class AnonymousSubmission:
    """What is kept of a submission: random keys, a month bucket and whom it is about,
    never a person (AN-08, AN-09). `comments` are (id, question, scrubbed text, themes)."""

    id: bytes
    period: str
    team_id: str
    worker_id: str | None
    flow_id: str
    flow_version: int
    answers: tuple[tuple[str, int | None, str], ...]
    comments: tuple[tuple[bytes, str, str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class NewSubmission(AnonymousSubmission):
    """A young person's submission, with the participation mark that stops a second one
    and, when they chose one, the SHA-256 of their deletion receipt code (AN-19)."""

    participation: str
    purge_after: str
    receipt: str | None = None


@dataclass(frozen=True)
class Effects:
    """What one step wants kept: the draft after it (None deletes it) and side records."""

    state: dict[str, object] | None
    submission: NewSubmission | None = None
    help_request: tuple[str, str] | None = None
    safety: tuple[tuple[str, str, str], ...] = field(default=())


@dataclass(frozen=True)
class Job:
    """One update for one conversation. `step` runs inside the write transaction with the
    current draft (None if there is none or it expired) and, when `invite_code` is set,
    that invite (None if unknown); it must be pure and quick."""

    key: str
    now: dt.datetime
    expires_at: dt.datetime
    step: Callable[[dict[str, object] | None, InviteInfo | None], tuple[Effects, Any]]
    update_key: str | None = None
    invite_code: str | None = None


@dataclass(frozen=True)
class Done:
    outcome: Outcome
    payload: Any = None


async def apply_batch(conn: AsyncConnection, jobs: Sequence[Job]) -> list[Done]:
    """Apply a batch of jobs in the caller's transaction, in order.

    The drafts are read under the write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's
    FOR UPDATE), so no other writer can move them on meanwhile; the batch's writes then
    go out as a few set-wise statements instead of several per update.
    """
    c = conversations.c
    keys = sorted({job.key for job in jobs})
    # ORDER BY makes PostgreSQL take the row locks in key order in every process, so two
    # batches sharing drafts wait for each other instead of deadlocking.
    rows = await conn.execute(
        select(c.key, c.state, c.expires_at)
        .where(c.key.in_(keys))
        .order_by(c.key)
        .with_for_update()
    )
    stored: set[str] = set()
    live: dict[str, dict[str, object] | None] = {}
    for row in rows:
        stored.add(row.key)
        live[row.key] = _live(row.state, row.expires_at, jobs[0].now)
    seen = await _processed(conn, [j.update_key for j in jobs if j.update_key is not None])
    invites = await invites_by_code(conn, {j.invite_code for j in jobs if j.invite_code})
    marks, touched, expiry, helps = [], [], {}, []
    sends: list[tuple[int, NewSubmission]] = []
    safety: Counter[tuple[str, str, str]] = Counter()
    results: list[Done] = []
    for job in jobs:
        if job.update_key is not None:
            if job.update_key in seen:
                results.append(Done(Outcome.DUPLICATE))
                continue
            seen.add(job.update_key)
            marks.append({"key": job.update_key, "seen_at": job.now})
        invite = invites.get(job.invite_code) if job.invite_code else None
        effects, payload = job.step(live.get(job.key), invite)
        live[job.key] = effects.state
        expiry[job.key] = job.expires_at
        touched.append(job.key)
        if effects.submission is not None:
            sends.append((len(results), effects.submission))
        if effects.help_request is not None:
            request_id, contact = effects.help_request
            helps.append({"id": request_id, "created_at": job.now, "contact": contact})
        safety.update(effects.safety)
        results.append(Done(Outcome.DONE, payload))
    for index in await store_submissions(conn, [sub for _, sub in sends]):
        position = sends[index][0]
        results[position] = Done(Outcome.ALREADY_SENT, results[position].payload)
    await _write_drafts(conn, dict.fromkeys(touched), stored, live, expiry)
    if marks:
        await conn.execute(ProcessedUpdate.__table__.insert(), marks)
    if helps:
        await conn.execute(HelpRequest.__table__.insert(), helps)
    for (period, reason, category), n in sorted(safety.items()):
        await _count_safety(conn, period, reason, category, n)
    return results


async def _processed(conn: AsyncConnection, update_keys: list[str]) -> set[str]:
    if not update_keys:
        return set()
    u = ProcessedUpdate.__table__.c
    return {r.key for r in await conn.execute(select(u.key).where(u.key.in_(update_keys)))}


async def _write_drafts(
    conn: AsyncConnection,
    touched: dict[str, None],
    stored: set[str],
    live: dict[str, dict[str, object] | None],
    expiry: dict[str, dt.datetime],
) -> None:
    c = conversations.c
    changed = [
        {"b_key": k, "b_state": json.dumps(live[k]), "b_expires": expiry[k]}
        for k in touched
        if k in stored and live[k] is not None
    ]
    gone = [{"b_key": k} for k in touched if k in stored and live[k] is None]
    new = [
        {"key": k, "state": json.dumps(live[k]), "expires_at": expiry[k]}
        for k in touched
        if k not in stored and live[k] is not None
    ]
    if changed:
        await conn.execute(
            update(conversations)
            .where(c.key == bindparam("b_key"))
            .values(state=bindparam("b_state"), expires_at=bindparam("b_expires")),
            changed,
        )
    if gone:
        await conn.execute(delete(conversations).where(c.key == bindparam("b_key")), gone)
    if new:
        await conn.execute(conversations.insert(), new)


async def store_submissions(conn: AsyncConnection, subs: Sequence[NewSubmission]) -> list[int]:
    """Store anonymous submissions set-wise; returns the indexes of those refused because
    that person already sent one for that invite (participation is an HMAC only, AN-05)."""
    if not subs:
        return []
    p = Participation.__table__
    pids = [sub.participation for sub in subs]
    taken = {r.pid for r in await conn.execute(select(p.c.pid).where(p.c.pid.in_(pids)))}
    refused, kept = [], []
    for index, sub in enumerate(subs):
        if sub.participation in taken:
            refused.append(index)
        else:
            taken.add(sub.participation)
            kept.append(sub)
    if kept:
        await conn.execute(
            p.insert(), [{"pid": s.participation, "purge_after": s.purge_after} for s in kept]
        )
        await insert_anonymous(conn, kept)
        receipts = [{"code_hash": s.receipt, "submission_id": s.id} for s in kept if s.receipt]
        if receipts:
            await conn.execute(DeletionReceipt.__table__.insert(), receipts)
    return refused


async def insert_anonymous(conn: AsyncConnection, subs: Sequence[AnonymousSubmission]) -> None:
    """Insert submissions with their answers, comments and comment themes, set-wise."""
    await conn.execute(
        Submission.__table__.insert(),
        [
            {
                "id": s.id,
                "period": s.period,
                "team_id": s.team_id,
                "worker_id": s.worker_id,
                "flow_id": s.flow_id,
                "flow_version": s.flow_version,
                "record_key": record_key(),
            }
            for s in subs
        ],
    )
    answers = [
        {"submission_id": s.id, "item": item, "value": value, "status": status}
        for s in subs
        for item, value, status in s.answers
    ]
    comments = [
        {
            "id": comment_id,
            "submission_id": s.id,
            "period": s.period,
            "team_id": s.team_id,
            "worker_id": s.worker_id,
            "question": question,
            "text": text,
        }
        for s in subs
        for comment_id, question, text, _ in s.comments
    ]
    themes = [
        {"comment_id": comment_id, "theme": theme, "polarity": polarity}
        for s in subs
        for comment_id, _, _, tags in s.comments
        for theme, polarity in tags
    ]
    for table, rows in ((Answer, answers), (Comment, comments), (CommentTheme, themes)):
        if rows:
            await conn.execute(table.__table__.insert(), rows)


async def _count_safety(
    conn: AsyncConnection, period: str, reason: str, category: str, n: int
) -> None:
    table = SafetyCount.__table__
    stmt = insert_for(conn, table).values(period=period, reason=reason, category=category, count=n)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["period", "reason", "category"],
            set_={"count": table.c.count + n},
        )
    )


async def load_draft(conn: AsyncConnection, key: str, now: dt.datetime) -> dict[str, object] | None:
    """The live draft for `key`; one past its expiry counts as gone (AN-03)."""
    c = conversations.c
    row = (await conn.execute(select(c.state, c.expires_at).where(c.key == key))).first()
    return None if row is None else _live(row.state, row.expires_at, now)


def _live(state: str, expires_at: dt.datetime, now: dt.datetime) -> dict[str, object] | None:
    """A stored draft, or None once it is past its expiry (AN-03)."""
    draft: dict[str, object] | None = json.loads(state) if aware(expires_at) > now else None
    return draft
