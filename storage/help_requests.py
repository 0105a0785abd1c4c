"""The safeguarding lead's queue (SG-07, SG-08, CC-25): requests young people chose to send.

A request holds only the way to reach them, sealed under DATA_KEY by the caller, its kind
("person" or "concern"), the language, the invite's team and the hour it came in. Nothing
links it to answers. Staff add who handled it and a sealed outcome note.

Notices to the rota are claimed here, inside one write transaction, so several server
processes never tell the rota twice about the same requests, and requests that arrive
within the collapsing window share one notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.coarse_time import hour_down
from storage.dialect import aware, insert_for
from storage.schema import AlertMark, ConsoleUser, HelpRequest, Team

help_t = HelpRequest.__table__
mark_t = AlertMark.__table__
DSL_MARK = "dsl"
OVERDUE_MARK = "overdue"


@dataclass(frozen=True)
class NewHelpRequest:
    id: str
    created_at: dt.datetime  # on the hour
    kind: str
    lang: str
    team_id: str | None
    sealed_contact: bytes

    def row(self) -> dict[str, object]:
        return {
            "id": self.id,
            "created_at": hour_down(self.created_at),  # never finer (AN-08)
            "kind": self.kind,
            "lang": self.lang,
            "team_id": self.team_id,
            "sealed_contact": self.sealed_contact,
        }


@dataclass(frozen=True)
class QueueItem:
    id: str
    created_at: dt.datetime
    kind: str
    lang: str
    team: str | None  # the team's name
    sealed_contact: bytes
    handled_at: dt.datetime | None
    handled_by: str | None  # the staff account's username
    sealed_outcome: bytes | None


def _items_query():  # type: ignore[no-untyped-def]
    h = help_t.c
    return select(
        h.id,
        h.created_at,
        h.kind,
        h.lang,
        Team.__table__.c.name.label("team"),
        h.sealed_contact,
        h.handled_at,
        ConsoleUser.__table__.c.username.label("handled_by"),
        h.sealed_outcome,
    ).select_from(
        help_t.outerjoin(Team.__table__, Team.__table__.c.id == h.team_id).outerjoin(
            ConsoleUser.__table__, ConsoleUser.__table__.c.id == h.handled_by
        )
    )


def _item(row: object) -> QueueItem:
    values = dict(row._mapping)  # type: ignore[attr-defined]
    values["created_at"] = aware(values["created_at"])
    if values["handled_at"] is not None:
        values["handled_at"] = aware(values["handled_at"])
    return QueueItem(**values)


async def add(conn: AsyncConnection, requests: list[NewHelpRequest]) -> None:
    if requests:
        await conn.execute(help_t.insert(), [r.row() for r in requests])


async def count_open(conn: AsyncConnection) -> int:
    query = select(func.count()).select_from(help_t).where(help_t.c.handled_at.is_(None))
    return int((await conn.execute(query)).scalar_one())


async def oldest_open(conn: AsyncConnection) -> dt.datetime | None:
    query = select(func.min(help_t.c.created_at)).where(help_t.c.handled_at.is_(None))
    found = (await conn.execute(query)).scalar_one()
    return aware(found) if found is not None else None


async def open_requests(conn: AsyncConnection, *, limit: int, offset: int = 0) -> list[QueueItem]:
    """Unhandled requests, oldest first (the top one is the age the queue reports)."""
    h = help_t.c
    query = _items_query().where(h.handled_at.is_(None)).order_by(h.created_at, h.id)
    rows = await conn.execute(query.limit(limit).offset(offset))
    return [_item(r) for r in rows]


async def handled_requests(
    conn: AsyncConnection, *, limit: int, offset: int = 0
) -> list[QueueItem]:
    h = help_t.c
    query = _items_query().where(h.handled_at.is_not(None)).order_by(h.handled_at.desc(), h.id)
    rows = await conn.execute(query.limit(limit).offset(offset))
    return [_item(r) for r in rows]


async def count_handled(conn: AsyncConnection) -> int:
    query = select(func.count()).select_from(help_t).where(help_t.c.handled_at.is_not(None))
    return int((await conn.execute(query)).scalar_one())


async def mark_handled(
    conn: AsyncConnection, request_id: str, by: str, now: dt.datetime, sealed_outcome: bytes
) -> bool:
    h = help_t.c
    result = await conn.execute(
        update(help_t)
        .where((h.id == request_id) & h.handled_at.is_(None))
        .values(handled_at=now, handled_by=by, sealed_outcome=sealed_outcome)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class Claim:
    """Requests claimed for one notice, and since when they waited (put back on failure)."""

    ids: tuple[str, ...]
    pending_since: dt.datetime


async def claim_notice(
    conn: AsyncConnection, now: dt.datetime, window: dt.timedelta
) -> Claim | None:
    """Collapse requests into one notice: the first round that sees a request waiting
    starts the window; the first round after it ends marks every waiting request told and
    returns them. None while there is nothing to send yet.

    The UPDATE … RETURNING takes the rows' locks, so when two processes get here at once
    (PostgreSQL) the second finds nothing left to claim and sends nothing."""
    h, m = help_t.c, mark_t.c
    waiting = (
        await conn.execute(select(h.id).where(h.notified.is_(False)).limit(1))
    ).first() is not None
    since = (await conn.execute(select(m.marked_at).where(m.name == DSL_MARK))).scalar_one_or_none()
    if not waiting:
        if since is not None:
            await conn.execute(mark_t.delete().where(m.name == DSL_MARK))
        return None
    if since is None:
        stmt = insert_for(conn, mark_t).values(name=DSL_MARK, marked_at=now)
        await conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
        return None
    since = aware(since)
    if now - since < window:
        return None
    claimed = await conn.execute(
        update(help_t).where(h.notified.is_(False)).values(notified=True).returning(h.id)
    )
    ids = tuple(row.id for row in claimed)
    await conn.execute(mark_t.delete().where(m.name == DSL_MARK))
    return Claim(ids, since) if ids else None


async def release(conn: AsyncConnection, claim: Claim) -> None:
    """The notice could not be sent: the requests wait, and the next round tries again."""
    h, m = help_t.c, mark_t.c
    await conn.execute(update(help_t).where(h.id.in_(claim.ids)).values(notified=False))
    await conn.execute(mark_t.delete().where(m.name == DSL_MARK))
    await conn.execute(mark_t.insert().values(name=DSL_MARK, marked_at=claim.pending_since))


@dataclass(frozen=True)
class Reminder:
    """A reminder claimed for the rota, and the one before it (put back on failure)."""

    previous: dt.datetime | None


async def claim_reminder(
    conn: AsyncConnection, now: dt.datetime, target: dt.timedelta
) -> Reminder | None:
    """CC-25: if the oldest open request has waited longer than `target` and the rota was
    not reminded within `target`, stamp a reminder now and return it. The stamp is a
    conditional write, so two processes never both remind."""
    oldest = await oldest_open(conn)
    if oldest is None or now - oldest < target:
        return None
    m = mark_t.c
    raw = (
        await conn.execute(select(m.marked_at).where(m.name == OVERDUE_MARK))
    ).scalar_one_or_none()
    if raw is None:
        stmt = insert_for(conn, mark_t).values(name=OVERDUE_MARK, marked_at=now)
        done = await conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
        return Reminder(None) if done.rowcount == 1 else None
    if now - aware(raw) < target:
        return None
    done = await conn.execute(
        update(mark_t).where((m.name == OVERDUE_MARK) & (m.marked_at == raw)).values(marked_at=now)
    )
    return Reminder(aware(raw)) if done.rowcount == 1 else None


async def release_reminder(conn: AsyncConnection, reminder: Reminder) -> None:
    """The reminder could not be sent: the next round tries again."""
    m = mark_t.c
    if reminder.previous is None:
        await conn.execute(mark_t.delete().where(m.name == OVERDUE_MARK))
    else:
        await conn.execute(
            update(mark_t).where(m.name == OVERDUE_MARK).values(marked_at=reminder.previous)
        )
