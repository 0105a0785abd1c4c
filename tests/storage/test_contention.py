"""REL-11: two processes x 20 concurrent writers on one SQLite file: no "database is
locked" reaches the application, and every write that said it succeeded is there."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import catalog, migrate
from storage.db import Database
from storage.schema import Submission

SECONDS = float(os.environ.get("YV_CONTENTION_SECONDS", "30"))
WORKER = Path(__file__).with_name("contention_worker.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
async def test_two_processes_twenty_writers_each(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'contention.db'}"
    await migrate.upgrade(url)
    db = Database(url)
    async with db.write() as conn:
        team = await catalog.add_team(conn, "Contention")
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            url,
            team,
            "20",
            str(SECONDS),
            f"p{i}",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for i in range(2)
    ]
    results = []
    for proc in procs:
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        results.append(json.loads(out))
    async with db.read() as conn:
        stored = (
            await conn.execute(select(func.count()).select_from(Submission.__table__))
        ).scalar()
    await db.dispose()
    for r in results:
        assert r["error_count"] == 0, r["errors"]
        assert r["done"] == r["attempted"] > 0
    assert stored == sum(r["done"] for r in results)
    print(
        f"\ncontention: {stored} submissions in {SECONDS:.0f} s from 2 processes x 20 writers, "
        "0 errors"
    )
