"""AN-03: the housekeeping loop outlives a failed round, so drafts keep being deleted."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.exc import OperationalError

from youthvoice import serve
from youthvoice.bootstrap import Services


async def test_a_failed_purge_does_not_stop_housekeeping(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds: list[dt.datetime] = []
    second = asyncio.Event()

    async def purge(_db: object, now: dt.datetime, _month: str, _keep: object) -> dict[str, int]:
        rounds.append(now)
        if len(rounds) == 1:
            raise OperationalError("DELETE", {}, Exception("disk I/O error"))
        second.set()
        return {"drafts": 0}

    monkeypatch.setattr(serve, "purge", purge)
    monkeypatch.setattr(serve, "HOUSEKEEPING_EVERY", 0)
    chores = asyncio.create_task(serve.housekeeping(services))
    try:
        await asyncio.wait_for(second.wait(), timeout=10)
    finally:
        chores.cancel()
    assert len(rounds) >= 2, "a second round ran after the first one failed"
