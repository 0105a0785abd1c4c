"""'You said, we did': responses written in the console, published by a second person.

Four-eyes is enforced twice: `approve` refuses the author, and the table's check
constraint refuses a row whose approver is its author, whatever code writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import aware
from storage.schema import NewsItem

news_t = NewsItem.__table__
Wording = Mapping[str, Mapping[str, str]]  # {language: {"said": ..., "did": ...}}


@dataclass(frozen=True)
class News:
    id: str
    period: str
    topic: str | None
    wording: dict[str, dict[str, str]]
    shown: dict[str, dict[str, str]] | None
    written_by: str
    written_at: dt.datetime
    approved_by: str | None
    published_at: dt.datetime | None


def _row(r: object) -> News:
    m = r._mapping  # type: ignore[attr-defined]
    return News(
        id=m["id"],
        period=m["period"],
        topic=m["topic"],
        wording=json.loads(m["wording"]),
        shown=json.loads(m["shown"]) if m["shown"] else None,
        written_by=m["written_by"],
        written_at=aware(m["written_at"]),
        approved_by=m["approved_by"],
        published_at=aware(m["published_at"]) if m["published_at"] else None,
    )


async def add(
    conn: AsyncConnection,
    *,
    period: str,
    topic: str | None,
    wording: Wording,
    written_by: str,
    now: dt.datetime,
) -> str:
    news_id = secrets.token_urlsafe(12)
    await conn.execute(
        news_t.insert().values(
            id=news_id,
            period=period,
            topic=topic,
            wording=json.dumps({k: dict(v) for k, v in wording.items()}, sort_keys=True),
            written_by=written_by,
            written_at=now,
        )
    )
    return news_id


async def get(conn: AsyncConnection, news_id: str) -> News | None:
    row = (await conn.execute(select(news_t).where(news_t.c.id == news_id))).first()
    return None if row is None else _row(row)


async def waiting(conn: AsyncConnection) -> list[News]:
    """Written but not yet approved, oldest first."""
    query = select(news_t).where(news_t.c.published_at.is_(None)).order_by(news_t.c.written_at)
    return [_row(r) for r in await conn.execute(query)]


async def published(conn: AsyncConnection, limit: int = 20) -> list[News]:
    """Published responses, newest first."""
    query = (
        select(news_t)
        .where(news_t.c.published_at.is_not(None))
        .order_by(news_t.c.published_at.desc(), news_t.c.id)
        .limit(limit)
    )
    return [_row(r) for r in await conn.execute(query)]


async def approve(
    conn: AsyncConnection, news_id: str, approver: str, shown: Wording, now: dt.datetime
) -> bool:
    """Publish with the figures filled in; False if it is the approver's own, or gone, or
    already published."""
    result = await conn.execute(
        update(news_t)
        .where(
            news_t.c.id == news_id,
            news_t.c.published_at.is_(None),
            news_t.c.written_by != approver,
        )
        .values(
            approved_by=approver,
            published_at=now,
            shown=json.dumps({k: dict(v) for k, v in shown.items()}, sort_keys=True),
        )
    )
    return bool(result.rowcount)
