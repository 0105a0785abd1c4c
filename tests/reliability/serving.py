"""Run the real `youthvoice serve` as a child process against the fake Bot API, as the
issue's load and fault runs did: loopback HTTP, a SQLite file, long polling."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sqlalchemy import func, select

from storage import catalog
from storage.schema import OutboxMessage
from tests.fakes.telegram_api import FakeTelegramAPI
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings


def settings_for(tmp_path: Path, api: FakeTelegramAPI) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        secrets_dir=tmp_path / "secrets",
        demo_data=False,
        telegram_bot_token=api.token,
        telegram_api_url=api.base_url,
    )


async def make_invite(settings: Settings) -> str:
    services = await bootstrap(settings)
    try:
        async with services.db.write() as conn:
            team = await catalog.add_team(conn, "North")
            invite = await catalog.add_invite(
                conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
            )
        return invite.code
    finally:
        await services.close()


async def outbox_rows(settings: Settings) -> int:
    services = await bootstrap(settings, migrate_db=False)
    try:
        async with services.db.read() as conn:
            query = select(func.count()).select_from(OutboxMessage)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await services.close()


async def serve(settings: Settings, api: FakeTelegramAPI, **env: str) -> asyncio.subprocess.Process:
    """Start `youthvoice serve`; returns once it polls the fake for updates."""
    polls = len(api.calls("getUpdates"))
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("YV_", "TELEGRAM_"))},
        "DATA_DIR": str(settings.data_dir),
        "SECRETS_DIR": str(settings.secrets_dir),
        "DATABASE_URL": "",
        "DEMO_DATA": "false",
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "youthvoice.cli",
        "serve",
        env=variables,
        cwd=settings.data_dir.parent,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    await api.wait_for(lambda: len(api.calls("getUpdates")) > polls, timeout=60)
    return proc
