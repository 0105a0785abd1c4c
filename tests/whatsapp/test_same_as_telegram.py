"""Golden conversations shared across channels: the same taps and words on Telegram and
on WhatsApp store the same anonymous submission (the engine is channel-agnostic, and
neither channel has a special case in the conversation service)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import select

from bot.delivery.pacing import UNPACED
from bot.telegram.channel import TelegramChannel
from bot.telegram.channel import build_channel as build_telegram
from storage.schema import Answer, Comment, Submission
from tests.fakes.telegram_api import FakeTelegramAPI, fake_telegram_api
from tests.telegram.conftest import FAST, deliver, message, tap
from tests.whatsapp.conftest import Phone
from tests.whatsapp.drive import Person
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

telegram_api = fake_telegram_api
CHAT = 7301
# One check-in as a person does it: a tap (an engine token) or words.
STEPS = (
    ("tap", "a:intro:next"),
    ("tap", "a:trust:4"),
    ("tap", "a:relatability:5"),
    ("tap", "a:heard:skip"),
    ("tap", "a:power:pns"),
    ("tap", "a:agency:2"),
    ("tap", "a:aliveness:3"),
    ("type", "more trips please"),
    ("tap", "a:better:skip"),
    ("type", "the room is always cold"),
    ("tap", "a:review:send"),
)


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    """WhatsApp's settings with Telegram on as well, each channel at its own fake."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(telegram_api.token),
            "telegram_api_url": telegram_api.base_url,
        }
    )


@pytest_asyncio.fixture
async def telegram(services: Services) -> AsyncIterator[TelegramChannel]:
    started = build_telegram(services, pacing=UNPACED, retry=FAST, poll_timeout=10, patience=0)
    await started.start()
    try:
        yield started
    finally:
        await started.stop(timeout=5)


async def _stored(services: Services) -> list[tuple[Any, ...]]:
    """Each submission as what it says: flow, team, period, answers, words."""
    async with services.db.read() as conn:
        subs = (await conn.execute(select(Submission.__table__))).all()
        answers = (await conn.execute(select(Answer.__table__))).all()
        comments = (await conn.execute(select(Comment.__table__))).all()
    return [
        (
            s.flow_id,
            s.flow_version,
            s.team_id,
            s.worker_id,
            s.period,
            sorted((a.item, a.value, a.status) for a in answers if a.submission_id == s.id),
            sorted((c.question, c.text) for c in comments if c.submission_id == s.id),
        )
        for s in subs
    ]


async def test_the_same_taps_store_the_same_submission_on_both_channels(
    phone: Phone,
    telegram: TelegramChannel,
    telegram_api: FakeTelegramAPI,
    services: Services,
    invite_code: str,
) -> None:
    await deliver(telegram_api, telegram, message(CHAT, f"/start {invite_code}"))
    for kind, value in STEPS:
        update = tap(CHAT, value) if kind == "tap" else message(CHAT, value)
        await deliver(telegram_api, telegram, update)
    (on_telegram,) = await _stored(services)

    sam = Person(phone, "447700900901")
    await sam.type(f"START {invite_code}")
    for kind, value in STEPS:
        await (sam.tap(value) if kind == "tap" else sam.type(value))
    stored = await _stored(services)
    assert len(stored) == 2 and stored[0] == stored[1] == on_telegram
    assert len(on_telegram[5]) == 6 and len(on_telegram[6]) == 2
