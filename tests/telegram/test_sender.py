"""What each Bot API answer does to the outgoing queues (REL-07, REL-08), against the
fake server over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from telegram.request import HTTPXRequest

from bot.delivery.pacing import UNPACED, Pacing
from bot.telegram.channel import TelegramChannel, build_channel
from bot.telegram.client import TelegramBot, make_bot
from bot.telegram.render import Message
from bot.telegram.sender import Item, Sender
from storage.schema import Conversation
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import FAST, deliver, message, shown, tap, texts
from youthvoice.bootstrap import Services

A, B = 6101, 6202


@pytest_asyncio.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[TelegramBot]:
    async with make_bot(api.token, api.base_url) as ready:
        yield ready


async def _push_and_count(api: FakeTelegramAPI, update: dict, chat: int, replies: int) -> None:
    """Push an update and wait for its replies in that chat only (other chats may be
    held up on purpose)."""
    before = len(shown(api, chat))
    api.push_update(update)
    await api.wait_for(lambda: len(shown(api, chat)) >= before + replies)


@pytest.mark.slow
async def test_429_holds_up_only_that_chat_for_retry_after(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str
) -> None:
    """REL-07: Telegram says retry after 3 s for chat A. A's next send comes at least 3 s
    later (by the fake's arrival clock) while chat B's replies keep coming."""
    api.fail_next("sendMessage", 429, chat_id=A, retry_after=3)
    api.push_update(message(A, f"/start {invite_code}"))
    (flood,) = await api.wait_for(lambda: [c for c in api.calls("sendMessage") if c.status == 429])
    steps = [
        (message(B, f"/start {invite_code}"), 1),
        (tap(B, "a:intro:next"), 1),
        (tap(B, "a:trust:4"), 1),
        (tap(B, "a:relatability:4"), 1),
        (tap(B, "a:heard:4"), 1),
    ]
    for update, replies in steps:
        await _push_and_count(api, update, B, replies)
    (intro,) = await api.wait_for(lambda: api.sent_messages(chat_id=A), timeout=10)
    assert intro.at - flood.at >= 3
    assert intro.params["text"] == flood.params["text"]
    b_sent = shown(api, B)
    assert len(b_sent) == 5
    assert all(flood.at < c.at < intro.at for c in b_sent)


async def test_5xx_is_retried_and_delivered_once_in_order(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """REL-08: two 500s, then the message goes, once; the next reply follows it."""
    api.fail_next("sendMessage", 500, chat_id=A, times=2)
    (intro,) = await deliver(api, channel, message(A, f"/start {invite_code}"))
    assert [c.status for c in api.calls("sendMessage")] == [500, 500, 200]
    assert intro.params["text"].startswith("Hi. This is a 2-minute check-in")
    assert intro.params["text"].endswith(services.conversations.kit.safety_block("en"))
    start = tap(A, "a:intro:next", message_id=intro.result["message_id"])
    (question,) = await deliver(api, channel, start)
    assert question.params["text"].startswith("Question 1 of 9") and question.at > intro.at


async def test_a_timeout_is_retried_so_a_reply_may_arrive_twice(
    api: FakeTelegramAPI, services: Services, invite_code: str
) -> None:
    """REL-08: a timeout can hide a delivered message; we resend (at-least-once)."""
    quick = make_bot(api.token, api.base_url, request=HTTPXRequest(read_timeout=0.2))
    channel = build_channel(services, pacing=UNPACED, retry=FAST, poll_timeout=10, bot=quick)
    await channel.start()
    try:
        api.delay_next("sendMessage", 5, chat_id=A)
        replies = await deliver(api, channel, message(A, f"/start {invite_code}"))
    finally:
        await channel.stop(timeout=5)
    intro, again = texts(replies)
    assert intro == again and intro.endswith(services.conversations.kit.safety_block("en"))


async def test_403_drops_the_queue_and_forgets_the_draft(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """REL-08: the person blocked the bot. No retries, nothing more queued for them is
    sent, and the draft the update had just saved is deleted."""
    api.fail_next("sendMessage", 403, chat_id=A)
    assert await deliver(api, channel, message(A, f"/start {invite_code}")) == []
    assert [c.status for c in api.calls("sendMessage")] == [403]
    async with services.db.read() as conn:
        drafts = (await conn.execute(select(func.count()).select_from(Conversation))).scalar()
    assert drafts == 0


async def test_400_is_not_retried_and_logs_only_its_code(
    api: FakeTelegramAPI, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    """REL-08: no retry; the log names the method and code, not Telegram's description."""
    api.fail_next("sendMessage", 400, chat_id=A)
    sender = Sender(bot, pacing=UNPACED, retry=FAST)
    with caplog.at_level(logging.INFO, logger="bot.telegram"):
        sender.send(A, [Message("one"), Message("two")])
        await sender.drain()
    assert [(c.params["text"], c.status) for c in api.calls("sendMessage")] == [
        ("one", 400),
        ("two", 200),
    ]
    assert "sendMessage: 400" in caplog.text
    assert "chat not found" not in caplog.text.lower() and str(A) not in caplog.text


async def test_each_chat_is_paced_by_its_own_bucket(api: FakeTelegramAPI, bot: TelegramBot) -> None:
    """REL-07: past its burst a chat waits for tokens; another chat does not wait."""
    pacing = Pacing(chat_rate=10.0, chat_burst=2, global_rate=None)
    sender = Sender(bot, pacing=pacing, retry=FAST)
    started = time.monotonic()  # from the first send: a slow first request cannot hide a wait
    sender.send(A, [Message(f"a{i}") for i in range(6)])
    sender.send(B, [Message("b0"), Message("b1")])
    await sender.drain()
    a, b = _arrivals(api.sent_messages(chat_id=A)), _arrivals(api.sent_messages(chat_id=B))
    assert a[5] - started >= 4 / 10.0 - 0.01  # four waits of a tenth of a second
    assert b[1] < a[2]  # B went while A waited for its third token


class _Clock:
    """The sender's own clock, moved only by its waits: pacing is checked by what it
    waited, not by arrival times that loopback latency can squeeze together."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def test_all_chats_share_the_overall_rate(api: FakeTelegramAPI, bot: TelegramBot) -> None:
    pacing = Pacing(chat_rate=None, global_rate=20.0, global_burst=1)
    clock = _Clock()
    sender = Sender(bot, pacing=pacing, retry=FAST, clock=clock, sleep=clock.sleep)
    for chat in range(1, 6):
        sender.send(chat, [Message("hello")])
    await sender.drain()
    assert len(api.sent_messages()) == 5
    # Five sends at 20 a second with no burst: four waits of 1/20 s between them.
    assert clock.now == pytest.approx(4 / 20.0)


async def test_safety_messages_go_first_when_the_overall_rate_is_reached(
    api: FakeTelegramAPI, bot: TelegramBot
) -> None:
    """Issue 13: a young person who asked for help does not wait behind other chats."""
    pacing = Pacing(chat_rate=None, global_rate=20.0, global_burst=1)
    sender = Sender(bot, pacing=pacing, retry=FAST)
    sender.push(Item(chat, Message(f"question {chat}")) for chat in range(1, 6))
    sender.push([Item(9, Message("helplines"), urgent=True)])
    await sender.drain()
    order = [c.params["text"] for c in sorted(api.sent_messages(), key=lambda c: c.at)]
    assert order[:2] == ["question 1", "helplines"]
    assert order[2:] == [f"question {chat}" for chat in range(2, 6)]


def _arrivals(calls: list[Call]) -> list[float]:
    return sorted(c.at for c in calls)
