"""The fake Bot API, driven by python-telegram-bot's real Bot and by raw httpx.

These tests prove the fake is a faithful enough peer for the Telegram channel's tests
(issue 3): PTB's requests validate, its errors surface as PTB's exceptions, and requests
Telegram would refuse are caught.
"""

import asyncio
import datetime as dtm
import json
import time

import httpx
import pytest
from telegram import (
    Bot,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.fakes.telegram_api import FakeTelegramAPI, fake_telegram_api

api = fake_telegram_api  # the fixture, under a short name


def _bot(fake: FakeTelegramAPI) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


def _keyboard(*callbacks: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(c, callback_data=c) for c in callbacks]])


def _text(chat_id: int, text: str) -> dict:
    return {
        "message": {
            "message_id": 1,
            "date": 0,
            "text": text,
            "chat": {"id": chat_id, "type": "private"},
        }
    }


def _assert_answers_are_valid(fake: FakeTelegramAPI) -> None:
    """What the fake answered must itself be what api.json says the method returns."""
    answered = [c for c in fake.calls() if c.status == 200]
    assert answered
    for call in answered:
        assert fake.spec.check_value(call.result, fake.spec.returns(call.method)) == [], call


async def _raw(fake: FakeTelegramAPI, method: str, **params: object) -> httpx.Response:
    """A request PTB would never send, form-encoded as PTB encodes the ones it does."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with httpx.AsyncClient() as client:
        return await client.post(f"{fake.base_url}{fake.token}/{method}", data=form)


async def test_ptb_get_me_reaches_the_fake(api: FakeTelegramAPI) -> None:
    async with _bot(api) as bot:  # initialize() itself calls getMe
        me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "youthvoice_test_bot")
    assert [(c.method, c.status) for c in api.calls()] == [("getMe", 200), ("getMe", 200)]


async def test_send_message_with_keyboard_is_recorded_decoded(api: FakeTelegramAPI) -> None:
    before = time.monotonic()
    async with _bot(api) as bot:
        sent = await bot.send_message(
            42, "How much do you trust them?", reply_markup=_keyboard("q1:1", "q1:2")
        )
        await bot.send_message(7, "other chat")
    (call,) = api.sent_messages(chat_id=42)
    assert call.params == {
        "chat_id": 42,
        "text": "How much do you trust them?",
        "reply_markup": {
            "inline_keyboard": [
                [
                    {"text": "q1:1", "callback_data": "q1:1"},
                    {"text": "q1:2", "callback_data": "q1:2"},
                ]
            ]
        },
    }
    assert before <= call.at <= time.monotonic()
    assert sent.message_id == call.result["message_id"]
    assert sent.reply_markup == _keyboard("q1:1", "q1:2")
    assert len(api.sent_messages()) == 2


async def test_edits_deletes_and_boolean_methods(api: FakeTelegramAPI) -> None:
    async with _bot(api) as bot:
        sent = await bot.send_message(42, "Question 1", reply_markup=_keyboard("a"))
        edited = await bot.edit_message_text(
            "Question 2", 42, sent.message_id, reply_markup=_keyboard("b")
        )
        assert edited.text == "Question 2"
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=_keyboard("b"))
        await bot.edit_message_reply_markup(42, sent.message_id)
        assert await bot.delete_message(42, sent.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(42, sent.message_id)
        assert await bot.answer_callback_query("cbq-1", text="Thanks")
        assert await bot.set_my_commands([("help", "Get help"), ("stop", "Stop")])
        assert await bot.leave_chat(-100123)
    assert api.calls("setMyCommands")[0].params["commands"][1] == {
        "command": "stop",
        "description": "Stop",
    }
    _assert_answers_are_valid(api)


async def test_command_menus_are_kept_per_language_and_scope(api: FakeTelegramAPI) -> None:
    """getMyCommands answers exactly what was set for a scope and language, as Telegram."""
    private = BotCommandScopeAllPrivateChats()
    async with _bot(api) as bot:
        assert await bot.set_my_commands([("help", "Get help")])
        assert await bot.set_my_commands([("help", "Cael help")], language_code="cy")
        assert await bot.set_my_commands([("stop", "Stop")], scope=private)
        assert [c.description for c in await bot.get_my_commands(language_code="cy")] == [
            "Cael help"
        ]
        assert [c.command for c in await bot.get_my_commands(scope=private)] == ["stop"]
        assert await bot.get_my_commands(language_code="fr") == ()
        assert await bot.delete_my_commands(language_code="cy")
        assert await bot.get_my_commands(language_code="cy") == ()
    assert api.commands() == [{"command": "help", "description": "Get help"}]
    assert api.commands(scope={"type": "all_private_chats"})[0]["command"] == "stop"
    _assert_answers_are_valid(api)


async def test_a_keyboard_is_removed_by_omitting_it_or_by_no_rows(api: FakeTelegramAPI) -> None:
    """Both ways Telegram takes buttons off a message; PTB's empty InlineKeyboardMarkup
    serialises as {} and breaks the contract, so the fake refuses it."""
    async with _bot(api) as bot:
        first = await bot.send_message(42, "Q1", reply_markup=_keyboard("a"))
        second = await bot.send_message(42, "Q2", reply_markup=_keyboard("b"))
        assert api.keyboard(42, first.message_id) == _keyboard("a").to_dict()
        edited = await bot.edit_message_reply_markup(42, first.message_id)
        assert edited.reply_markup is None and api.keyboard(42, first.message_id) is None
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(42, first.message_id)
        with pytest.raises(BadRequest, match="required field 'inline_keyboard'"):
            await bot.edit_message_reply_markup(
                42, second.message_id, reply_markup=InlineKeyboardMarkup([])
            )
        assert len(api.take_violations()) == 1
    response = await _raw(
        api,
        "editMessageReplyMarkup",
        chat_id=42,
        message_id=second.message_id,
        reply_markup={"inline_keyboard": []},
    )
    assert response.json()["ok"] is True and api.keyboard(42, second.message_id) is None
    _assert_answers_are_valid(api)


@pytest.mark.parametrize(
    ("method", "params", "status", "expected"),
    [
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 35}]]},
            },
            400,
            "sendMessage.reply_markup.inline_keyboard[0][0].callback_data: 70 bytes, allowed 1-64",
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "x" * 4097},
            400,
            "sendMessage.text: 4097 characters, allowed 1-4096",
        ),
        ("sendMessage", {"chat_id": 1, "text": ""}, 400, "sendMessage.text: 0 characters"),
        ("sendMessage", {"chat_id": 1}, 400, "sendMessage: required field 'text' is missing"),
        (
            "sendMessage",
            {"chat_id": 1, "text": "x", "colour": "red"},
            400,
            "sendMessage: unknown field 'colour'",
        ),
        (
            "sendMessage",
            {"chat_id": [1], "text": "x"},
            400,
            "sendMessage.chat_id: expected Integer or String, got list",
        ),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "label only"}]]},
            },
            400,
            "a button needs exactly one action field, got []",
        ),
        (
            "setMyCommands",
            {"commands": [{"command": "Help", "description": "x"}]},
            400,
            "setMyCommands.commands[0].command: 'Help' does not match",
        ),
        (
            "setMyCommands",
            {"commands": [], "scope": {"type": "chat"}},
            400,
            "setMyCommands.scope: required field 'chat_id' is missing",
        ),
        ("getUpdates", {"allowed_updates": ["mesage"]}, 400, "'mesage' is not an update type"),
        ("sendMesage", {"chat_id": 1, "text": "x"}, 404, "unknown method 'sendMesage'"),
    ],
)
async def test_requests_telegram_would_refuse_are_violations(
    api: FakeTelegramAPI, method: str, params: dict, status: int, expected: str
) -> None:
    response = await _raw(api, method, **params)
    assert (response.status_code, response.json()["ok"]) == (status, False)
    (violation,) = api.take_violations()
    assert expected in violation
    assert api.sent_messages() == []


async def test_limits_are_inclusive_and_json_bodies_are_read(api: FakeTelegramAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32}]]}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{api.base_url}{api.token}/sendMessage",
            json={"chat_id": 1, "text": "x" * 4096, "reply_markup": markup},
        )
    assert response.json()["ok"] is True
    assert api.sent_messages(chat_id=1)[0].params["reply_markup"] == markup


async def test_context_manager_fails_on_unclaimed_violations() -> None:
    with pytest.raises(AssertionError, match="sendMessage: required field 'text'"):
        async with FakeTelegramAPI() as fake:
            await _raw(fake, "sendMessage", chat_id=1)


async def test_wrong_token_and_file_downloads_are_violations(api: FakeTelegramAPI) -> None:
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{api.base_url}1:other/getMe")
        download = await client.get(f"{api.base_file_url}{api.token}/photos/1.jpg")
    assert (wrong.status_code, download.status_code) == (401, 404)
    assert len(api.take_violations()) == 2


async def test_429_for_one_chat_surfaces_as_retry_after(api: FakeTelegramAPI) -> None:
    """REL-07: Telegram's flood answer reaches PTB as RetryAfter, only for the chat it names."""
    api.fail_next("sendMessage", 429, chat_id=1, retry_after=3)
    async with _bot(api) as bot:
        await bot.send_message(2, "chat B is not limited")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1, "chat A is")
        await bot.send_message(1, "chat A again, after waiting")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert [c.status for c in api.calls("sendMessage")] == [200, 429, 200]
    assert [c.params["text"] for c in api.sent_messages(chat_id=1)] == [
        "chat A again, after waiting"
    ]


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (403, Forbidden, "Forbidden: bot was blocked by the user"),
        (400, BadRequest, "Chat not found"),
        (500, NetworkError, "Internal Server Error"),
        (502, NetworkError, "Bad Gateway"),
    ],
)
async def test_error_statuses_surface_as_ptb_errors(
    api: FakeTelegramAPI, status: int, error: type[Exception], message: str
) -> None:
    """REL-08: each failure class the sender must tell apart."""
    api.fail_next("sendMessage", status, times=2)
    async with _bot(api) as bot:
        for _ in range(2):
            with pytest.raises(error, match=message):
                await bot.send_message(1, "hello")
        await bot.send_message(1, "third time")
    assert [c.status for c in api.calls("sendMessage")] == [status, status, 200]


