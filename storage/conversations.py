"""Conversation drafts and everything one update writes, applied a batch at a time.

A `Job` is one update for one conversation. `apply_batch` runs a batch of them inside one
write transaction (see `committer`), in an order that makes each safe to retry and safe
across processes:

1. read the drafts under the write lock, so nobody else can move them on meanwhile;
2. skip an update already processed (REL-01: membership, never "greater than");
3. run the job's pure step on the current draft;
4. on Send: record participation (one send per invite per person, by HMAC only), then the
   anonymous submission and, if chosen, its deletion receipt; on a repeat, keep nothing;
5. count each Send against its invite's and the organisation's expected pace, holding a
   burst beyond it out of every figure (`storage.pace`);
6. write the drafts, update marks, help requests (sealed by the caller) and safety
   counters set-wise;
7. write each step's replies to the outbox, in the same transaction (issue 13), so a
   crash after the commit delays a reply but cannot lose it.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import help_requests, outbox
from storage.catalog import InviteInfo, invites_by_code, invites_by_id
from storage.coarse_time import day_of, hour_up
from storage.dialect import aware, insert_for
from storage.help_requests import NewHelpRequest
from storage.pace import PaceLimits, holds_for
from storage.schema import (
    Answer,
    Comment,
    CommentTheme,
    Conversation,
    DeletionReceipt,
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
    and, when they chose one, the SHA-256 of their deletion receipt code (AN-19).
    `unquotable`: ids of comments kept after "I'm OK" at the calm question, never quoted."""

    participation: str
    purge_after: str
    receipt: str | None = None
    invite_id: str | None = None  # counted for pacing (storage.pace), never stored with it
    unquotable: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Effects:
    """What one step wants kept: the draft after it (None deletes it) and side records."""

    state: dict[str, object] | None
    submission: NewSubmission | None = None
    help_request: NewHelpRequest | None = None
    safety: tuple[tuple[str, str, str], ...] = field(default=())


@dataclass(frozen=True)
class Outgoing:
    """How to turn a job's final result into outbox rows, and who delivers them: `render`
    gets the job's `Done` (so "already sent" is known) and returns sealed rows."""

    render: Callable[[Done], Sequence[outbox.Envelope]]
    owner: str
    lease: dt.datetime


@dataclass(frozen=True)
class Job:
    """One update for one conversation. `step` runs inside the write transaction with the
    current draft (None if there is none or it expired) and, when `invite_code` is set,
    that invite (None if unknown), else the invite the draft began from, so a revoked one
    can end it; it must be pure and quick."""

    key: str
    now: dt.datetime
    expires_at: dt.datetime
    step: Callable[[dict[str, object] | None, InviteInfo | None], tuple[Effects, Any]]
    update_key: str | None = None
    invite_code: str | None = None
    outgoing: Outgoing | None = None


@dataclass(frozen=True)
class Done:
    """A job's outcome, its step's payload, and its replies as written to the outbox."""

    outcome: Outcome
    payload: Any = None
    queued: tuple[outbox.Stored, ...] = ()


