"""Question-set versions written in the console (issue 15): drafts, then published once a
second person approves. A body is the JSON of `flows.model.Flow`; it is validated by the
same loader as the YAML files before it is saved, so a broken draft is never stored.

Four-eyes is enforced twice: `publish` refuses the author, and the table's check
constraint refuses a row whose approver is its author, whatever code writes it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.loader import parse_flow
from flows.model import Flow
from storage.dialect import aware
from storage.schema import QuestionSet

sets_t = QuestionSet.__table__


@dataclass(frozen=True)
class Version:
    id: str
    flow: Flow
    written_by: str
    written_at: dt.datetime
    approved_by: str | None
    published_at: dt.datetime | None


def _row(r: object) -> Version:
    m = r._mapping  # type: ignore[attr-defined]
    return Version(
        id=m["id"],
        flow=parse_flow(m["body"], f"question set {m['flow_id']} version {m['version']}"),
        written_by=m["written_by"],
        written_at=aware(m["written_at"]),
        approved_by=m["approved_by"],
        published_at=aware(m["published_at"]) if m["published_at"] else None,
    )


def _body(flow: Flow) -> str:
    body = flow.model_dump_json(exclude_defaults=True)
    parse_flow(body)  # what is stored must load again, exactly as the service will load it
    return body


async def add_draft(conn: AsyncConnection, flow: Flow, written_by: str, now: dt.datetime) -> str:
    """A new draft version; the (set, version) pair is unique, so two drafts of one
    version cannot both be saved."""
    draft_id = secrets.token_urlsafe(12)
    await conn.execute(
        sets_t.insert().values(
            id=draft_id,
            flow_id=flow.id,
            version=flow.version,
            body=_body(flow),
            written_by=written_by,
            written_at=now,
        )
    )
    return draft_id


async def save_draft(conn: AsyncConnection, draft_id: str, flow: Flow) -> bool:
    """Replace a draft's question set (same set, same version); False once published."""
    result = await conn.execute(
        update(sets_t)
        .where(
            sets_t.c.id == draft_id,
            sets_t.c.published_at.is_(None),
            sets_t.c.flow_id == flow.id,
            sets_t.c.version == flow.version,
        )
        .values(body=_body(flow))
    )
    return bool(result.rowcount)


async def get(conn: AsyncConnection, draft_id: str) -> Version | None:
    row = (await conn.execute(select(sets_t).where(sets_t.c.id == draft_id))).first()
    return None if row is None else _row(row)


async def drafts(conn: AsyncConnection) -> list[Version]:
    query = select(sets_t).where(sets_t.c.published_at.is_(None)).order_by(sets_t.c.written_at)
    return [_row(r) for r in await conn.execute(query)]


async def published(conn: AsyncConnection) -> list[Version]:
    """Every published version, oldest first (so the last of a set is its live one)."""
    query = (
        select(sets_t)
        .where(sets_t.c.published_at.is_not(None))
        .order_by(sets_t.c.flow_id, sets_t.c.version)
    )
    return [_row(r) for r in await conn.execute(query)]


async def highest_version(conn: AsyncConnection, flow_id: str) -> int:
    """The highest version number stored for a set, drafts included (0 if none)."""
    query = select(func.max(sets_t.c.version)).where(sets_t.c.flow_id == flow_id)
    return int((await conn.execute(query)).scalar() or 0)


async def publish(conn: AsyncConnection, draft_id: str, approver: str, now: dt.datetime) -> bool:
    """Approve and publish; False if it is the approver's own, or gone, or published."""
    result = await conn.execute(
        update(sets_t)
        .where(
            sets_t.c.id == draft_id,
            sets_t.c.published_at.is_(None),
            sets_t.c.written_by != approver,
        )
        .values(approved_by=approver, published_at=now)
    )
    return bool(result.rowcount)