async def test_an_outage_window_fails_every_call_until_it_ends(api: FakeTelegramAPI) -> None:
    """Issue 13: a Telegram outage of a set length, for the outbox's ride-out tests."""
    async with _bot(api) as bot:
        began = time.monotonic()  # after the bot's own start-up, which a busy machine slows
        api.fail_for("sendMessage", 502, 0.3)
        while True:
            try:
                await bot.send_message(1, "hello")
                break
            except NetworkError:
                await asyncio.sleep(0.05)  # a client's back-off, not a race
    calls = api.calls("sendMessage")
    assert [c.status for c in calls][-1] == 200 and {c.status for c in calls[:-1]} == {502}
    assert len(calls) >= 2 and calls[-1].at - began >= 0.3


async def test_slow_answer_times_out_but_the_message_was_sent(api: FakeTelegramAPI) -> None:
    """REL-08: a timeout may hide a successful send."""
    api.delay_next("sendMessage", 30)
    async with _bot(api) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1, "slow", read_timeout=0.2)
    assert [c.params["text"] for c in api.sent_messages(chat_id=1)] == ["slow"]


async def test_long_poll_returns_when_an_update_is_pushed(api: FakeTelegramAPI) -> None:
    async with _bot(api) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=20, allowed_updates=["message"]))
        await api.wait_for(lambda: api.calls("getUpdates"))
        started = time.monotonic()
        pushed = api.push_update(_text(42, "hello"))
        (update,) = await poll
        waited = time.monotonic() - started
        assert update.update_id == pushed["update_id"] and update.message.text == "hello"
        assert waited < 1  # answered on the push, not at the 20 s timeout
        assert api.calls("getUpdates")[0].params["allowed_updates"] == ["message"]
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_queued_updates_return_at_once_until_confirmed(api: FakeTelegramAPI) -> None:
    """REL-04: updates come back until an offset confirms them."""
    first, second = api.push_update(_text(1, "a")), api.push_update(_text(2, "b"))
    async with _bot(api) as bot:
        started = time.monotonic()
        assert [u.update_id for u in await bot.get_updates(timeout=20)] == [
            first["update_id"],
            second["update_id"],
        ]
        assert time.monotonic() - started < 1
        again = await bot.get_updates(offset=second["update_id"], timeout=0)
        assert [u.update_id for u in again] == [second["update_id"]]


