"""Staff accounts, their team scopes, server-side sessions, failed-login marks, the audit
log and console settings. Nothing here refers to a young person or a submission.

Ids are random (SEC-13); a session is stored only as a hash of its cookie value (SEC-06).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.catalog import new_id
from storage.schema import (
    AuditEvent,
    ConsoleSession,
    ConsoleSetting,
    ConsoleUser,
    RecoveryCode,
    UserTeam,
)

users_t = ConsoleUser.__table__
teams_t = UserTeam.__table__
sessions_t = ConsoleSession.__table__
recovery_t = RecoveryCode.__table__
audit_t = AuditEvent.__table__
settings_t = ConsoleSetting.__table__


@dataclass(frozen=True)
class User:
    id: str
    username: str
    role: str
    password_hash: str
    worker_id: str | None
    totp_secret: str | None
    totp_last_step: int | None
    disabled: bool
    teams: frozenset[str]
    mfa_lock_notice: bool = False
    demo: bool = False


@dataclass(frozen=True)
class SessionRow:
    id_hash: str
    user_id: str
    stage: str
    csrf_token: str
    pending_totp: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor_id: str | None
    actor_role: str | None
    action: str
    outcome: str
    params: str
    request_id: str


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything stored is UTC (REL-16)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- users and scopes


async def add_user(
    conn: AsyncConnection,
    *,
    username: str,
    password_hash: str,
    role: str,
    team_ids: Iterable[str],
    now: dt.datetime,
    worker_id: str | None = None,
    demo: bool = False,
) -> str:
    user_id = new_id()
    await conn.execute(
        users_t.insert().values(
            id=user_id,
            username=username,
            password_hash=password_hash,
            role=role,
            worker_id=worker_id,
            created_at=now,
            demo=demo,
        )
    )
    await _set_teams(conn, user_id, team_ids)
    return user_id


async def _set_teams(conn: AsyncConnection, user_id: str, team_ids: Iterable[str]) -> None:
    await conn.execute(delete(teams_t).where(teams_t.c.user_id == user_id))
    rows = [{"user_id": user_id, "team_id": t} for t in sorted(set(team_ids))]
    if rows:
        await conn.execute(teams_t.insert(), rows)


async def _load(conn: AsyncConnection, where: object) -> list[User]:
    rows = (await conn.execute(select(users_t).where(where).order_by(users_t.c.username))).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    scopes: dict[str, set[str]] = {i: set() for i in ids}
    for r in await conn.execute(select(teams_t).where(teams_t.c.user_id.in_(ids))):
        scopes[r.user_id].add(r.team_id)
    return [
        User(
            id=r.id,
            username=r.username,
            role=r.role,
            password_hash=r.password_hash,
            worker_id=r.worker_id,
            totp_secret=r.totp_secret,
            totp_last_step=r.totp_last_step,
            disabled=r.disabled_at is not None,
            teams=frozenset(scopes[r.id]),
            mfa_lock_notice=bool(r.mfa_lock_notice),
            demo=bool(r.demo),
        )
        for r in rows
    ]


async def user_by_name(conn: AsyncConnection, username: str) -> User | None:
    found = await _load(conn, users_t.c.username == username)
    return found[0] if found else None


async def user_by_id(conn: AsyncConnection, user_id: str) -> User | None:
    found = await _load(conn, users_t.c.id == user_id)
    return found[0] if found else None


async def users(conn: AsyncConnection) -> list[User]:
    return await _load(conn, users_t.c.id.is_not(None))


async def count_users(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(users_t))).scalar_one())


async def set_role(conn: AsyncConnection, user_id: str, role: str, team_ids: Iterable[str]) -> None:
    await conn.execute(update(users_t).where(users_t.c.id == user_id).values(role=role))
    await _set_teams(conn, user_id, team_ids)


async def set_password_hash(conn: AsyncConnection, user_id: str, password_hash: str) -> None:
    await conn.execute(
        update(users_t).where(users_t.c.id == user_id).values(password_hash=password_hash)
    )


async def set_totp(conn: AsyncConnection, user_id: str, secret: str | None) -> None:
    """A new (sealed) secret, or None to make the person enrol again; either way the old
    recovery codes go with the old authenticator."""
    await conn.execute(
        update(users_t)
        .where(users_t.c.id == user_id)
        .values(totp_secret=secret, totp_last_step=None)
    )
    await conn.execute(delete(recovery_t).where(recovery_t.c.user_id == user_id))


async def reseal_totp(conn: AsyncConnection, user_id: str, plain: str, sealed: str) -> None:
    """Replace a secret stored before sealing existed with its sealed form, in place."""
    c = users_t.c
    await conn.execute(
        update(users_t)
        .where((c.id == user_id) & (c.totp_secret == plain))
        .values(totp_secret=sealed)
    )


async def totp_secrets(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(user id, stored secret) for every account with an authenticator."""
    c = users_t.c
    rows = await conn.execute(select(c.id, c.totp_secret).where(c.totp_secret.is_not(None)))
    return [(r.id, r.totp_secret) for r in rows]


