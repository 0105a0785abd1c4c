"""Keyboards left behind: once a tap is answered, the tapped message loses its buttons, so
old buttons do not invite taps that can only be answered "that question has moved on".
The edit goes out behind the reply in the chat's queue and never holds it up; Telegram's
refusals of it are expected and tolerated (REL-08)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import deliver, message, tap, texts, tokens
from youthvoice.bootstrap import Services

ALICE = 7402


def _position(api: FakeTelegramAPI, call: Call) -> int:
    return next(i for i, c in enumerate(api.calls()) if c is call)


async def _intro(api: FakeTelegramAPI, channel: TelegramChannel, code: str) -> int:
    """Open the check-in; the id of the intro message, the one with the Start button."""
    intro, _safety = await deliver(api, channel, message(ALICE, f"/start {code}"))
    assert tokens(intro)
    return intro.result["message_id"]


async def test_the_tapped_message_loses_its_keyboard_after_the_reply(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str
) -> None:
    intro = await _intro(api, channel, invite_code)
    update = api.push_update(tap(ALICE, "a:intro:next", message_id=intro))
    (question,) = await deliver(api, channel, update)
    (edit,) = api.calls("editMessageReplyMarkup")
    assert edit.params == {"chat_id": ALICE, "message_id": intro} and edit.status == 200
    assert _position(api, edit) > _position(api, question)  # asked only once the reply was out
    assert api.keyboard(ALICE, intro) is None
    assert api.keyboard(ALICE, question.result["message_id"]) is not None  # the live question
    assert await deliver(api, channel, update) == []  # delivered again: no second edit
    assert len(api.calls("editMessageReplyMarkup")) == 1


async def test_a_double_tap_gets_not_modified_which_is_tolerated(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two taps on one message before its keyboard is gone: the second edit finds nothing
    to change; every reply still goes, nothing is retried, nothing is logged as a fault."""
    intro = await _intro(api, channel, invite_code)
    api.push_update(tap(ALICE, "a:intro:next", message_id=intro))
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        said = await deliver(api, channel, tap(ALICE, "a:intro:next", message_id=intro))
        assert [c.status for c in api.calls("editMessageReplyMarkup")] == [200, 400]
        (question,) = await deliver(api, channel, tap(ALICE, "a:trust:4"))
    assert texts(said)[1:] == [services.conversations.kit.t("moved_on", "en"), texts(said)[0]]
    assert question.params["text"].startswith("Question 2 of 9")
    assert caplog.text == ""


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (400, "Bad Request: message can't be edited"),
        (400, "Bad Request: message to edit not found"),
        (500, "Internal Server Error"),
    ],
)
async def test_a_refused_or_failed_edit_is_let_go_and_the_chat_carries_on(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    caplog: pytest.LogCaptureFixture,
    status: int,
    description: str,
) -> None:
    """Stale buttons are answered by the engine anyway, so a failed edit is not retried
    (not even a 5xx) and cannot hold up the chat's next reply."""
    intro = await _intro(api, channel, invite_code)
    api.fail_next("editMessageReplyMarkup", status, chat_id=ALICE, description=description)
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        (first,) = await deliver(api, channel, tap(ALICE, "a:intro:next", message_id=intro))
        (second,) = await deliver(api, channel, tap(ALICE, "a:trust:4"))
    assert first.params["text"].startswith("Question 1 of 9")
    assert second.params["text"].startswith("Question 2 of 9")
    assert [c.status for c in api.calls("editMessageReplyMarkup")] == [status, 200]
    assert caplog.text == ""


async def test_when_nothing_was_saved_the_buttons_stay(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REL-05: the tap is answered with an apology and the safety block; its buttons are
    still the current ones, so they stay for the person to tap again."""
    intro = await _intro(api, channel, invite_code)

    async def full_disk(job: object) -> object:
        raise OperationalError("COMMIT", {}, OSError("disk I/O error"))

    monkeypatch.setattr(services.conversations.committer, "run", full_disk)
    replies = await deliver(api, channel, tap(ALICE, "a:intro:next", message_id=intro))
    kit = services.conversations.kit
    assert texts(replies) == [kit.t("sorry_error", "en"), kit.safety_block("en")]
    assert api.calls("editMessageReplyMarkup") == []
    assert api.keyboard(ALICE, intro) is not None