async def test_empty_long_poll_waits_for_its_timeout(api: FakeTelegramAPI) -> None:
    async with _bot(api) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert time.monotonic() - started >= 1


async def test_update_ids_that_restart_lower_are_served(api: FakeTelegramAPI) -> None:
    """REL-02: Telegram picks a random id after a week of silence; 5000 then 17."""
    api.push_update({"update_id": 5000, **_text(1, "before")})
    async with _bot(api) as bot:
        (high,) = await bot.get_updates(timeout=0)
        api.push_update({"update_id": 17, **_text(1, "after")})
        (low,) = await bot.get_updates(offset=high.update_id + 1, timeout=0)
        assert low.update_id == 17
        assert await bot.get_updates(offset=18, timeout=0) == ()


async def test_allowed_updates_filter_what_polling_delivers(api: FakeTelegramAPI) -> None:
    """REL-19: a kind the bot did not ask for never reaches it."""
    chat = {"chat": {"id": 1, "type": "private"}}
    api.push_update({"chat_member": chat})  # not sent unless asked for by name
    api.push_update(_text(1, "first"))
    async with _bot(api) as bot:
        (first,) = await bot.get_updates(timeout=0)
        api.push_update({"my_chat_member": chat})
        api.push_update(_text(1, "second"))
        (second,) = await bot.get_updates(
            first.update_id + 1, timeout=0, allowed_updates=["message"]
        )
    assert (first.message.text, second.message.text) == ("first", "second")
    assert [set(u) - {"update_id"} for u in api.filtered_updates] == [
        {"chat_member"},
        {"my_chat_member"},
    ]


