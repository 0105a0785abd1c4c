"""Deleting what must not be kept: expired drafts (AN-03), old update marks (REL-01),
participation marks past their campaign (AN-05), and pacing counters once no window
still being judged needs them (issue 10)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from storage.db import Database
from storage.pace import purge_counts
from storage.schema import Conversation, Participation, ProcessedUpdate

UPDATE_MARKS_KEPT = dt.timedelta(days=7)


async def purge(db: Database, now: dt.datetime, this_month: str) -> dict[str, int]:
    c, p, u = Conversation.__table__, Participation.__table__, ProcessedUpdate.__table__
    async with db.write() as conn:
        drafts = await conn.execute(delete(c).where(c.c.expires_at <= now))
        marks = await conn.execute(delete(u).where(u.c.seen_at <= now - UPDATE_MARKS_KEPT))
        parts = await conn.execute(delete(p).where(p.c.purge_after < this_month))
        counts = await purge_counts(conn, now)
    await db.checkpoint()
    return {
        "drafts": drafts.rowcount,
        "update_marks": marks.rowcount,
        "participation": parts.rowcount,
        "pace_counts": counts,
    }
