"""The outbox table: replies written in the same transaction as the step they answer, so a
crash after the commit cannot lose one (issue 13, REL-04).

Every function takes the caller's connection, except where noted. The rules that keep one
chat's replies in order across processes:

- a row is delivered only by the process that holds its lane (`owner`, until `lease`);
- `put` lets the writing process hold a new row at once only if nobody else holds or
  waits in that lane, else it waits unheld behind the rows before it;
- `claim` takes only lanes whose first row is free (no lease, or an expired one), locking
  that row with FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite has one writer anyway), and
  then holds the whole lane.

Chat ids and bodies arrive sealed; nothing here can read them.

Channels share the table and keep to their own lanes when claiming: Telegram's lanes are
bare HMACs (as before WhatsApp came), another channel's start with its prefix ("wa:").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.dialect import aware
from storage.schema import OutboxMessage

outbox = OutboxMessage.__table__


@dataclass(frozen=True)
class Envelope:
    """A row to write: the lane (HMAC of the chat), the sealed chat id and call, and
    whether it is a safety message."""

    lane: str
    chat: bytes
    body: bytes
    urgent: bool


@dataclass(frozen=True)
class Stored:
    """A row as written or claimed. `held`: this process may deliver it now."""

    seq: int
    lane: str
    chat: bytes
    body: bytes
    urgent: bool
    born: dt.datetime
    held: bool = True


def hour(now: dt.datetime) -> dt.datetime:
    """The hour a row was written in: no finer time than the maximum age needs."""
    return now.replace(minute=0, second=0, microsecond=0)


async def put(
    conn: AsyncConnection,
    envelopes: Sequence[Envelope],
    now: dt.datetime,
    owner: str,
    lease: dt.datetime,
) -> list[Stored]:
    """Write rows in the caller's transaction, in order; held by `owner` where its lane is
    free of rows anybody else holds or waits for."""
    if not envelopes:
        return []
    o = outbox.c
    lanes = sorted({e.lane for e in envelopes})
    others = select(o.lane).where(o.lane.in_(lanes), or_(o.owner.is_(None), o.owner != owner))
    busy = set((await conn.execute(others.distinct())).scalars())
    born = hour(now)
    rows = [
        {
            "lane": e.lane,
            "chat": e.chat,
            "body": e.body,
            "urgent": e.urgent,
            "born": born,
            "owner": None if e.lane in busy else owner,
            "lease": None if e.lane in busy else lease,
        }
        for e in envelopes
    ]
    result = await conn.execute(
        outbox.insert().returning(o.seq, sort_by_parameter_order=True), rows
    )
    return [
        Stored(seq, e.lane, e.chat, e.body, e.urgent, born, held=e.lane not in busy)
        for seq, e in zip(result.scalars(), envelopes, strict=True)
    ]


def _channel(prefix: str) -> ColumnElement[bool]:
    """The lanes of one channel: those starting with `prefix`, or with "" Telegram's."""
    if prefix:
        return outbox.c.lane.startswith(prefix, autoescape=True)
    return ~outbox.c.lane.contains(":")


async def claim(
    db: Database,
    owner: str,
    now: dt.datetime,
    lease: dt.datetime,
    lanes: int = 100,
    prefix: str = "",
) -> list[Stored]:
    """Take up to `lanes` free lanes of one channel (see `_channel`), safety messages
    first, in their own transaction; their rows in order."""
    o, earlier = outbox.c, outbox.alias("earlier")
    first = ~exists().where(earlier.c.lane == o.lane, earlier.c.seq < o.seq)
    free = or_(o.lease.is_(None), o.lease < now)
    heads = (
        select(o.lane)
        .where(first, free, _channel(prefix))
        .order_by(o.urgent.desc(), o.seq)
        .limit(lanes)
        .with_for_update(skip_locked=True)
    )
    async with db.write() as conn:
        taken = list((await conn.execute(heads)).scalars())
        if not taken:
            return []
        await conn.execute(update(outbox).where(o.lane.in_(taken)).values(owner=owner, lease=lease))
        rows = await conn.execute(
            select(o.seq, o.lane, o.chat, o.body, o.urgent, o.born)
            .where(o.lane.in_(taken))
            .order_by(o.seq)
        )
        return [Stored(r.seq, r.lane, r.chat, r.body, r.urgent, aware(r.born)) for r in rows]


async def waiting(db: Database, now: dt.datetime, prefix: str = "") -> bool:
    """Whether any row of one channel is free to claim: a cheap read before taking the
    write lock."""
    o = outbox.c
    free = select(o.seq).where(or_(o.lease.is_(None), o.lease < now), _channel(prefix)).limit(1)
    async with db.read() as conn:
        return (await conn.execute(free)).first() is not None


async def backlog(conn: AsyncConnection) -> tuple[int, dt.datetime | None]:
    """How many messages wait, in every process, and the hour the oldest was written."""
    o = outbox.c
    count, oldest = (await conn.execute(select(func.count(), func.min(o.born)))).one()
    return int(count), aware(oldest) if oldest is not None else None


async def delivered(db: Database, seqs: Sequence[int]) -> None:
    """Delete delivered rows: nothing of a reply outlives its delivery."""
    async with db.write() as conn:
        await conn.execute(delete(outbox).where(outbox.c.seq.in_(seqs)))


async def drop_lane(db: Database, lane: str) -> int:
    """Delete everything waiting for one chat (it blocked the bot)."""
    async with db.write() as conn:
        return (await conn.execute(delete(outbox).where(outbox.c.lane == lane))).rowcount


async def renew(db: Database, owner: str, lease: dt.datetime) -> None:
    """Extend this process's hold on what it is still delivering."""
    async with db.write() as conn:
        await conn.execute(update(outbox).where(outbox.c.owner == owner).values(lease=lease))


async def release(db: Database, owner: str | None = None) -> None:
    """Let go of rows (this process's, or with None every process's) so the next deliverer
    takes them at once: on a clean stop, or on start with SQLite's single deliverer."""
    where = outbox.c.owner.is_not(None) if owner is None else outbox.c.owner == owner
    async with db.write() as conn:
        await conn.execute(update(outbox).where(where).values(owner=None, lease=None))


async def expire(db: Database, before: dt.datetime) -> int:
    """Drop rows written before `before` (past the maximum age): dead letters."""
    async with db.write() as conn:
        return (await conn.execute(delete(outbox).where(outbox.c.born < hour(before)))).rowcount
