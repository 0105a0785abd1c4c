"""REL-14: the fault loop (bench/faults.py) for 60 s against the real `serve` processes,
on SQLite (one process, polling) and PostgreSQL (two processes, webhooks). It exits 0 only
if every young person got the reply to every step, in order, with no apology, no lost,
repeated or partial submission, and an empty outbox at the end."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.conftest import postgres_url

LOOP = Path(__file__).resolve().parents[2] / "bench" / "faults.py"


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_the_fault_loop_finds_nobody_let_down(db: str) -> None:
    if db == "postgres" and postgres_url() is None:
        pytest.skip("set YV_TEST_POSTGRES_URL to run the fault loop on PostgreSQL")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(LOOP),
        "--seconds",
        "60",
        "--db",
        db,
        "--people",
        "10",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    report = out.decode()
    assert proc.returncode == 0, report
    assert "people without a reply: 0" in report and report.rstrip().endswith("ok")
