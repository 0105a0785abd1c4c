"""Claiming a notice for the safeguarding rota (SG-08) on every backend: requests close
together share one notice, and two processes claiming at once never both send."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import text

from storage import help_requests, migrate
from storage.db import Database
from storage.help_requests import NewHelpRequest
from tests.conftest import postgres_url
from tests.storage.conftest import drop_postgres, fresh_postgres

NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=4)


def _request(n: int) -> NewHelpRequest:
    return NewHelpRequest(f"r{n}", NOW, "person", "en", None, b"sealed")


async def _claim(db: Database, at: dt.datetime) -> help_requests.Claim | None:
    async with db.write() as conn:
        return await help_requests.claim_notice(conn, at, WINDOW)


async def test_requests_in_the_window_share_one_claim(db: Database) -> None:
    async with db.write() as conn:
        await help_requests.add(conn, [_request(1)])
    assert await _claim(db, NOW) is None, "the first sight starts the window"
    async with db.write() as conn:
        await help_requests.add(conn, [_request(2), _request(3)])
    assert await _claim(db, NOW + WINDOW - dt.timedelta(seconds=1)) is None
    claim = await _claim(db, NOW + WINDOW)
    assert claim is not None and sorted(claim.ids) == ["r1", "r2", "r3"]
    assert await _claim(db, NOW + 3 * WINDOW) is None, "nothing left to tell"
    async with db.write() as conn:
        await help_requests.release(conn, claim)
    again = await _claim(db, NOW + 3 * WINDOW)
    assert again is not None and sorted(again.ids) == ["r1", "r2", "r3"], "a failed send retries"


async def _until_a_writer_waits(db: Database) -> None:
    """Wait (polling, up to 10 s) until another connection is blocked on a row lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(1000):
        async with db.read() as conn:
            if (await conn.execute(query)).scalar_one():
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the second claim never waited for the first")


@pytest.mark.postgres
async def test_two_processes_claiming_at_once_send_one_notice() -> None:
    """PostgreSQL runs both claims at once: the second waits on the rows the first claimed
    and, once it commits, finds nothing left. (SQLite runs writers one at a time.)"""
    base = postgres_url()
    if base is None:
        pytest.skip("set YV_TEST_POSTGRES_URL to run the PostgreSQL contract suite")
    url, name = await fresh_postgres(base)
    await migrate.upgrade(url)
    first, second, watcher = Database(url), Database(url), Database(url)
    try:
        async with first.write() as conn:
            await help_requests.add(conn, [_request(n) for n in range(20)])
        assert await _claim(first, NOW) is None
        later = NOW + WINDOW
        async with first.write() as conn:
            mine = await help_requests.claim_notice(conn, later, WINDOW)
            theirs = asyncio.create_task(_claim(second, later))
            await _until_a_writer_waits(watcher)
        assert mine is not None and len(mine.ids) == 20
        assert await theirs is None, "the rota is told once"
    finally:
        for db in (first, second, watcher):
            await db.dispose()
        await drop_postgres(base, name)
