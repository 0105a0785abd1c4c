"""Notices the channel sends outside the engine (only text, Report Remove, forwarded, not
yet, sorry) speak the conversation's language when there is a draft; else the language
the phone reports (read, never stored: AN-04); else English."""

from __future__ import annotations

import pytest

from bot.telegram.channel import TelegramChannel
from flows.inputs import Choose, to_token
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import deliver, message, person, tap, texts
from youthvoice.bootstrap import Services

ALICE = 7301
PHOTO = [{"file_id": "AgADphoto", "file_unique_id": "u", "width": 1, "height": 1}]
FORWARD = {"type": "hidden_user", "date": 1, "sender_user_name": "Ottoline Canary"}


async def _welsh_by_choice(
    api: FakeTelegramAPI, channel: TelegramChannel, code: str, services: Services
) -> None:
    """A check-in opened on an English phone, then switched to Welsh with /language."""
    english = person(ALICE, "en")
    await deliver(api, channel, message(ALICE, f"/start {code}", english))
    (prompt,) = await deliver(api, channel, message(ALICE, "/language", english))
    welsh = to_token(Choose("_lang", "cy"))
    assert welsh in str(prompt.params["reply_markup"])
    await deliver(api, channel, tap(ALICE, welsh, english))
    state = await services.conversations.current("telegram", str(ALICE))
    assert state is not None and state.lang == "cy"


async def test_notices_follow_the_language_chosen_in_the_conversation(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """The phone says English; the person chose Welsh: every notice is in Welsh."""
    kit = services.conversations.kit
    await _welsh_by_choice(api, channel, invite_code, services)
    english = person(ALICE, "en")
    cases = [
        (message(ALICE, photo=PHOTO, user=english), ["only_text", "report_remove"]),
        (
            message(ALICE, sticker={"file_id": "CAAD", "file_unique_id": "s"}, user=english),
            ["only_text"],
        ),
        (message(ALICE, "look", english, forward_origin=FORWARD), ["forwarded"]),
        (message(ALICE, "/delete", english), ["delete_how"]),
    ]
    for update, keys in cases:
        assert texts(await deliver(api, channel, update)) == [kit.t(k, "cy") for k in keys]
    assert kit.t("only_text", "cy") != kit.t("only_text", "en")


async def test_a_draft_in_english_wins_over_a_welsh_phone(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    kit = services.conversations.kit
    await deliver(api, channel, message(ALICE, f"/start {invite_code}", person(ALICE)))
    replies = await deliver(api, channel, message(ALICE, photo=PHOTO, user=person(ALICE, "cy")))
    assert texts(replies) == [kit.t("only_text", "en"), kit.t("report_remove", "en")]


@pytest.mark.parametrize(
    ("code", "lang"), [("cy", "cy"), ("cy-GB", "cy"), ("fr", "en"), (None, "en")]
)
async def test_without_a_draft_the_phone_language_then_english(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    services: Services,
    code: str | None,
    lang: str,
) -> None:
    """AN-04: the phone's language_code is used for the reply and stored nowhere."""
    kit = services.conversations.kit
    replies = await deliver(api, channel, message(ALICE, photo=PHOTO, user=person(ALICE, code)))
    assert texts(replies) == [kit.t("only_text", lang), kit.t("report_remove", lang)]
    assert await services.conversations.current("telegram", str(ALICE)) is None
