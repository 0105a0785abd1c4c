"""Per-chat pacing on Telegram (issue 10): the same in-memory mechanism as the web chat,
keyed by the chat's existing HMAC (never its id). One chat that starts and stops over and
over is paced after the burst with the kind message and the safety block; another chat is
not affected."""

from __future__ import annotations

from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import deliver, message, texts
from youthvoice.bootstrap import Services

ALICE, BOB = 4242, 4343
BURST = 10  # PACE_CLIENT_CHECKINS_BURST's default


async def test_one_chat_starting_over_and_over_is_paced(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    kit = services.conversations.kit
    firsts = []
    for _ in range(BURST + 2):
        firsts.append(texts(await deliver(api, channel, message(ALICE, f"/start {invite_code}"))))
        await deliver(api, channel, message(ALICE, "/stop"))
    paced = [f"{kit.t('paced', 'en')}\n\n{kit.safety_block('en')}"]
    assert [replies == paced for replies in firsts] == [False] * BURST + [True, True]
    assert texts(await deliver(api, channel, message(BOB, f"/start {invite_code}"))) != paced
    # Keyed by the conversation's HMAC: the chat id itself is never a pacing key.
    key = services.conversations.key("telegram", str(ALICE))
    assert not services.pacer.take("start", key)
    assert services.pacer.take("start", str(ALICE))
