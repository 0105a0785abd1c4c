"""Throttle marks, decided and counted in one step (SEC-03, SEC-05, SEC-14, AN-19).

A mark is written *before* the guarded check runs (a password verified, a code compared,
a report built), in the same transaction that counted the marks already there, under a
lock on the key: on SQLite the writer's BEGIN IMMEDIATE, on PostgreSQL a transaction-scoped
advisory lock on the key's hash, which every process serving the database shares. So a
burst of parallel requests is counted one by one, and no more checks run than the limit
allows. A check that succeeds may give its mark back (`release`).

Marks live in `login_attempts` under a namespaced key ("login|…", "mfa|…", …) and hold
only a staff account's key and a time: nothing about a young person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.dialect import aware
from storage.schema import LoginAttempt

marks_t = LoginAttempt.__table__
Decide = Callable[[Sequence[dt.datetime]], bool]
KEPT = dt.timedelta(days=1)


@dataclass(frozen=True)
class Taken:
    """A mark was written: its id (to give it back) and the window's marks, this one last."""

    mark: int
    marks: tuple[dt.datetime, ...]


async def _lock(conn: AsyncConnection, key: str) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )
    # SQLite: the write transaction began with BEGIN IMMEDIATE, which already excludes
    # every other writer, in this process and any other.


async def marks_since(conn: AsyncConnection, key: str, since: dt.datetime) -> list[dt.datetime]:
    c = marks_t.c
    rows = await conn.execute(
        select(c.at).where((c.account_key == key) & (c.at >= since)).order_by(c.at, c.id)
    )
    return [aware(r.at) for r in rows]


async def take(
    db: Database, key: str, now: dt.datetime, window: dt.timedelta, allow: Decide
) -> Taken | None:
    """Count `key`'s marks of the last `window` and, if `allow` says so, add one; None if
    refused. The key's marks older than the window, and anyone's older than a day (no
    window is longer), are dropped on the way, so the table never outgrows a day."""
    async with db.write() as conn:
        await _lock(conn, key)
        c = marks_t.c
        await conn.execute(
            delete(marks_t).where(
                ((c.account_key == key) & (c.at < now - window)) | (c.at < now - KEPT)
            )
        )
        marks = await marks_since(conn, key, now - window)
        if not allow(marks):
            return None
        result = await conn.execute(marks_t.insert().values(account_key=key, at=now))
        return Taken(int(result.inserted_primary_key[0]), (*marks, now))


async def release(db: Database, mark: int) -> None:
    """Give one mark back: what it guarded turned out fine (a right password or code)."""
    async with db.write() as conn:
        await conn.execute(delete(marks_t).where(marks_t.c.id == mark))


async def clear(db: Database, key: str) -> None:
    async with db.write() as conn:
        await conn.execute(delete(marks_t).where(marks_t.c.account_key == key))
