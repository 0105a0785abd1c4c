"""The outbox table's rules (issue 13, REL-04), on SQLite and PostgreSQL: rows come back in
order per chat, a lane held by a live process is left alone, a dead one's is taken over,
two processes claiming at once never take the same chat, and old rows are dropped."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select

from storage import outbox
from storage.db import Database
from storage.outbox import Envelope

NOW = dt.datetime(2026, 12, 5, 11, 42, 17, 123456, tzinfo=dt.UTC)
LEASE = NOW + dt.timedelta(seconds=60)


def _rows(lane: str, n: int, urgent: bool = False) -> list[Envelope]:
    return [Envelope(lane, b"sealed-chat", f"{lane}-{i}".encode(), urgent) for i in range(n)]


async def _put(db: Database, rows: list[Envelope], owner: str) -> list[outbox.Stored]:
    async with db.write() as conn:
        return await outbox.put(conn, rows, NOW, owner, LEASE)


async def _count(db: Database) -> int:
    async with db.read() as conn:
        query = select(func.count()).select_from(outbox.outbox)
        return int((await conn.execute(query)).scalar_one())


async def test_rows_keep_their_order_and_only_the_hour(db: Database) -> None:
    stored = await _put(db, [*_rows("a", 3), *_rows("b", 2)], "p1")
    assert [s.body for s in stored] == [b"a-0", b"a-1", b"a-2", b"b-0", b"b-1"]
    assert all(s.held for s in stored)
    seqs = [s.seq for s in stored]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    # The row's only time is the hour it was written in (its order is `seq`).
    assert {s.born for s in stored} == {dt.datetime(2026, 12, 5, 11, tzinfo=dt.UTC)}


async def test_a_lane_held_by_a_live_process_waits_and_a_dead_ones_is_taken_over(
    db: Database,
) -> None:
    await _put(db, _rows("chat", 2), "p1")
    later = await _put(db, _rows("chat", 1), "p2")
    assert [s.held for s in later] == [False]  # p2 must not send ahead of p1's rows
    assert await outbox.claim(db, "p2", NOW, LEASE) == []  # p1's lease holds
    after = LEASE + dt.timedelta(seconds=1)
    taken = await outbox.claim(db, "p2", after, after + dt.timedelta(seconds=60))
    assert [t.body for t in taken] == [b"chat-0", b"chat-1", b"chat-0"]  # all of it, in order
    assert await outbox.claim(db, "p3", after, after) == []  # now p2's


async def test_the_holder_appends_to_its_own_lane(db: Database) -> None:
    await _put(db, _rows("chat", 1), "p1")
    assert [s.held for s in await _put(db, _rows("chat", 1), "p1")] == [True]


async def test_free_lanes_go_safety_first_and_delivered_rows_are_deleted(db: Database) -> None:
    await _put(db, _rows("quiet", 2), "gone")
    await _put(db, _rows("help", 1, urgent=True), "gone")
    await outbox.release(db)  # as a single deliverer does at start
    taken = await outbox.claim(db, "p1", NOW, LEASE, lanes=1)
    assert [t.body for t in taken] == [b"help-0"]
    await outbox.delivered(db, [t.seq for t in taken])
    assert await _count(db) == 2


async def test_two_processes_claiming_at_once_never_share_a_chat(db_url: str) -> None:
    """PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time."""
    one, two = Database(db_url), Database(db_url)
    try:
        for lane in range(40):
            await _put(one, _rows(f"lane{lane:02}", 3), "dead")
        await outbox.release(one)
        claims = await asyncio.gather(
            *(outbox.claim(db, f"p{i}", NOW, LEASE, lanes=7) for i in range(6) for db in (one, two))
        )
        lanes = [{row.lane for row in claim} for claim in claims]
        assert sum(len(taken) for taken in lanes) == len(set().union(*lanes))  # disjoint
        assert all(len(claim) == 3 * len(taken) for claim, taken in zip(claims, lanes, strict=True))
    finally:
        await one.dispose()
        await two.dispose()


async def test_rows_past_the_maximum_age_are_dropped(db: Database) -> None:
    await _put(db, _rows("old", 2), "p1")
    assert await outbox.expire(db, NOW) == 0  # written this hour
    assert await outbox.expire(db, NOW + dt.timedelta(hours=1)) == 2
    assert await _count(db) == 0


async def test_dropping_a_blocked_chat_and_renewing_a_lease(db: Database) -> None:
    await _put(db, [*_rows("blocked", 2), *_rows("other", 1)], "p1")
    assert await outbox.drop_lane(db, "blocked") == 2
    later = LEASE + dt.timedelta(seconds=30)
    await outbox.renew(db, "p1", later + dt.timedelta(seconds=60))
    assert await outbox.claim(db, "p2", later, later) == []  # renewed: still p1's
    assert await outbox.waiting(db, later) is False
    await outbox.release(db, "p1")
    assert await outbox.waiting(db, later) is True
