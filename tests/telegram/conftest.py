"""Fixtures for the Telegram channel: the fake Bot API on 127.0.0.1, settings pointing the
bot at it, a started channel (fast retries, no pacing), and helpers that push updates and
wait until their replies are out — on events, never on sleeps."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from starlette.types import ASGIApp

from bot.delivery.pacing import UNPACED
from bot.delivery.sender import Retry
from bot.telegram.channel import TelegramChannel, build_channel
from tests.fakes.telegram_api import Call, FakeTelegramAPI, fake_telegram_api
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

api = fake_telegram_api  # the fake's fixture, under a short name
FAST = Retry(base=0.01, cap=0.05)
_message_ids = itertools.count(1000)


@pytest.fixture(autouse=True)
def _library_log_level() -> Iterator[None]:
    """Each test starts as a fresh process would: a started channel quiets PTB's loggers
    (SEC-18), and that must not leak into the next test."""
    logger = logging.getLogger("telegram")
    level = logger.level
    logger.setLevel(logging.NOTSET)
    yield
    logger.setLevel(level)


@pytest.fixture
def settings(tmp_path: Path, api: FakeTelegramAPI) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        org_name="Test Youth Service",
        telegram_bot_token=api.token,
        telegram_api_url=api.base_url,
    )


@pytest_asyncio.fixture
async def channel(services: Services, api: FakeTelegramAPI) -> AsyncIterator[TelegramChannel]:
    """The polling channel, started against the fake."""
    started = build_channel(services, pacing=UNPACED, retry=FAST, poll_timeout=10, patience=0)
    await started.start()
    try:
        yield started
    finally:
        await started.stop(timeout=5)


def person(user_id: int, lang: str | None = None, **names: str) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Sam", **names}
    if lang is not None:
        user["language_code"] = lang
    return user


def message(
    chat_id: int, text: str | None = None, user: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """A private-chat message update (no update_id: the fake adds one)."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": 1700000000,
        "chat": {"id": chat_id, "type": "private"},
        "from": user or person(chat_id),
        **fields,
    }
    if text is not None:
        body["text"] = text
    return {"message": body}


def tap(
    chat_id: int, data: str, user: dict[str, Any] | None = None, message_id: int | None = None
) -> dict[str, Any]:
    """A button tapped under a message the bot sent in a private chat (a new message
    unless `message_id` names one); the message shows the keyboard holding that button."""
    return {
        "callback_query": {
            "id": f"cb{next(_message_ids)}",
            "from": user or person(chat_id),
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": message_id or next(_message_ids),
                "date": 1700000000,
                "chat": {"id": chat_id, "type": "private"},
                "text": "a question",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
            },
        }
    }


def confirmed(api: FakeTelegramAPI, since: int, update_id: int) -> bool:
    """Whether a getUpdates after call number `since` confirmed `update_id` (REL-04: the
    offset moves past an update only once it is handled and its effects committed)."""
    return any(
        c.method == "getUpdates" and (c.params.get("offset") or 0) > update_id
        for c in api.calls()[since:]
    )


def shown(api: FakeTelegramAPI, chat_id: int | None = None) -> list[Call]:
    """Every message put on screen, in order: sent, or an earlier one edited into the next
    screen (issue 13's message economy)."""
    return [
        c
        for c in api.calls()
        if c.method in ("sendMessage", "editMessageText")
        and c.status == 200
        and (chat_id is None or str(c.params["chat_id"]) == str(chat_id))
    ]


async def deliver(
    api: FakeTelegramAPI, channel: TelegramChannel, update: dict[str, Any]
) -> list[Call]:
    """Push one update, wait until it is handled and its replies shown; those replies."""
    since, before = len(api.calls()), len(shown(api))
    pushed = api.push_update(update)
    await api.wait_for(lambda: confirmed(api, since, pushed["update_id"]))
    await channel.handler.sender.drain()
    return shown(api)[before:]


def texts(calls: list[Call]) -> list[str]:
    return [c.params["text"] for c in calls]


def tokens(call: Call) -> list[str]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


def database_bytes(settings: Settings) -> bytes:
    """The SQLite file with its -wal and -shm, as raw bytes."""
    db = Path(settings.db_url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


class _Server(uvicorn.Server):
    """uvicorn that tells when it listens and leaves Ctrl-C to pytest."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` over real HTTP on 127.0.0.1; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off", ws="none"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    ready = asyncio.create_task(server.ready.wait())
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        ready.cancel()
        await task
        raise RuntimeError("the test server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
