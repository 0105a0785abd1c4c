"""/news on Telegram (issue 15): the latest published "You said, we did", only when asked.
Publishing it sends nothing to anyone (CC-11: the bot never messages unprompted)."""

from __future__ import annotations

from bot.telegram.channel import TelegramChannel
from storage import news
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import deliver, message, person, shown, texts
from youthvoice.bootstrap import Services

ALICE, BOB = 501, 502
SAID = {
    "en": {"said": "they wanted sessions after school", "did": "now open on Thursdays until 7"},
    "cy": {"said": "eu bod eisiau sesiynau ar ôl ysgol", "did": "wedi agor ar ddydd Iau tan 7"},
}


async def _publish(services: Services) -> None:
    now = services.clock()
    async with services.db.write() as conn:
        item = await news.add(
            conn, period="2026-Q3", topic=None, wording=SAID, written_by="m1", now=now
        )
        assert await news.approve(conn, item, "m2", SAID, now)
    await services.refresh_news()


async def test_news_only_when_asked_in_their_language(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services
) -> None:
    kit = services.conversations.kit
    before = texts(await deliver(api, channel, message(ALICE, "/news")))
    assert before == [kit.t("no_news", "en")]
    seen = len(shown(api))
    await _publish(services)
    await channel.handler.sender.drain()
    assert len(shown(api)) == seen, "publishing sent nothing to anyone (CC-11)"
    kit = services.conversations.kit
    (english,) = texts(await deliver(api, channel, message(ALICE, "/news")))
    assert english == (
        "Last time, young people said they wanted sessions after school; "
        "we now open on Thursdays until 7."
    )
    (welsh,) = texts(await deliver(api, channel, message(BOB, "/news", person(BOB, "cy"))))
    assert welsh == kit.news_line("cy") and welsh.startswith("Y tro diwethaf")
