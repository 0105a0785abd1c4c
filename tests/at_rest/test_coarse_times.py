"""No exact times about young people (AN-08, REL-01): after check-ins on the terminal, the
web chat (real HTTP) and Telegram (the fake Bot API), a help request, and drafts left
half-way on each channel, a walk over every table in the database finds no time finer
than an hour outside the staff-only tables: not in a time column, not inside a draft's
JSON, not as a Unix time, and not in the clear timestamp of a sealed (Fernet) value.
The clock stands at 09:17:42.123456, so anything stored unrounded shows. On SQLite and
PostgreSQL."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection

from admin.app import create_app
from bot.delivery.pacing import UNPACED
from bot.telegram.channel import build_channel
from flows.inputs import Choose, Start, Text
from storage import catalog
from storage.sealing import Sealer
from tests.at_rest.drive import WebChat, telegram_check_in, terminal_check_in
from tests.conftest import CLOCK_START, Clock
from tests.fakes.telegram_api import FakeTelegramAPI, fake_telegram_api
from tests.telegram.conftest import FAST, serve
from youthvoice.bootstrap import Services

api = fake_telegram_api
# Staff's own records: who logged in when, what they did, what they created.
STAFF_ONLY = {
    "teams",
    "workers",
    "invites",
    "console_users",
    "user_teams",
    "console_sessions",
    "login_attempts",
    "audit_log",
    "console_settings",
    "alembic_version",
}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?")
UNIX_TIME = re.compile(r"(?<!\d)1[5-9]\d{8}(?:\.\d+)?(?!\d)")  # 2017 to 2033
FERNET = re.compile(r"gAAAAA[A-Za-z0-9_=-]{40,}")
WORDS = ("they listen to me and help me plan things",)


@pytest.fixture
def extra_settings(api: FakeTelegramAPI) -> dict[str, Any]:
    return {"telegram_bot_token": api.token, "telegram_api_url": api.base_url}


def finer_than_an_hour(value: object) -> list[str]:
    """Every time held in `value` that says more than its hour."""
    found: list[str] = []
    if isinstance(value, dt.datetime):
        if (value.minute, value.second, value.microsecond) != (0, 0, 0):
            found.append(value.isoformat())
        return found
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode("latin-1")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return found
    for m in ISO_TIME.finditer(value):
        if any(part and int(part) for part in m.groups()[1:]):
            found.append(m.group())
    for m in UNIX_TIME.finditer(value):
        if float(m.group()) % 3600:
            found.append(m.group())
    for m in FERNET.finditer(value):
        try:
            raw = base64.urlsafe_b64decode(m.group() + "=" * (-len(m.group()) % 4))
        except (binascii.Error, ValueError):
            continue
        if int.from_bytes(raw[1:9], "big") % 3600:
            found.append(f"sealed at {int.from_bytes(raw[1:9], 'big')}")
    return found


def test_the_walk_sees_exact_times_in_every_form() -> None:
    """The checker itself: each form an exact time can take is caught, whole hours pass."""
    exact = dt.datetime(2026, 11, 3, 9, 17, 42, 123456, tzinfo=dt.UTC)
    assert finer_than_an_hour(exact) and not finer_than_an_hour(
        exact.replace(minute=0, second=0, microsecond=0)
    )
    assert finer_than_an_hour('{"at": "2026-11-03T09:17:42"}')
    assert not finer_than_an_hour('{"at": "2026-11-03T09:00:00"}')
    assert finer_than_an_hour(1762161462) and not finer_than_an_hour(1762160400)
    key = b"k" * 32
    token = Fernet(base64.urlsafe_b64encode(key)).encrypt_at_time(b"07700 900111", 1762161462)
    assert finer_than_an_hour(token)
    assert not finer_than_an_hour(Sealer(key).seal("07700 900111"))  # Sealer stamps the hour


async def _rows(conn: AsyncConnection) -> dict[str, list[tuple[str, object]]]:
    """Every value of every table actually in the database (other features' tables too)."""
    names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    found: dict[str, list[tuple[str, object]]] = {}
    for name in names:
        table = await conn.run_sync(lambda sync, n=name: Table(n, MetaData(), autoload_with=sync))
        rows = (await conn.execute(select(table))).mappings().all()
        found[name] = [(column, value) for row in rows for column, value in row.items()]
    return found


async def test_nothing_about_young_people_is_timed_finer_than_an_hour(
    backend: Services, clock: Clock, api: FakeTelegramAPI
) -> None:
    svc = backend
    clock.now = CLOCK_START + dt.timedelta(minutes=17, seconds=42, microseconds=123456)
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=clock.now
        )
    service = svc.conversations

    await terminal_check_in(service, invite.code, WORDS, "term-1", receipt=True)
    await terminal_check_in(service, invite.code, WORDS, "term-2", send=False)
    # A help request, as asked for from the safety pause.
    await service.handle("terminal", "term-3", Start((("invite", invite.code),)))
    await service.handle("terminal", "term-3", Choose("intro", "next"))
    await service.handle("terminal", "term-3", Text("my mums boyfriend hits me"))
    await service.handle("terminal", "term-3", Choose("_safety", "person"))
    await service.handle("terminal", "term-3", Text("text me 07700 900111"))

    async with serve(create_app(svc)) as base, httpx.AsyncClient(base_url=base) as client:
        sent = await WebChat(client, invite.code).check_in(WORDS)
        assert "Sent — thank you" in sent.text
    async with serve(create_app(svc)) as base, httpx.AsyncClient(base_url=base) as client:
        draft = WebChat(client, invite.code)
        await draft.open()
        await draft.press("Start")

    channel = build_channel(svc, pacing=UNPACED, retry=FAST, poll_timeout=10)
    await channel.start()
    try:
        for user_id, send in ((700000001, True), (700000002, False)):
            user = {"id": user_id, "is_bot": False, "first_name": "Sam"}
            await telegram_check_in(api, channel, user, invite.code, WORDS, send=send)
    finally:
        await channel.stop(timeout=5)

    async with svc.db.read() as conn:
        tables = await _rows(conn)
    # The walk met what it is for: drafts on three channels, update marks, a help request.
    assert len(tables["conversations"]) >= 3 * 3
    assert tables["processed_updates"] and tables["help_requests"] and tables["submissions"]
    exact = {
        f"{name}.{column}": found
        for name, values in tables.items()
        if name not in STAFF_ONLY
        for column, value in values
        if (found := finer_than_an_hour(value))
    }
    assert exact == {}
    # ... while the staff tables do keep exact times: the clock did reach the database.
    assert any(finer_than_an_hour(v) for _, v in tables["invites"])
