"""Talk to a person from /help on Telegram (SG-07): the button is on the helplines
message, a blank-ish reply is refused, and the contact never reaches the database file
in the clear."""

from __future__ import annotations

from sqlalchemy import select

from bot.telegram.channel import TelegramChannel
from storage.schema import HelpRequest
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import database_bytes, deliver, message, tap, texts, tokens
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

BOB = 5151
CONTACT = "ask for me at the canary-finch youth club"


async def test_help_offers_a_person_and_keeps_the_contact_sealed(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    settings: Settings,
) -> None:
    kit = services.conversations.kit
    await deliver(api, channel, message(BOB, f"/start {invite_code}"))
    await deliver(api, channel, tap(BOB, "a:intro:next"))
    helped = await deliver(api, channel, message(BOB, "/help"))
    (block,) = [c for c in helped if c.params["text"] == kit.safety_block("en")]
    assert tokens(block) == ["a:_reach:person.en"]
    asked = await deliver(api, channel, tap(BOB, "a:_reach:person.en"))
    assert texts(asked)[-1].startswith("How can we reach you?")
    refused = await deliver(api, channel, message(BOB, "idk"))
    assert texts(refused)[0] == kit.t("contact_refused", "en")
    done = await deliver(api, channel, message(BOB, CONTACT))
    assert tokens(done[-1]) == ["a:_after:continue", "a:_after:stop"]
    async with services.db.read() as conn:
        (row,) = await conn.execute(select(HelpRequest.__table__))
    assert services.sealer.unseal(row.sealed_contact) == CONTACT
    await services.committer.close()
    await services.db.dispose()
    assert b"canary-finch" not in database_bytes(settings)
