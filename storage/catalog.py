"""Teams, workers and invites: the organisation's side of the data, none of it personal
to a young person. Ids and invite codes are random, never sequential (SEC-13, AN-07).

Each invite has two codes that open it the same way: the long random one in links and
QR codes, and a short one to type from a poster: eight Crockford base32 characters (no
I, L, O or U, so nothing looks like anything else), 40 bits. A typed short code may be
in either case, with a hyphen or spaces, and with I or L for 1 and O for 0.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import aware
from storage.schema import Invite, Team, Worker


def new_id() -> str:
    return secrets.token_urlsafe(12)


def new_code() -> str:
    return secrets.token_urlsafe(12)


SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_LENGTH = 8
# An undone revoke is possible for this long; after it the revoke is final.
UNDO_REVOKE = dt.timedelta(hours=24)
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def short_form(text: str) -> str | None:
    """A typed short code as stored, or None if it cannot be one."""
    code = text.upper().translate(_TYPED)
    if len(code) != SHORT_LENGTH or any(c not in SHORT_ALPHABET for c in code):
        return None
    return code


def shown_short(code: str) -> str:
    """Four and four, easier to read off a wall: "K7M2-QX9P"."""
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class InviteInfo:
    id: str
    code: str
    short_code: str
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

    def undo_until(self, now: dt.datetime) -> dt.datetime | None:
        """Until when a revoke can still be undone, while it can."""
        if self.revoked_at is None:
            return None
        until = aware(self.revoked_at) + UNDO_REVOKE
        return until if until > now else None


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
        short_code=await _free_short_code(conn),
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


async def _free_short_code(conn: AsyncConnection) -> str:
    """A short code no invite has; the unique index still guards a parallel writer."""
    c = Invite.__table__.c
    while True:
        code = new_short_code()
        if (await conn.execute(select(c.id).where(c.short_code == code))).first() is None:
            return code


async def invite_by_code(conn: AsyncConnection, code: str) -> InviteInfo | None:
    """The invite a long or short code opens (web chat and Telegram /start alike)."""
    return (await invites_by_code(conn, {code})).get(code)


async def invites_by_id(conn: AsyncConnection, ids: set[str]) -> dict[str, InviteInfo]:
    if not ids:
        return {}
    i = Invite.__table__
    rows = await conn.execute(select(i).where(i.c.id.in_(sorted(ids))))
    return {r.id: InviteInfo(**r._mapping) for r in rows}


async def invites_by_code(conn: AsyncConnection, codes: set[str]) -> dict[str, InviteInfo]:
    """Each asked code (long, or short as typed) with the invite it opens."""
    if not codes:
        return {}
    shorts = {code: short for code in codes if (short := short_form(code))}
    i = Invite.__table__
    rows = await conn.execute(
        select(i).where(
            or_(i.c.code.in_(sorted(codes)), i.c.short_code.in_(sorted(set(shorts.values()))))
        )
    )
    found = [InviteInfo(**r._mapping) for r in rows]
    by_long = {info.code: info for info in found}
    by_short = {info.short_code: info for info in found}
    out = {}
    for code in codes:
        info = by_long.get(code) or by_short.get(shorts.get(code, ""))
        if info is not None:
            out[code] = info
    return out


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


async def unrevoke_invite(conn: AsyncConnection, invite_id: str, now: dt.datetime) -> bool:
    """Undo a revoke made less than `UNDO_REVOKE` ago; after that it is final."""
    found = (await invites_by_id(conn, {invite_id})).get(invite_id)
    if found is None or found.undo_until(now) is None:
        return False
    i = Invite.__table__.c
    result = await conn.execute(
        update(Invite.__table__)
        .where((i.id == invite_id) & (i.revoked_at == found.revoked_at))
        .values(revoked_at=None)
    )
    return result.rowcount == 1
