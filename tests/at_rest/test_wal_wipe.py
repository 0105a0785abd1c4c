"""Deleted words leave the WAL too (AN-03, AN-11): after a Stop, an expiry purge, a burst
of conversations ending together, and with a reader in the way, the raw bytes of the
SQLite file, its -wal and -shm no longer hold what was typed, while the product is still
running. The wipe runs on its real timer (WAL_WIPE_SECONDS, short here) and a burst
shares one checkpoint.
Send and `/delete CODE` are covered on every channel by the canary tests."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from flows.inputs import Choose, Command, Start, Text
from storage import catalog
from storage.housekeeping import purge
from tests import canary
from tests.conftest import Clock
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

PHRASE = "purple giraffes on the ferris wheel"


@pytest.fixture
async def wiping(tmp_path: Path, clock: Clock) -> AsyncIterator[Services]:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, demo_data=False, wal_wipe_seconds=canary.WIPE_SECONDS
    )
    services = await bootstrap(settings, clock=clock)
    try:
        yield services
    finally:
        await services.close()


def _on_disk(svc: Services) -> bool:
    return PHRASE.encode() in canary.database_files(svc.settings.data_dir)


async def _draft_with_words(svc: Services, who: str) -> None:
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, f"Team {who}")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=svc.clock()
        )
    service = svc.conversations
    await service.handle("t", who, Start((("invite", invite.code),)))
    await service.handle("t", who, Choose("intro", "next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await service.handle("t", who, Choose(item, "4"))
    await service.handle("t", who, Text(PHRASE))


async def test_stop_wipes_the_draft_from_the_wal(wiping: Services) -> None:
    await _draft_with_words(wiping, "a")
    assert _on_disk(wiping)  # the scan does see a live draft's words
    await wiping.conversations.handle("t", "a", Command("stop"))
    assert await canary.wiped(wiping.db) < canary.DEADLINE
    assert not _on_disk(wiping)


async def test_an_expiry_purge_wipes_the_draft_from_the_wal(wiping: Services, clock: Clock) -> None:
    await _draft_with_words(wiping, "a")
    assert _on_disk(wiping)
    clock.now += dt.timedelta(hours=25)
    counts = await purge(wiping.db, clock.now, wiping.conversations.period(clock.now))
    assert counts["drafts"] == 1
    assert await canary.wiped(wiping.db) < canary.DEADLINE
    assert not _on_disk(wiping)


async def test_a_burst_of_endings_shares_one_checkpoint(
    wiping: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = wiping.db
    checkpoints: list[bool] = []
    checkpoint = db.checkpoint

    async def counted() -> bool:
        checkpoints.append(await checkpoint())
        return checkpoints[-1]

    monkeypatch.setattr(db, "checkpoint", counted)
    monkeypatch.setattr(db, "wipe_after", 5.0)  # ample for eight Stops on a busy machine
    people = [f"p{n}" for n in range(8)]
    for who in people:
        await _draft_with_words(wiping, who)
    for who in people:
        await wiping.conversations.handle("t", who, Command("stop"))
    await canary.wiped(db)
    assert checkpoints == [True]
    assert not _on_disk(wiping)


async def test_a_reader_in_the_way_delays_the_wipe_but_does_not_stop_it(
    wiping: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report reading while words are deleted keeps the WAL in use: the checkpoint gives
    up after a second (so writes are not held up) and is tried again until it succeeds."""
    db = wiping.db
    attempts: list[bool] = []
    tried = asyncio.Event()
    checkpoint = db.checkpoint

    async def watched() -> bool:
        attempts.append(await checkpoint())
        tried.set()
        return attempts[-1]

    monkeypatch.setattr(db, "checkpoint", watched)
    await _draft_with_words(wiping, "a")
    async with db.read() as reader:
        await reader.execute(text("SELECT count(*) FROM conversations"))  # holds a snapshot
        await wiping.conversations.handle("t", "a", Command("stop"))
        await asyncio.wait_for(tried.wait(), canary.DEADLINE)
        assert attempts == [False] and _on_disk(wiping)
    assert await canary.wiped(db) < canary.DEADLINE
    assert attempts[0] is False and attempts[-1] is True
    assert not _on_disk(wiping)


async def test_closing_with_a_wipe_pending_does_it_even_beside_another_process(
    wiping: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`youthvoice chat` ending right after Send while a server keeps the same file open:
    closing is not the last close, so the pending wipe must run before it."""
    monkeypatch.setattr(wiping.db, "wipe_after", canary.DEADLINE)  # still pending at close
    await _draft_with_words(wiping, "a")
    server = sqlite3.connect(wiping.settings.data_dir / "youthvoice.db")
    try:
        server.execute("SELECT count(*) FROM sqlite_master").fetchall()
        await wiping.conversations.handle("t", "a", Command("stop"))
        assert _on_disk(wiping)
        await wiping.close()
        assert not _on_disk(wiping)
    finally:
        server.close()
