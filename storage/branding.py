"""The organisation's poster logo (issue 15): one re-encoded PNG, or none."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import OrgLogo

logo_t = OrgLogo.__table__
KEY = "poster"


async def logo(conn: AsyncConnection) -> bytes | None:
    row = (await conn.execute(select(logo_t.c.png).where(logo_t.c.key == KEY))).first()
    return None if row is None else bytes(row.png)


async def set_logo(conn: AsyncConnection, png: bytes, now: dt.datetime, by: str | None) -> None:
    await conn.execute(delete(logo_t).where(logo_t.c.key == KEY))
    await conn.execute(logo_t.insert().values(key=KEY, png=png, updated_at=now, updated_by=by))


async def remove_logo(conn: AsyncConnection) -> bool:
    return (await conn.execute(delete(logo_t).where(logo_t.c.key == KEY))).rowcount == 1
