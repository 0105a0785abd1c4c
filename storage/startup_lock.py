"""One process at a time migrates the schema and seeds the demo (REL-17).

Several identical `serve` processes may start at the same instant behind a load
balancer. Without a lock two of them run Alembic together (and clash on
`alembic_version`) or both seed the demo (and clash on a team name). PostgreSQL gets a
session advisory lock; SQLite, which only ever has processes on one machine, a file lock
beside the database.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage.db import is_sqlite

# An arbitrary 64-bit key naming "Youth Voice start-up" among the server's advisory locks.
ADVISORY_KEY = 0x59565F5354415254


@asynccontextmanager
async def startup_lock(url: str) -> AsyncIterator[None]:
    if is_sqlite(url):
        async with _file_lock(Path(f"{make_url(url).database}.startup-lock")):
            yield
        return
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
            try:
                yield
            finally:
                await conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
    finally:
        await engine.dispose()


@asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, at start-up
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # flock blocks: wait for it in a thread so this process's loop stays responsive.
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
