"""A fake Telegram Bot API: a real HTTP server on 127.0.0.1 that checks every request.

The bot under test reaches it through its normal HTTP client::

    async with FakeTelegramAPI() as api:      # or request the `fake_telegram_api` fixture
        bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        api.push_update({"message": {...}})   # update_id is added when missing
        await api.wait_for(lambda: api.sent_messages(chat_id=42))

The server runs in the calling event loop (uvicorn + starlette on a free port), so the code
under test must not block the loop. Telegram-shaped answers; ``Call.status`` says which.

- ``calls(method=None)`` -> list of ``Call(method, params, at, files, status, result)``, in
  arrival order; ``at`` is ``time.monotonic()`` on arrival, ``status`` is None while in flight.
  Params are decoded (form values read as JSON unless the field is a plain String).
- ``sent_messages(chat_id=None)`` -> the sendMessage calls answered 200.
- ``await wait_for(predicate, timeout=5.0)`` -> the predicate's first truthy value; it is
  re-checked whenever a request arrives or is answered or an update is pushed.
- Contract: every request is checked against api.json (``tests.fakes.api_spec``). A broken
  one is answered 400 (404 unknown method, 401 wrong token) and kept in ``violations``;
  leaving the context (or the fixture's teardown) raises AssertionError while any remain.
  Tests that break the contract on purpose collect them with ``take_violations()``.
- Answers getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, sendMessage,
  editMessageText, editMessageReplyMarkup, deleteMessage, set/get/deleteMyCommands and
  every method that returns only Boolean (answerCallbackQuery, leaveChat, ...). Another
  valid method is answered 501 and counted as a violation: extend the fake rather than
  let it guess.
- ``commands(language_code=None, scope=None)`` -> the menu set for exactly that language
  and scope (default scope when None), as getMyCommands answers.
- Edits and deletes need a message the fake knows: one it sent, or one named in a pushed
  update (``remember_message`` for updates a test posts to a webhook). Like Telegram it
  answers 400 "message is not modified" to an edit that changes nothing, and an inline
  keyboard with no rows removes the keyboard. ``keyboard(chat_id, message_id)`` -> the
  inline keyboard that message shows now, or None.
- ``fail_next(method, status, *, chat_id=None, retry_after=None, times=1, description=None)``
  answers the next matching calls with a Telegram error body (429 needs ``retry_after``);
  ``delay_next(method, seconds, *, chat_id=None, times=1)`` performs them but answers late;
  ``fail_for(method, status, seconds, *, retry_after=None)`` fails every call for a while.
- getUpdates long-polls up to ``timeout`` seconds and returns at once when updates are
  queued. ``offset`` confirms (drops) delivered updates with a lower update_id; updates not
  yet delivered survive, so ids that restart lower (REL-02) are still served. A negative
  offset keeps the last ``-offset`` updates. A newer getUpdates ends a waiting one with 409,
  as does polling while a webhook is set. Updates that ``allowed_updates`` (the latest one
  sent with getUpdates or setWebhook; default excludes chat_member and reactions) would not
  deliver move to ``filtered_updates``. ``webhook`` holds the setWebhook params or None.

Modules: ``server`` (HTTP and routing), ``recording`` (calls, violations, waiting),
``faults`` (injected errors and delays), ``updates``, ``messages`` and ``commands``
(Telegram's state), ``fake`` (the assembled ``FakeTelegramAPI``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.fakes.api_spec import ApiSpec, UploadedFile, load_spec
from tests.fakes.telegram_api.fake import DEFAULT_TOKEN, FakeTelegramAPI
from tests.fakes.telegram_api.recording import Call

__all__ = [
    "DEFAULT_TOKEN",
    "ApiSpec",
    "Call",
    "FakeTelegramAPI",
    "UploadedFile",
    "fake_telegram_api",
    "load_spec",
]


@pytest_asyncio.fixture
async def fake_telegram_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegramAPI]:
    """A running fake; the test errors at teardown if any request broke the contract."""
    # PTB 22 warns whenever it reads a time period as int (RetryAfter.retry_after included)
    # unless opted in to timedelta; under filterwarnings=error the warning would replace
    # the RetryAfter the bot should see.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with FakeTelegramAPI() as api:
        yield api
