"""Message economy (issue 13): a tap on the current screen turns that message into the next
screen with editMessageText, so each step costs one Bot API call and a shared phone keeps
less on screen. Safety messages are never edited away, a stale message is left alone, and
Telegram's refusals of an edit are handled (REL-08). Every request is checked against the
Bot API spec by the fake."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import deliver, message, tap, texts, tokens
from youthvoice.bootstrap import Services

ALICE = 7402
MESSAGE_CALLS = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage")


def _id(call: Call) -> int:
    """The message a call put on screen."""
    return int(call.params.get("message_id") or call.result["message_id"])


async def _intro(api: FakeTelegramAPI, channel: TelegramChannel, code: str) -> Call:
    (intro,) = await deliver(api, channel, message(ALICE, f"/start {code}"))
    assert tokens(intro)
    return intro


async def _first_question(api: FakeTelegramAPI, channel: TelegramChannel, code: str) -> Call:
    intro = await _intro(api, channel, code)
    (question,) = await deliver(api, channel, tap(ALICE, "a:intro:next", message_id=_id(intro)))
    assert question.params["text"].startswith("Question 1 of 9")
    return question


async def test_the_intro_and_its_helplines_are_one_message_that_stays(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """SG-01 (a): the helplines come with the intro, before the first question, and Start
    brings question 1 as a new message below them instead of editing them away."""
    intro = await _intro(api, channel, invite_code)
    assert intro.params["text"].endswith(services.conversations.kit.safety_block("en"))
    assert tokens(intro) == ["a:intro:next", "c:stop"]
    (question,) = await deliver(api, channel, tap(ALICE, "a:intro:next", message_id=_id(intro)))
    assert question.method == "sendMessage" and _id(question) != _id(intro)
    assert api.calls("editMessageText") == []


async def test_a_tap_on_the_current_screen_becomes_the_next_screen(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str
) -> None:
    q1 = await _first_question(api, channel, invite_code)
    update = api.push_update(tap(ALICE, "a:trust:4", message_id=_id(q1)))
    (q2,) = await deliver(api, channel, update)
    assert q2.method == "editMessageText" and _id(q2) == _id(q1)
    assert q2.params["text"].startswith("Question 2 of 9")
    keyboard = api.keyboard(ALICE, _id(q1))
    assert keyboard is not None and "a:relatability:4" in str(keyboard)
    assert await deliver(api, channel, update) == []  # delivered again: nothing more


async def test_a_full_check_in_costs_twelve_calls(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """One call per step (8 taps, 3 typed answers, /start), the helplines inside the intro
    and inside "Sent": 12, where sending everything anew cost 27."""
    since = len(api.calls())
    screen = await _intro(api, channel, invite_code)
    flow = services.flows["relationship-checkin"]
    taps = ["a:intro:next", *(f"a:{n.id}:4" for n in flow.nodes if n.kind == "scale")]
    for data in taps:
        (screen,) = await deliver(api, channel, tap(ALICE, data, message_id=_id(screen)))
        assert screen.method == ("sendMessage" if data == "a:intro:next" else "editMessageText")
    for words in ("They listen", "More trips", "/skip"):
        (screen,) = await deliver(api, channel, message(ALICE, words))
        assert screen.method == "sendMessage"
    assert screen.params["text"].startswith("Nearly done")
    (sent,) = await deliver(api, channel, tap(ALICE, "a:review:send", _id(screen)))
    assert sent.method == "editMessageText" and sent.params["text"].startswith("Sent.")
    assert sent.params["text"].endswith(services.conversations.kit.safety_block("en"))
    assert tokens(sent) == ["a:_reach:person.en"]  # the answers and Send are gone
    calls = [c.method for c in api.calls()[since:] if c.method in MESSAGE_CALLS]
    assert len(calls) == 12 and calls.count("editMessageText") == 7
    assert len(api.calls("answerCallbackQuery")) == len(taps) + 1
    (asked,) = await deliver(api, channel, tap(ALICE, "a:_reach:person.en", _id(sent)))
    assert asked.method == "sendMessage"  # the helplines under "Sent" stay on screen


async def test_a_double_tap_leaves_the_old_message_and_sends_the_question_anew(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The second tap on question 1 is stale once it became question 2: it gets "moved
    on" and the question in one new message; nothing is retried or logged as a fault."""
    q1 = await _first_question(api, channel, invite_code)
    api.push_update(tap(ALICE, "a:trust:4", message_id=_id(q1)))
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        first, again = await deliver(api, channel, tap(ALICE, "a:trust:4", _id(q1)))
    assert first.method == "editMessageText" and again.method == "sendMessage"
    moved_on = services.conversations.kit.t("moved_on", "en")
    assert again.params["text"] == f"{moved_on}\n\n{first.params['text']}"
    assert caplog.text == ""