async def add_recovery_codes(conn: AsyncConnection, user_id: str, hashes: Iterable[str]) -> None:
    await conn.execute(recovery_t.insert(), [{"user_id": user_id, "code_hash": h} for h in hashes])


async def use_recovery_code(conn: AsyncConnection, user_id: str, code_hash: str) -> bool:
    """Spend a recovery code: True once, then never again."""
    c = recovery_t.c
    result = await conn.execute(
        delete(recovery_t).where((c.user_id == user_id) & (c.code_hash == code_hash))
    )
    return result.rowcount == 1


async def recovery_codes_left(conn: AsyncConnection, user_id: str) -> int:
    query = select(func.count()).where(recovery_t.c.user_id == user_id)
    return int((await conn.execute(query)).scalar_one())


async def set_mfa_lock_notice(conn: AsyncConnection, user_id: str, on: bool) -> None:
    await conn.execute(update(users_t).where(users_t.c.id == user_id).values(mfa_lock_notice=on))


async def use_totp_step(conn: AsyncConnection, user_id: str, step: int) -> bool:
    """Record a used TOTP time step; False if it (or a later one) was used already (SEC-05)."""
    c = users_t.c
    result = await conn.execute(
        update(users_t)
        .where((c.id == user_id) & or_(c.totp_last_step.is_(None), c.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


async def set_disabled(conn: AsyncConnection, user_id: str, now: dt.datetime | None) -> None:
    await conn.execute(update(users_t).where(users_t.c.id == user_id).values(disabled_at=now))


# --- sessions


async def add_session(
    conn: AsyncConnection,
    *,
    id_hash: str,
    user_id: str,
    stage: str,
    csrf_token: str,
    now: dt.datetime,
    pending_totp: str | None = None,
) -> None:
    await conn.execute(
        sessions_t.insert().values(
            id_hash=id_hash,
            user_id=user_id,
            stage=stage,
            csrf_token=csrf_token,
            pending_totp=pending_totp,
            created_at=now,
            last_seen_at=now,
        )
    )


async def session(conn: AsyncConnection, id_hash: str) -> SessionRow | None:
    row = (await conn.execute(select(sessions_t).where(sessions_t.c.id_hash == id_hash))).first()
    if row is None:
        return None
    values = dict(row._mapping)
    values["created_at"] = aware(values["created_at"])
    values["last_seen_at"] = aware(values["last_seen_at"])
    return SessionRow(**values)


async def touch_session(conn: AsyncConnection, id_hash: str, now: dt.datetime) -> None:
    await conn.execute(
        update(sessions_t).where(sessions_t.c.id_hash == id_hash).values(last_seen_at=now)
    )


async def delete_session(conn: AsyncConnection, id_hash: str) -> None:
    await conn.execute(delete(sessions_t).where(sessions_t.c.id_hash == id_hash))


async def delete_user_sessions(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(delete(sessions_t).where(sessions_t.c.user_id == user_id))


async def purge_sessions(conn: AsyncConnection, created_before: dt.datetime) -> int:
    result = await conn.execute(delete(sessions_t).where(sessions_t.c.created_at < created_before))
    return result.rowcount


# --- audit log (SEC-17): insert and read only; the database refuses anything else


async def audit(
    conn: AsyncConnection,
    *,
    at: dt.datetime,
    actor_id: str | None,
    actor_role: str | None,
    action: str,
    outcome: str,
    params: Mapping[str, str | int | bool | None],
    request_id: str,
) -> None:
    await conn.execute(
        audit_t.insert().values(
            at=at,
            actor_id=actor_id,
            actor_role=actor_role,
            action=action,
            outcome=outcome,
            params=json.dumps(dict(params), sort_keys=True),
            request_id=request_id,
        )
    )


SIGN_INS = ("login.ok", "mfa.ok", "mfa.recovery_code", "mfa.enrolled")  # a full sign-in


async def last_sign_ins(conn: AsyncConnection) -> dict[str, dt.datetime]:
    """Each account's last full sign-in, read from the audit log (no column of its own)."""
    query = (
        select(audit_t.c.actor_id, func.max(audit_t.c.at))
        .where(audit_t.c.action.in_(SIGN_INS), audit_t.c.outcome == "ok")
        .group_by(audit_t.c.actor_id)
    )
    return {r[0]: aware(r[1]) for r in await conn.execute(query) if r[0] is not None}


async def audit_events(
    conn: AsyncConnection, limit: int = 200, before_id: int | None = None
) -> list[AuditRow]:
    query = select(audit_t).order_by(audit_t.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(audit_t.c.id < before_id)
    rows = await conn.execute(query)
    return [AuditRow(**{**r._mapping, "at": aware(r.at)}) for r in rows]


# --- console settings


async def setting(conn: AsyncConnection, key: str) -> str | None:
    row = (await conn.execute(select(settings_t.c.value).where(settings_t.c.key == key))).first()
    return None if row is None else str(row.value)


async def set_setting(
    conn: AsyncConnection, key: str, value: str, now: dt.datetime, by: str | None
) -> None:
    await conn.execute(delete(settings_t).where(settings_t.c.key == key))
    await conn.execute(
        settings_t.insert().values(key=key, value=value, updated_at=now, updated_by=by)
    )