async def apply_batch(
    conn: AsyncConnection, jobs: Sequence[Job], *, limits: PaceLimits | None = None
) -> list[Done]:
    """Apply a batch of jobs in the caller's transaction, in order. With `limits`, a Send
    beyond its invite's expected pace is stored held (see `storage.pace`).

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
    begun = await invites_by_id(conn, {i for d in live.values() if (i := _draft_invite(d))})
    marks, touched, expiry = [], [], {}
    helps: list[NewHelpRequest] = []
    sends: list[tuple[int, NewSubmission]] = []
    safety: Counter[tuple[str, str, str]] = Counter()
    results: list[Done] = []
    for job in jobs:
        if job.update_key is not None:
            if job.update_key in seen:
                results.append(Done(Outcome.DUPLICATE))
                continue
            seen.add(job.update_key)
            marks.append({"key": job.update_key, "seen_at": day_of(job.now)})
        if job.invite_code:
            invite = invites.get(job.invite_code)
        else:
            invite = begun.get(_draft_invite(live.get(job.key)) or "")
        effects, payload = job.step(live.get(job.key), invite)
        live[job.key] = effects.state
        expiry[job.key] = hour_up(job.expires_at)
        touched.append(job.key)
        if effects.submission is not None:
            sends.append((len(results), effects.submission))
        if effects.help_request is not None:
            helps.append(effects.help_request)
        safety.update(effects.safety)
        results.append(Done(Outcome.DONE, payload))
    subs = [sub for _, sub in sends]
    for index in await store_submissions(conn, subs, now=jobs[0].now, limits=limits):
        position = sends[index][0]
        results[position] = Done(Outcome.ALREADY_SENT, results[position].payload)
    await _write_drafts(conn, dict.fromkeys(touched), stored, live, expiry)
    if marks:
        await conn.execute(ProcessedUpdate.__table__.insert(), marks)
    await help_requests.add(conn, helps)
    for (period, reason, category), n in sorted(safety.items()):
        await _count_safety(conn, period, reason, category, n)
    return await _queue_replies(conn, jobs, results)


async def _queue_replies(
    conn: AsyncConnection, jobs: Sequence[Job], results: list[Done]
) -> list[Done]:
    """Write every job's replies to the outbox with one statement per owner."""
    envelopes: dict[int, Sequence[outbox.Envelope]] = {}
    for index, (job, done) in enumerate(zip(jobs, results, strict=True)):
        if job.outgoing is not None and done.outcome is not Outcome.DUPLICATE:
            envelopes[index] = job.outgoing.render(done)
    if not envelopes:
        return results
    first = jobs[next(iter(envelopes))]
    assert first.outgoing is not None
    # One process's jobs share an owner and lease; rows keep the jobs' order.
    stored = iter(
        await outbox.put(
            conn,
            [e for rows in envelopes.values() for e in rows],
            first.now,
            first.outgoing.owner,
            first.outgoing.lease,
        )
    )
    return [
        replace(done, queued=tuple(next(stored) for _ in envelopes.get(index, ())))
        for index, done in enumerate(results)
    ]


def _draft_invite(draft: dict[str, object] | None) -> str | None:
    """The id of the invite a draft began from (the "invite" pair of its context)."""
    context = draft.get("context") if draft else None
    for pair in context if isinstance(context, list) else []:
        if isinstance(pair, list) and len(pair) == 2 and pair[0] == "invite":
            return str(pair[1])
    return None


async def mark_once(conn: AsyncConnection, update_key: str, now: dt.datetime) -> bool:
    """Mark an update handled that runs no conversation step (a notice), in the caller's
    transaction: False if it already was (REL-01). Day-precise, like every mark."""
    if await _processed(conn, [update_key]):
        return False
    await conn.execute(
        ProcessedUpdate.__table__.insert(), [{"key": update_key, "seen_at": day_of(now)}]
    )
    return True


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


async def store_submissions(
    conn: AsyncConnection,
    subs: Sequence[NewSubmission],
    *,
    now: dt.datetime | None = None,
    limits: PaceLimits | None = None,
) -> list[int]:
    """Store anonymous submissions set-wise; returns the indexes of those refused because
    that person already sent one for that invite (participation is an HMAC only, AN-05).
    With `limits` and `now`, each one kept is counted, and held if beyond the pace."""
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
        holds: list[str | None] = [None] * len(kept)
        if limits is not None and now is not None:
            holds = await holds_for(conn, [s.invite_id for s in kept], now, limits)
        await insert_anonymous(conn, kept, holds)
        receipts = [{"code_hash": s.receipt, "submission_id": s.id} for s in kept if s.receipt]
        if receipts:
            await conn.execute(DeletionReceipt.__table__.insert(), receipts)
        hidden = [comment_id for s in kept for comment_id in s.unquotable]
        if hidden:
            c = Comment.__table__.c
            await conn.execute(
                update(Comment.__table__).where(c.id.in_(hidden)).values(quotable=False)
            )
    return refused


async def insert_anonymous(
    conn: AsyncConnection,
    subs: Sequence[AnonymousSubmission],
    holds: Sequence[str | None] | None = None,
) -> None:
    """Insert submissions with their answers, comments and comment themes, set-wise;
    `holds` gives each one's volume alert when it is held out of the figures."""
    held = holds if holds is not None else [None] * len(subs)
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
                "hold_id": hold,
                "record_key": record_key(),
            }
            for s, hold in zip(subs, held, strict=True)
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
