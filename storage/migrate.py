"""Migrations are the schema: every database, test ones included, is built by Alembic."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import is_sqlite, prepare_sqlite_file
from storage.startup_lock import startup_lock


def _config(connection: Any, data_key: bytes | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    cfg.attributes["connection"] = connection
    # For migrations that seal what used to be stored in the clear (0005: help requests).
    cfg.attributes["data_key"] = data_key
    return cfg


async def _run(url: str, action: Callable[[Config], None], data_key: bytes | None = None) -> None:
    if is_sqlite(url):
        prepare_sqlite_file(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync_conn: action(_config(sync_conn, data_key)))
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head", *, data_key: bytes | None = None) -> None:
    async with startup_lock(url):
        await _run(url, lambda cfg: command.upgrade(cfg, revision), data_key)


async def check(url: str) -> None:
    """Fail if the models and the migrations have drifted apart (CI runs this)."""
    await _run(url, command.check)


async def revision(url: str, message: str) -> None:
    """Write a new migration from the difference between models and database."""
    await _run(url, lambda cfg: command.revision(cfg, message=message, autogenerate=True))
