"""Engines and transactions, with SQLite set up for safe concurrent writing (REL-10, REL-11).

SQLite: every connection gets WAL, a busy timeout, foreign keys, secure delete and full
sync; the driver's implicit transactions are turned off and every write transaction
starts with BEGIN IMMEDIATE, because a deferred transaction that upgrades from read to
write fails with SQLITE_BUSY regardless of the busy timeout. One process writes through
one connection; reads use their own pool.

Deleted words must leave the WAL too (AN-11): after a Send, a Stop, an expiry purge or a
receipt deletion the service calls `wipe_soon`, and a TRUNCATE checkpoint follows a few
seconds later. Writes in between share that one checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

log = logging.getLogger(__name__)
WIPE_AFTER_SECONDS = 5.0
CHECKPOINT_WAIT_MS = 1000
PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "secure_delete": 1,
    "synchronous": 2,  # FULL: a committed answer survives power loss
}


class DatabaseError(RuntimeError):
    """The database is not fit to use (wrong settings, failed integrity check)."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for name, value in PRAGMAS.items():
        cursor.execute(f"PRAGMA {name}={value}")
    cursor.close()


def _begin_immediate(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def is_busy(exc: OperationalError) -> bool:
    """SQLITE_BUSY (or one of its extended codes) from the driver: the file stayed locked
    by another process past the busy timeout."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file readable by the service user only (SEC-21)."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DatabaseError("use a SQLite file, not an in-memory database")
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
    os.chmod(path, 0o600)


def private_folder(path: Path) -> None:
    """Make the data folder the service user's alone (0700, SEC-21), so the -wal and -shm
    files and anything else beside the database are private too. A shared sticky folder
    such as /tmp is never changed: it is not ours."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = path.stat().st_mode
    if not mode & stat.S_ISVTX and stat.S_IMODE(mode) != 0o700:
        os.chmod(path, 0o700)


class Database:
    """Two engines over one database: a single writer and a pool of readers."""

    def __init__(self, url: str, wipe_after: float = WIPE_AFTER_SECONDS) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)
        self.wipe_after = wipe_after
        self._write_lock = asyncio.Lock()
        self.writes_stopped: str | None = None  # why, once an integrity check has failed
        # Write transactions SQLite refused as busy after its timeout (REL-11 wants none);
        # the committer retries a failed batch job by job, and Telegram the update.
        self.busy_errors = 0
        self._wipe_due = False
        self._wipe_task: asyncio.Task[None] | None = None
        self._wiped = asyncio.Event()
        self._wiped.set()
        if self.is_sqlite:
            prepare_sqlite_file(url)
            self.writer = create_async_engine(url, pool_size=1, max_overflow=0)
            self.reader = create_async_engine(url, pool_size=4, max_overflow=4)
            for engine, begin in ((self.writer, _begin_immediate), (self.reader, _begin_deferred)):
                event.listen(engine.sync_engine, "connect", _sqlite_connect)
                event.listen(engine.sync_engine, "begin", begin)
        else:
            self.writer = create_async_engine(url, pool_size=5, max_overflow=5, pool_pre_ping=True)
            self.reader = self.writer

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite), one at a time in this process."""
        if self.writes_stopped is not None:
            raise DatabaseError(f"writes stopped: {self.writes_stopped}")
        if self.is_sqlite:
            try:
                async with self._write_lock, self.writer.begin() as conn:
                    yield conn
            except OperationalError as exc:
                if is_busy(exc):
                    self.busy_errors += 1
                raise
        else:
            async with self.writer.begin() as conn:
                yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.reader.connect() as conn:
            yield conn

    async def checkpoint(self) -> bool:
        """Fold the WAL into the main file and truncate it, so deleted rows leave the WAL
        too (AN-11). Runs outside any transaction, under the writer's lock. False if a
        reader kept part of the WAL in use, so it has to be tried again."""
        if not self.is_sqlite:
            return True
        async with self._write_lock, self.writer.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            # TRUNCATE waits for readers to leave the WAL while this process's writes wait
            # for it: give up after a second and try again later rather than stall them.
            await raw.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")  # type: ignore[union-attr]
            try:
                cursor = await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
                busy, _, _ = await cursor.fetchone()
                await cursor.close()
            finally:
                await raw.execute(f"PRAGMA busy_timeout={PRAGMAS['busy_timeout']}")  # type: ignore[union-attr]
        return busy == 0

    def wipe_soon(self) -> None:
        """Checkpoint `wipe_after` seconds from now (AN-11): words just deleted are then
        gone from the WAL as well as the main file. Calls meanwhile share one checkpoint."""
        if not self.is_sqlite:
            return
        self._wipe_due = True
        self._wiped.clear()
        if self._wipe_task is None or self._wipe_task.done():
            self._wipe_task = asyncio.create_task(self._wipe_later(), name="wal-wipe")

    async def wiped(self) -> None:
        """Wait until no wipe is pending: every `wipe_soon` so far has been checkpointed."""
        await self._wiped.wait()

    async def _wipe_later(self) -> None:
        while self._wipe_due:
            await asyncio.sleep(self.wipe_after)
            self._wipe_due = False  # a write from here on needs a checkpoint of its own
            try:
                done = await self.checkpoint()
            except SQLAlchemyError as exc:
                log.error("WAL checkpoint failed, trying again: %s", type(exc).__name__)
                done = False
            self._wipe_due = self._wipe_due or not done
        self._wiped.set()

    async def self_test(self) -> None:
        """Refuse to start on a mismatched PRAGMA or a failed integrity check (REL-10, REL-13)."""
        if not self.is_sqlite:
            async with self.read() as conn:
                await conn.execute(text("SELECT 1"))
            return
        async with self.writer.connect() as conn:
            for name, want in PRAGMAS.items():
                got = (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                if str(got).lower() != str(want).lower():
                    raise DatabaseError(f"SQLite PRAGMA {name} is {got!r}, expected {want!r}")
        check = await self.quick_check()
        if check != "ok":
            raise DatabaseError(f"SQLite integrity check failed: {check}")

    async def quick_check(self) -> str:
        """SQLite's quick_check: "ok", or the first problem it found."""
        if not self.is_sqlite:
            return "ok"
        async with self.writer.connect() as conn:
            rows = (await conn.exec_driver_sql("PRAGMA quick_check")).scalars().all()
        return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])

    async def verify(self) -> bool:
        """The daily check (REL-13): on a failure, stop every write until an operator has
        restored a backup, rather than pile new answers onto a damaged file."""
        check = await self.quick_check()
        if check != "ok":
            self.writes_stopped = f"integrity check failed ({check}); restore a backup"
        return check == "ok"

    async def dispose(self) -> None:
        if self._wipe_task is not None:
            self._wipe_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._wipe_task
            # Do a pending wipe now: another process (a server beside `youthvoice chat`)
            # may keep the WAL open, so closing alone would not fold it in.
            if self._wipe_due:
                with contextlib.suppress(SQLAlchemyError):
                    await self.checkpoint()
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()
