"""Webhook mode over real HTTP, mounted in the one ASGI app (SEC-16, REL-03, REL-06,
REL-19): the secret is checked before anything is read; 200 only after the commit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from admin.app import create_app
from bot.delivery.pacing import UNPACED
from bot.telegram.channel import TelegramChannel, build_channel
from storage.schema import ProcessedUpdate
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import FAST, message, serve, texts
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings, SettingsError

SECRET = "s3cret_webhook-token"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
CHAT = 7301


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The channel tests' settings, in webhook mode."""
    return settings.model_copy(
        update={
            "telegram_mode": "webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
            "public_url": "https://yv.example/",
        }
    )


@pytest_asyncio.fixture
async def hooked(services: Services) -> AsyncIterator[TelegramChannel]:
    channel = build_channel(services, pacing=UNPACED, retry=FAST)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop(timeout=5)


@pytest_asyncio.fixture
async def client(services: Services, hooked: TelegramChannel) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services, extra_routes=hooked.routes())
    async with serve(app) as base, httpx.AsyncClient(base_url=base) as http:
        yield http


def _update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, **message(CHAT, text)}


async def _post(client: httpx.AsyncClient, update: dict, secret: str | None = SECRET) -> int:
    headers = {HEADER: secret} if secret is not None else {}
    response = await client.post("/telegram/webhook", json=update, headers=headers)
    return response.status_code


async def _marks(services: Services) -> int:
    async with services.db.read() as conn:
        count = select(func.count()).select_from(ProcessedUpdate)
        return (await conn.execute(count)).scalar_one()


async def test_set_webhook_registers_secret_and_allowed_updates(
    api: FakeTelegramAPI, hooked: TelegramChannel
) -> None:
    """REL-19, REL-06, SEC-16: what Telegram is told at start."""
    assert api.webhook == {
        "url": "https://yv.example/telegram/webhook",
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query", "my_chat_member"],
    }
    assert api.calls("getUpdates") == [] and api.calls("deleteWebhook") == []


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_read(
    api: FakeTelegramAPI,
    client: httpx.AsyncClient,
    hooked: TelegramChannel,
    services: Services,
    invite_code: str,
    secret: str | None,
) -> None:
    assert await _post(client, _update(1, f"/start {invite_code}"), secret) == 401
    await hooked.handler.sender.drain()
    assert api.sent_messages() == [] and await _marks(services) == 0


async def test_the_right_secret_is_handled_once_however_often_it_comes(
    api: FakeTelegramAPI,
    client: httpx.AsyncClient,
    hooked: TelegramChannel,
    services: Services,
    invite_code: str,
) -> None:
    """REL-01 with REL-03: 200 means committed; a repeat, in sequence or at once, has no
    further effect."""
    start = _update(10, f"/start {invite_code}")
    assert await _post(client, start) == 200
    assert await _marks(services) == 1  # committed before the answer
    assert await _post(client, start) == 200
    tap_twice = await asyncio.gather(*(_post(client, _update(11, "/help")) for _ in range(2)))
    assert tap_twice == [200, 200]
    await hooked.handler.sender.drain()
    said = texts(api.sent_messages(chat_id=CHAT))
    kit = services.conversations.kit
    assert said[0].endswith(kit.safety_block("en"))  # with the intro
    assert said[1] == kit.safety_block("en")  # for /help, then where they were
    assert len(said) == 3 and await _marks(services) == 2


async def test_a_failed_commit_answers_500_so_telegram_retries(
    api: FakeTelegramAPI,
    client: httpx.AsyncClient,
    hooked: TelegramChannel,
    services: Services,
    invite_code: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REL-03: nothing is acknowledged that is not stored; the retry is handled once.
    The fault is in the database layer, so it takes the real path: the service reports
    that nothing was saved, and the webhook answers 500 without replying."""
    real = services.committer._apply
    broken = {"times": 1}

    async def apply(conn: object, jobs: object) -> object:
        if broken["times"]:
            broken["times"] -= 1
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return await real(conn, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.committer, "_apply", apply)
    start = _update(20, f"/start {invite_code}")
    assert await _post(client, start) == 500
    assert await _marks(services) == 0 and api.sent_messages() == []
    assert await _post(client, start) == 200
    await hooked.handler.sender.drain()
    assert len(api.sent_messages(chat_id=CHAT)) == 1 and await _marks(services) == 1


async def test_a_database_outage_is_answered_500_without_an_apology(
    api: FakeTelegramAPI,
    client: httpx.AsyncClient,
    hooked: TelegramChannel,
    services: Services,
    invite_code: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13: more failures than the old five tries, all within the 60 s of patience:
    each is 500 (nothing committed, Telegram keeps the update), none brings an apology."""
    real = services.committer._apply
    away = {"times": 8}

    async def apply(conn: object, jobs: object) -> object:
        if away["times"]:
            away["times"] -= 1
            raise OperationalError("BEGIN", {}, ConnectionRefusedError("database is away"))
        return await real(conn, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.committer, "_apply", apply)
    start = _update(40, f"/start {invite_code}")
    assert [await _post(client, start) for _ in range(8)] == [500] * 8
    assert await _post(client, start) == 200
    await hooked.handler.sender.drain()
    said = texts(api.sent_messages(chat_id=CHAT))
    assert len(said) == 1 and said[0].startswith("Hi. This is")


async def test_shutting_down_answers_503(
    api: FakeTelegramAPI, client: httpx.AsyncClient, hooked: TelegramChannel, services: Services
) -> None:
    assert hooked.receiver is not None
    await hooked.receiver.close(timeout=1)
    assert await _post(client, _update(30, "/help")) == 503
    assert await _marks(services) == 0


async def test_a_garbled_body_with_the_right_secret_is_400(
    client: httpx.AsyncClient, services: Services
) -> None:
    response = await client.post(
        "/telegram/webhook", content=b"{not json", headers={HEADER: SECRET}
    )
    assert response.status_code == 400
    assert await _post(client, {"no": "update id"}) == 400


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"telegram_webhook_secret": None}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"telegram_webhook_secret": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"public_url": "http://yv.example"}, "https"),
    ],
)
async def test_webhook_mode_refuses_unsafe_settings(
    services: Services, changes: dict, problem: str
) -> None:
    services.settings = Settings(_env_file=None, **{**services.settings.model_dump(), **changes})
    with pytest.raises(SettingsError, match=problem):
        build_channel(services)
