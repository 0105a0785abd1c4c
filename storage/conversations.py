"""Conversation drafts and everything one update writes, applied as one unit.

`ConversationWrite` is what the conversation service asks for after one engine step. It
is applied inside a shared transaction (see `committer`) in an order that makes it safe
to retry and safe across processes:

1. mark the update as processed (REL-01) — if already marked, do nothing at all;
2. move the draft on, but only from the version we read (optimistic concurrency), so two
   processes cannot both advance one conversation; on a clash undo step 1 and report it;
3. on Send: record participation (one send per invite per person, by HMAC only), then the
   anonymous submission; on a repeat, keep nothing;
4. unlinked side records: a help request, safety counters.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import insert_for
from storage.schema import (
    Answer,
    Comment,
    CommentTheme,
    Conversation,
    HelpRequest,
    Participation,
    ProcessedUpdate,
    SafetyCount,
    Submission,
)

conversations = Conversation.__table__


def random_key() -> bytes:
    """A 128-bit key from the OS's CSPRNG: never sequential or time-ordered (AN-09)."""
    return secrets.token_bytes(16)


class Outcome(enum.Enum):
    DONE = "done"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    ALREADY_SENT = "already_sent"


@dataclass(frozen=True)
class Draft:
    """The stored draft: `state` is None when there is none or it has expired; `version`
    is the stored row's version either way, so a fresh start overwrites an expired row."""

    state: dict[str, object] | None
    version: int | None


@dataclass(frozen=True)
class NewSubmission:
    id: bytes
    period: str
    team_id: str
    worker_id: str | None
    flow_id: str
    flow_version: int
    participation: str
    purge_after: str
    answers: tuple[tuple[str, int | None, str], ...]
    comments: tuple[tuple[bytes, str, str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class ConversationWrite:
    key: str
    read_version: int | None
    state: dict[str, object] | None
    expires_at: dt.datetime
    now: dt.datetime
    update_key: str | None = None
    submission: NewSubmission | None = None
    help_request: tuple[str, str] | None = None
    safety: tuple[tuple[str, str, str], ...] = field(default=())

    async def __call__(self, conn: AsyncConnection) -> Outcome:
        if self.update_key is not None and not await self._mark_processed(conn):
            return Outcome.DUPLICATE
        if not await self._move_draft(conn):
            if self.update_key is not None:
                await conn.execute(
                    delete(ProcessedUpdate.__table__).where(
                        ProcessedUpdate.__table__.c.key == self.update_key
                    )
                )
            return Outcome.CONFLICT
        outcome = Outcome.DONE
        if self.submission is not None:
            outcome = await _store_submission(conn, self.submission)
        if self.help_request is not None:
            request_id, contact = self.help_request
            await conn.execute(
                HelpRequest.__table__.insert().values(
                    id=request_id, created_at=self.now, contact=contact
                )
            )
        for period, reason, category in self.safety:
            await _count_safety(conn, period, reason, category)
        return outcome

    async def _mark_processed(self, conn: AsyncConnection) -> bool:
        table = ProcessedUpdate.__table__
        stmt = insert_for(conn, table).values(key=self.update_key, seen_at=self.now)
        result = await conn.execute(stmt.on_conflict_do_nothing())
        return result.rowcount == 1

    async def _move_draft(self, conn: AsyncConnection) -> bool:
        c = conversations.c
        if self.read_version is None:
            if self.state is None:
                return True
            stmt = insert_for(conn, conversations).values(
                key=self.key, state=json.dumps(self.state), version=1, expires_at=self.expires_at
            )
            result = await conn.execute(stmt.on_conflict_do_nothing())
            return result.rowcount == 1
        where = (c.key == self.key) & (c.version == self.read_version)
        if self.state is None:
            result = await conn.execute(delete(conversations).where(where))
        else:
            result = await conn.execute(
                update(conversations)
                .where(where)
                .values(
                    state=json.dumps(self.state),
                    version=self.read_version + 1,
                    expires_at=self.expires_at,
                )
            )
        return result.rowcount == 1


async def _store_submission(conn: AsyncConnection, sub: NewSubmission) -> Outcome:
    table = Participation.__table__
    first = await conn.execute(
        insert_for(conn, table)
        .values(pid=sub.participation, purge_after=sub.purge_after)
        .on_conflict_do_nothing()
    )
    if first.rowcount != 1:
        return Outcome.ALREADY_SENT
    await conn.execute(
        Submission.__table__.insert().values(
            id=sub.id,
            period=sub.period,
            team_id=sub.team_id,
            worker_id=sub.worker_id,
            flow_id=sub.flow_id,
            flow_version=sub.flow_version,
        )
    )
    if sub.answers:
        await conn.execute(
            Answer.__table__.insert(),
            [
                {"submission_id": sub.id, "item": item, "value": value, "status": status}
                for item, value, status in sub.answers
            ],
        )
    for comment_id, question, text, themes in sub.comments:
        await conn.execute(
            Comment.__table__.insert().values(
                id=comment_id,
                submission_id=sub.id,
                period=sub.period,
                team_id=sub.team_id,
                worker_id=sub.worker_id,
                question=question,
                text=text,
            )
        )
        if themes:
            await conn.execute(
                CommentTheme.__table__.insert(),
                [{"comment_id": comment_id, "theme": t, "polarity": p} for t, p in themes],
            )
    return Outcome.DONE


async def _count_safety(conn: AsyncConnection, period: str, reason: str, category: str) -> None:
    table = SafetyCount.__table__
    stmt = insert_for(conn, table).values(period=period, reason=reason, category=category, count=1)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["period", "reason", "category"],
            set_={"count": table.c.count + 1},
        )
    )


async def load_draft(conn: AsyncConnection, key: str, now: dt.datetime) -> Draft:
    c = conversations.c
    row = (await conn.execute(select(c.state, c.version, c.expires_at).where(c.key == key))).first()
    if row is None:
        return Draft(None, None)
    if _aware(row.expires_at) <= now:
        return Draft(None, row.version)
    return Draft(json.loads(row.state), row.version)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything we store is UTC (REL-16).
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
