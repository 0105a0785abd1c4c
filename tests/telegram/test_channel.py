"""The Telegram channel end to end through the fake Bot API: registration, deep links,
buttons, commands, and everything a chat sends that is not words (SG-10, SG-11, CC-18)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.telegram.channel import TelegramChannel
from storage.schema import Conversation, DeletionReceipt, Submission
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import deliver, message, person, tap, texts, tokens
from youthvoice.bootstrap import Services

ALICE = 4242


async def _count(services: Services, table: type) -> int:
    async with services.db.read() as conn:
        query = select(func.count()).select_from(table.__table__)  # type: ignore[attr-defined]
        return (await conn.execute(query)).scalar_one()


async def _drafts(services: Services) -> int:
    return await _count(services, Conversation)


async def test_start_registers_commands_and_polls_only_what_is_used(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services
) -> None:
    """CC-10, CC-23, REL-19, REL-06: the command menu is set once per language, worded by
    the copy: English as the default for every app language, Welsh for apps set to Welsh.
    Polling asks only for the kinds used; the webhook goes without dropping updates."""
    kit = services.conversations.kit
    default, welsh = api.calls("setMyCommands")
    assert "language_code" not in default.params and "scope" not in default.params
    assert welsh.params["language_code"] == "cy" and "scope" not in welsh.params
    names = ["help", "privacy", "concern", "news", "stop", "language", "delete"]
    for lang, menu in (("en", api.commands()), ("cy", api.commands(language_code="cy"))):
        assert menu == [{"command": n, "description": kit.t(f"cmd_{n}", lang)} for n in names]
    assert api.commands() != api.commands(language_code="cy")
    (delete,) = api.calls("deleteWebhook")
    assert "drop_pending_updates" not in delete.params
    poll = await api.wait_for(lambda: api.calls("getUpdates"))
    assert poll[0].params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]


async def test_deep_link_opens_the_invite_in_the_device_language(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """AN-04: language_code picks the first language (Welsh here); nothing stores it."""
    (intro,) = await deliver(
        api, channel, message(ALICE, f"/start {invite_code}", person(ALICE, "cy"))
    )
    assert intro.params["text"].startswith("Helo.")
    assert intro.params["text"].endswith(services.conversations.kit.safety_block("cy"))
    assert tokens(intro) == ["a:intro:next", "c:stop"]
    assert "parse_mode" not in intro.params
    assert await _drafts(services) == 1


async def test_bad_or_missing_invite_explains_with_the_safety_block(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services
) -> None:
    kit = services.conversations.kit
    assert texts(await deliver(api, channel, message(ALICE, "/start no-such-code"))) == [
        f"{kit.t('bad_invite', 'en')}\n\n{kit.safety_block('en')}"
    ]
    assert texts(await deliver(api, channel, message(ALICE, "/start"))) == [
        f"{kit.t('no_conversation', 'en')}\n\n{kit.safety_block('en')}"
    ]
    assert await _drafts(services) == 0


async def test_buttons_advance_and_stale_or_forged_ones_re_ask(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """A button from an earlier question, or data we never issued, gets "moved on" and
    the current question again, in one new message (the old message is left alone);
    every tap is answered so its spinner stops."""
    kit = services.conversations.kit
    await deliver(api, channel, message(ALICE, f"/start {invite_code}"))
    (question,) = await deliver(api, channel, tap(ALICE, "a:intro:next"))
    assert question.params["text"].startswith("Question 1 of 9")
    for data in ("a:intro:next", "forged-data", "a:" + "x" * 70):
        (again,) = await deliver(api, channel, tap(ALICE, data))
        assert again.method == "sendMessage"
        assert again.params["text"] == f"{kit.t('moved_on', 'en')}\n\n{question.params['text']}"
        assert tokens(again) == tokens(question)
    assert len(api.calls("answerCallbackQuery")) == 4


async def test_a_receipt_then_delete_removes_the_submission(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """AN-19, CC-23: "Send and get a code", then "/delete CODE" in the same chat removes
    what was sent; a bare /delete explains how."""
    kit = services.conversations.kit
    assert texts(await deliver(api, channel, message(ALICE, "/delete"))) == [
        kit.t("delete_how", "en")
    ]
    await deliver(api, channel, message(ALICE, f"/start {invite_code}"))
    await deliver(api, channel, tap(ALICE, "a:intro:next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await deliver(api, channel, tap(ALICE, f"a:{item}:4"))
    for _ in range(3):
        await deliver(api, channel, tap(ALICE, "c:skip"))
    sent = texts(await deliver(api, channel, tap(ALICE, "a:review:receipt")))
    (code,) = {m for t in sent for m in re.findall(r"\b[2-9A-Z]{5}-[2-9A-Z]{5}\b", t)}
    assert await _count(services, Submission) == await _count(services, DeletionReceipt) == 1
    deleted = await deliver(api, channel, message(ALICE, f"/delete@youthvoice_bot {code}"))
    assert texts(deleted) == [f"{kit.t('deleted', 'en')}\n\n{kit.safety_block('en')}"]
    assert await _count(services, Submission) == await _count(services, DeletionReceipt) == 0


async def test_commands_reach_the_engine(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    kit = services.conversations.kit
    await deliver(api, channel, message(ALICE, f"/start {invite_code}"))
    (privacy,) = await deliver(api, channel, message(ALICE, "/privacy"))
    # The notice and the place the person was at, in one message with its buttons.
    assert privacy.params["text"].startswith(kit.t("privacy", "en") + "\n\nHi. This is")
    assert tokens(privacy) == ["a:intro:next", "c:stop"]
    stopped = await deliver(api, channel, tap(ALICE, "c:stop"))
    assert texts(stopped) == [f"{kit.t('stopped', 'en')}\n\n{kit.safety_block('en')}"]
    assert await _drafts(services) == 0


async def test_media_and_forwards_are_answered_not_opened(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services
) -> None:
    """SG-10, CC-18: a short explanation, Report Remove for images; no getFile, ever."""
    kit = services.conversations.kit
    only, remove = kit.t("only_text", "en"), kit.t("report_remove", "en")
    photo = [{"file_id": "AgADphoto", "file_unique_id": "u", "width": 1, "height": 1}]
    cases = [
        (message(ALICE, photo=photo, caption="me"), [only, remove]),
        (message(ALICE, document={"file_id": "BQADdoc", "file_unique_id": "d"}), [only, remove]),
        (message(ALICE, voice={"file_id": "AwAD", "file_unique_id": "v", "duration": 1}), [only]),
        (message(ALICE, contact={"phone_number": "+447700900981", "first_name": "O"}), [only]),
        (message(ALICE, location={"latitude": 51.5, "longitude": -0.1}), [only]),
        (
            message(
                ALICE,
                "look what he sent",
                forward_origin={
                    "type": "hidden_user",
                    "date": 1,
                    "sender_user_name": "Ottoline Canary",
                },
            ),
            [kit.t("forwarded", "en")],
        ),
    ]
    for update, expected in cases:
        assert texts(await deliver(api, channel, update)) == expected
    assert api.calls("getFile") == [] and await _drafts(services) == 0


async def test_groups_get_one_message_then_the_bot_leaves(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services
) -> None:
    """SG-11: one neutral message and leaveChat, however many messages arrive."""
    group = {"id": -100777, "type": "supergroup", "title": "Youth club"}
    for words in ("hi bot", "/start abc"):
        api.push_update(
            {
                "message": {
                    "message_id": 1,
                    "date": 1,
                    "chat": group,
                    "from": person(ALICE),
                    "text": words,
                }
            }
        )
    await api.wait_for(lambda: api.calls("leaveChat"))
    await deliver(api, channel, message(ALICE, "/help"))  # the batch before it is done
    assert texts(api.sent_messages(chat_id=-100777)) == [
        services.conversations.kit.t("groups", "en")
    ]
    assert len(api.calls("leaveChat")) == 1 and await _drafts(services) == 0


async def test_blocking_the_bot_forgets_the_draft(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    await deliver(api, channel, message(ALICE, f"/start {invite_code}"))
    assert await _drafts(services) == 1
    chat = {"id": ALICE, "type": "private", "first_name": "Sam"}
    kicked = {
        "my_chat_member": {
            "chat": chat,
            "from": person(ALICE),
            "date": 1,
            "old_chat_member": {"status": "member", "user": api.bot_user},
            "new_chat_member": {"status": "kicked", "user": api.bot_user, "until_date": 0},
        }
    }
    assert await deliver(api, channel, kicked) == []
    assert await _drafts(services) == 0
