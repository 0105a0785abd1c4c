"""'You said, we did': responses written in the console, published by a second person.

Four-eyes is enforced twice: `approve` refuses the author, and the table's check
constraint refuses a row whose approver is its author, whatever code writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import aware
from storage.schema import Comment, NewsItem

news_t = NewsItem.__table__
comments_t = Comment.__table__
Wording = Mapping[str, Mapping[str, str]]  # {language: {"said": ..., "did": ...}}
_WORD = re.compile(r"\w+(?:'\w+)?")


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


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


async def repeats_a_comment(conn: AsyncConnection, text: str, run: int) -> bool:
    """Whether `text` has `run` consecutive words (case and punctuation aside) that some
    stored comment also has in a row: a quote. Only yes or no comes back, never which
    words or whose, so no young person's words reach the caller."""
    mine = words(text)
    grams = {tuple(mine[i : i + run]) for i in range(len(mine) - run + 1)}
    if not grams:
        return False
    stream = await conn.stream(select(comments_t.c.text))
    async for (comment,) in stream:
        theirs = words(comment)
        for i in range(len(theirs) - run + 1):
            gram = tuple(theirs[i : i + run])
            if gram in grams:
                await stream.close()
                return True
    return False
