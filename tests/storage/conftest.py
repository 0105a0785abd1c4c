"""The storage contract suite runs on SQLite always and on PostgreSQL when
YV_TEST_POSTGRES_URL names a server (CI starts one). Each test gets a fresh database
built by the Alembic migrations."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import Database
from tests.conftest import postgres_url

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


async def _admin(base: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    url = make_url(base)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def fresh_postgres(base: str) -> tuple[str, str]:
    name = f"yv_test_{secrets.token_hex(6)}"
    await _admin(base, f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


async def drop_postgres(base: str, name: str) -> None:
    await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'contract.db'}"
        await migrate.upgrade(url)
        yield url
        return
    base = postgres_url()
    if base is None:
        pytest.skip("set YV_TEST_POSTGRES_URL to run the PostgreSQL contract suite")
    url, name = await fresh_postgres(base)
    await migrate.upgrade(url)
    try:
        yield url
    finally:
        await drop_postgres(base, name)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        await database.dispose()
