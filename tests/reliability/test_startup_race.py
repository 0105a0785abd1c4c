"""REL-17: several identical `serve` processes started at the same instant all come up,
on SQLite and on PostgreSQL: one migrates and seeds the demo, the others wait for it."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from tests.conftest import ROOT, postgres_url
from tests.storage.conftest import drop_postgres, fresh_postgres
from tests.webchat.live import free_port

PROCESSES = 3
STARTUP_SECONDS = 90


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'shared' / 'youthvoice.db'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip("set YV_TEST_POSTGRES_URL to run the PostgreSQL start-up race")
    url, name = await fresh_postgres(base)
    try:
        yield url
    finally:
        await drop_postgres(base, name)


def _start(url: str, home: Path, port: int) -> subprocess.Popen[str]:
    home.mkdir(parents=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATA_DIR": str(home),
        "DATABASE_URL": url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DEMO_DATA": "true",
        "TELEGRAM_BOT_TOKEN": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "youthvoice.cli", "serve"],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


async def _teams(url: str) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(str(make_url(url).database)) as conn:
            return int(conn.execute("SELECT count(*) FROM teams").fetchone()[0])
    import asyncpg

    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username, database=parsed.database
    )
    try:
        return int(await conn.fetchval("SELECT count(*) FROM teams"))
    finally:
        await conn.close()


async def test_processes_started_together_all_come_up(database: str, tmp_path: Path) -> None:
    ports = [free_port() for _ in range(PROCESSES)]
    procs = [_start(database, tmp_path / f"p{i}", port) for i, port in enumerate(ports)]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        waiting = set(range(PROCESSES))
        while waiting and time.monotonic() < deadline:
            for i in list(waiting):
                assert procs[i].poll() is None, f"process {i} exited: {procs[i].communicate()[0]}"
                if _up(ports[i]):
                    waiting.discard(i)
            # Polling ports that are still opening, not waiting out a race.
            await asyncio.sleep(0.2)
        assert waiting == set(), f"never came up: {sorted(waiting)}"
        assert await _teams(database) == 4, "the demo was seeded exactly once"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