async def test_only_the_current_screen_is_edited(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """After a typed answer the old question is not the current screen any more: a tap on
    it (Help) brings new messages below, and the old message stays as it was."""
    q1 = await _first_question(api, channel, invite_code)
    (q2,) = await deliver(api, channel, message(ALICE, "/skip"))
    helped = await deliver(api, channel, tap(ALICE, "c:help", _id(q1)))
    assert [c.method for c in helped] == ["sendMessage", "sendMessage"]
    assert texts(helped) == [services.conversations.kit.safety_block("en"), q2.params["text"]]


async def test_the_pause_after_a_disclosure_stays_on_screen(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """SG-01: the helplines of the pause are never edited away; carrying on asks the
    question again below them."""
    await _first_question(api, channel, invite_code)
    (pause,) = await deliver(api, channel, message(ALICE, "he hits me when I get home"))
    assert services.conversations.kit.safety_block("en") in pause.params["text"]
    (question,) = await deliver(api, channel, tap(ALICE, "a:_safety:continue", _id(pause)))
    assert question.method == "sendMessage"
    assert question.params["text"].startswith("Question 1 of 9")
    assert api.keyboard(ALICE, _id(pause)) is not None  # untouched


@pytest.mark.parametrize(
    "description",
    ["Bad Request: message can't be edited", "Bad Request: message to edit not found"],
)
async def test_a_refused_edit_is_sent_as_a_new_message(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    caplog: pytest.LogCaptureFixture,
    description: str,
) -> None:
    q1 = await _first_question(api, channel, invite_code)
    api.fail_next("editMessageText", 400, chat_id=ALICE, description=description)
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        (question,) = await deliver(api, channel, tap(ALICE, "a:trust:4", _id(q1)))
    assert question.method == "sendMessage"
    assert question.params["text"].startswith("Question 2 of 9") and tokens(question)
    assert caplog.text == ""


async def test_a_failed_edit_is_retried(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str
) -> None:
    q1 = await _first_question(api, channel, invite_code)
    api.fail_next("editMessageText", 500, chat_id=ALICE)
    (question,) = await deliver(api, channel, tap(ALICE, "a:trust:4", _id(q1)))
    assert [c.status for c in api.calls("editMessageText")] == [500, 200]
    assert question.params["text"].startswith("Question 2 of 9")


async def test_when_nothing_was_saved_the_buttons_stay(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REL-05: the tap is answered with an apology and the safety block as a new message;
    its buttons are still the current ones, so they stay for the person to tap again."""
    q1 = await _first_question(api, channel, invite_code)

    async def full_disk(job: object) -> object:
        raise OperationalError("COMMIT", {}, OSError("disk I/O error"))

    monkeypatch.setattr(services.conversations.committer, "run", full_disk)
    replies = await deliver(api, channel, tap(ALICE, "a:trust:4", message_id=_id(q1)))
    kit = services.conversations.kit
    assert texts(replies) == [f"{kit.t('sorry_error', 'en')}\n\n{kit.safety_block('en')}"]
    assert api.calls("editMessageText") == []
    assert api.keyboard(ALICE, _id(q1)) is not None