async def test_a_newer_poll_ends_the_waiting_one(api: FakeTelegramAPI) -> None:
    async with _bot(api) as first, _bot(api) as second:
        waiting = asyncio.create_task(first.get_updates(timeout=20))
        await api.wait_for(lambda: api.calls("getUpdates"))
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await waiting


async def test_webhook_is_recorded_and_blocks_polling(api: FakeTelegramAPI) -> None:
    """REL-19 and SEC-16: tests can read the registered allowed_updates and secret."""
    async with _bot(api) as bot:
        await bot.set_webhook(
            "https://yv.example/telegram",
            secret_token="s3cret_-x",
            allowed_updates=["message", "callback_query"],
            certificate=b"-----BEGIN CERTIFICATE-----",
        )
        assert api.webhook["secret_token"] == "s3cret_-x"
        assert api.webhook["certificate"].data == b"-----BEGIN CERTIFICATE-----"
        info = await bot.get_webhook_info()
        assert (info.url, info.allowed_updates) == (
            "https://yv.example/telegram",
            ("message", "callback_query"),
        )
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        with pytest.raises(BadRequest, match="(?i)https url must be provided"):
            await bot.set_webhook("http://yv.example/telegram")
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    assert api.webhook is None
    _assert_answers_are_valid(api)


async def test_ptb_application_polls_replies_and_stops(api: FakeTelegramAPI) -> None:
    """The shape the channel's own tests take: a real Application, polling the fake."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message(f"got {update.message.text}")

    app = Application.builder().token(api.token).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        await app.updater.start_polling(allowed_updates=["message"], timeout=10)
        pushed = api.push_update(_text(5, "hi"))
        (reply,) = await api.wait_for(lambda: api.sent_messages(chat_id=5))
        await app.updater.stop()
        await app.stop()
    assert reply.params["text"] == "got hi"
    # Stopping confirms what was handled, so a restart would not see "hi" again (REL-04).
    assert api.calls("getUpdates")[-1].params["offset"] == pushed["update_id"] + 1


async def test_wait_for_reports_what_happened_when_it_times_out(api: FakeTelegramAPI) -> None:
    async with _bot(api):
        pass
    with pytest.raises(TimeoutError, match=r"requests so far: getMe->200"):
        await api.wait_for(lambda: api.sent_messages(), timeout=0.05)
