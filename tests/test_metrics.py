"""REL-18: /metrics is off unless METRICS_TOKEN is set, answers only to that bearer token,
reads the queue gauges from the database (hour-precision ages) and counts the write
transactions SQLite refused as busy. Over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from admin.app import create_app
from storage import db as storage_db
from storage import help_requests, outbox
from tests.conftest import Clock
from tests.telegram.conftest import serve
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

TOKEN = "m" * 40


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, demo_data=False, **values)  # type: ignore[arg-type]


@pytest.fixture
async def metered(tmp_path: Path, clock: Clock) -> AsyncIterator[Services]:
    services = await bootstrap(_settings(tmp_path, metrics_token=TOKEN), clock=clock)
    try:
        yield services
    finally:
        await services.close()


def samples(body: str) -> dict[str, float]:
    return {
        s.name: s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
        if not s.labels
    }


async def test_metrics_are_off_by_default(services: Services) -> None:
    assert services.settings.metrics_token is None
    async with serve(create_app(services)) as base, httpx.AsyncClient(base_url=base) as http:
        response = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        f"Bearer {'x' * 40}",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN}x",
        f"Basic {TOKEN}",
        TOKEN,
    ],
)
async def test_a_wrong_or_missing_token_is_refused(
    metered: Services, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with serve(create_app(metered)) as base, httpx.AsyncClient(base_url=base) as http:
        response = await http.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "youthvoice" not in response.text


async def test_the_right_token_gets_the_metrics(metered: Services) -> None:
    async with serve(create_app(metered)) as base, httpx.AsyncClient(base_url=base) as http:
        response = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    values = samples(response.text)
    assert values["youthvoice_outbox_messages"] == 0
    assert values["youthvoice_telegram_rate_limited_total"] == 0  # Telegram is off here
    assert values["process_resident_memory_bytes"] > 0


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        _settings(tmp_path, metrics_token="short")
    assert _settings(tmp_path, metrics_token=" ").metrics_token is None  # blank: off


async def test_queue_ages_are_read_from_the_database_to_the_hour(
    metered: Services, clock: Clock
) -> None:
    """The outbox's oldest message and the oldest open help request, whichever process
    wrote them."""
    clock.now += dt.timedelta(minutes=40)  # 09:40: ages count from the hour written
    seal = metered.sealer.seal
    written = clock.now - dt.timedelta(hours=3)  # 06:40, kept as 06:00
    rows = [outbox.Envelope("lane", seal("1"), seal("x"), False)] * 2
    asked = [
        help_requests.NewHelpRequest(
            name, clock.now - dt.timedelta(hours=h), "person", "en", None, b""
        )
        for name, h in (("old", 5), ("new", 1))
    ]
    async with metered.db.write() as conn:
        await outbox.put(conn, rows, written, "another-process", written)
        await help_requests.add(conn, asked)
    values = samples((await metered.metrics.scrape()).decode())
    assert values["youthvoice_outbox_messages"] == 2
    assert values["youthvoice_outbox_oldest_age_seconds"] == 3 * 3600 + 40 * 60
    assert values["youthvoice_help_queue_oldest_age_seconds"] == 5 * 3600 + 40 * 60


async def test_a_write_refused_as_busy_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REL-11 wants none, so each is worth an operator's look: another process holding the
    write lock past the busy timeout (shortened here) is counted; other errors are not."""
    monkeypatch.setitem(storage_db.PRAGMAS, "busy_timeout", 50)
    services = await bootstrap(_settings(tmp_path))
    other = sqlite3.connect(tmp_path / "youthvoice.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="database is locked"):
            async with services.db.write() as conn:
                await conn.execute(text("SELECT 1"))
        other.execute("ROLLBACK")
        with pytest.raises(OperationalError, match="no such table"):
            async with services.db.write() as conn:
                await conn.execute(text("SELECT * FROM nothing_here"))
        assert services.db.busy_errors == 1
        assert (
            samples((await services.metrics.scrape()).decode())["youthvoice_sqlite_busy_total"] == 1
        )
    finally:
        other.close()
        await services.close()
