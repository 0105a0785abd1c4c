"""Teams, workers and invites: the organisation's side of the data, none of it personal
to a young person. Ids and invite codes are random, never sequential (SEC-13, AN-07)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import aware
from storage.schema import Invite, Team, Worker


def new_id() -> str:
    return secrets.token_urlsafe(12)


def new_code() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class InviteInfo:
    id: str
    code: str
    team_id: str
    worker_id: str | None
    flow_id: str
    label: str
    created_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def usable(self, now: dt.datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or aware(self.expires_at) > now


async def add_team(conn: AsyncConnection, name: str) -> str:
    team_id = new_id()
    await conn.execute(Team.__table__.insert().values(id=team_id, name=name))
    return team_id


async def rename_team(conn: AsyncConnection, team_id: str, name: str) -> None:
    await conn.execute(
        update(Team.__table__).where(Team.__table__.c.id == team_id).values(name=name)
    )


async def set_archived(conn: AsyncConnection, team_id: str, at: dt.datetime | None) -> None:
    """Archive a team (`at`) or bring it back (None)."""
    t = Team.__table__
    await conn.execute(update(t).where(t.c.id == team_id).values(archived_at=at))


async def archived_teams(conn: AsyncConnection) -> set[str]:
    t = Team.__table__.c
    return {r.id for r in await conn.execute(select(t.id).where(t.archived_at.is_not(None)))}


async def add_worker(conn: AsyncConnection, team_id: str, display_name: str) -> str:
    worker_id = new_id()
    await conn.execute(
        Worker.__table__.insert().values(id=worker_id, team_id=team_id, display_name=display_name)
    )
    return worker_id


async def teams(conn: AsyncConnection) -> list[tuple[str, str]]:
    t = Team.__table__.c
    return [(r.id, r.name) for r in await conn.execute(select(t.id, t.name).order_by(t.name))]


async def workers(conn: AsyncConnection) -> list[tuple[str, str, str]]:
    """(id, team id, display name) of every worker."""
    w = Worker.__table__.c
    rows = await conn.execute(select(w.id, w.team_id, w.display_name).order_by(w.display_name))
    return [(r.id, r.team_id, r.display_name) for r in rows]


async def staff_names(conn: AsyncConnection) -> list[str]:
    """Every worker's display name, for the scrubber's deny-list (AN-14)."""
    return [name for _, _, name in await workers(conn)]


async def add_invite(
    conn: AsyncConnection,
    *,
    team_id: str,
    flow_id: str,
    label: str,
    now: dt.datetime,
    worker_id: str | None = None,
    created_by: str | None = None,
    expires_at: dt.datetime | None = None,
    code: str | None = None,
) -> InviteInfo:
    info = InviteInfo(
        id=new_id(),
        code=code or new_code(),
        team_id=team_id,
        worker_id=worker_id,
        flow_id=flow_id,
        label=label,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
    )
    await conn.execute(Invite.__table__.insert().values(**info.__dict__))
    return info


async def invite_by_code(conn: AsyncConnection, code: str) -> InviteInfo | None:
    i = Invite.__table__
    row = (await conn.execute(select(i).where(i.c.code == code))).first()
    return InviteInfo(**row._mapping) if row else None


async def invites_by_id(conn: AsyncConnection, ids: set[str]) -> dict[str, InviteInfo]:
    if not ids:
        return {}
    i = Invite.__table__
    rows = await conn.execute(select(i).where(i.c.id.in_(sorted(ids))))
    return {r.id: InviteInfo(**r._mapping) for r in rows}


async def invites_by_code(conn: AsyncConnection, codes: set[str]) -> dict[str, InviteInfo]:
    if not codes:
        return {}
    i = Invite.__table__
    rows = await conn.execute(select(i).where(i.c.code.in_(sorted(codes))))
    return {r.code: InviteInfo(**r._mapping) for r in rows}


async def invites(conn: AsyncConnection) -> list[InviteInfo]:
    i = Invite.__table__
    rows = await conn.execute(select(i).order_by(i.c.created_at.desc()))
    return [InviteInfo(**r._mapping) for r in rows]


async def revoke_invite(conn: AsyncConnection, invite_id: str, now: dt.datetime) -> bool:
    i = Invite.__table__.c
    result = await conn.execute(
        update(Invite.__table__)
        .where((i.id == invite_id) & i.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1
