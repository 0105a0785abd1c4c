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
  editMessageText, editMessageReplyMarkup, deleteMessage and every method that returns only
  Boolean (setMyCommands, answerCallbackQuery, leaveChat, ...). Another valid method is
  answered 501 and counted as a violation: extend the fake rather than let it guess.
- Edits and deletes need a message the fake knows: one it sent, or one named in a pushed
  update (``remember_message`` for updates a test posts to a webhook). Like Telegram it
  answers 400 "message is not modified" to an edit that changes nothing.
- ``fail_next(method, status, *, chat_id=None, retry_after=None, times=1, description=None)``
  answers the next matching calls with a Telegram error body (429 needs ``retry_after``);
  ``delay_next(method, seconds, *, chat_id=None, times=1)`` performs them but answers late.
- getUpdates long-polls up to ``timeout`` seconds and returns at once when updates are
  queued. ``offset`` confirms (drops) delivered updates with a lower update_id; updates not
  yet delivered survive, so ids that restart lower (REL-02) are still served. A negative
  offset keeps the last ``-offset`` updates. A newer getUpdates ends a waiting one with 409,
  as does polling while a webhook is set. Updates that ``allowed_updates`` (the latest one
  sent with getUpdates or setWebhook; default excludes chat_member and reactions) would not
  deliver move to ``filtered_updates``. ``webhook`` holds the setWebhook params or None.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar

import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.api_spec import ApiSpec, UploadedFile, load_spec

T = TypeVar("T")
DEFAULT_TOKEN = "123456789:AAHfakeTokenForTests_0123456789-abcdefgh"
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
}
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@dataclass
class Call:
    """One request the fake received, and (once answered) what it answered."""

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    result: Any = None


@dataclass
class _Rule:
    method: str
    chat_id: str | None
    times: int
    status: int | None = None  # None: perform the call, then answer after `delay`
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0

    def matches(self, call: Call) -> bool:
        chat = str(call.params.get("chat_id"))
        return call.method == self.method and self.chat_id in (None, chat)


@dataclass
class _Queued:
    update: dict[str, Any]
    delivered: bool = False


def _chat(chat_id: int | str) -> dict[str, Any]:
    if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
        return {"id": -1_000_000_000_000 - zlib.crc32(chat_id.encode()), "type": "channel"}
    chat = int(chat_id)
    kind = "private" if chat > 0 else "supergroup" if chat < -1_000_000_000_000 else "group"
    return {"id": chat, "type": kind}


def _error(status: int, description: str, retry_after: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


class _Server(uvicorn.Server):
    """uvicorn stopped by an event rather than its 0.1 s polling tick, and deaf to signals."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()
        self.stopping = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # Ctrl-C belongs to pytest, not to a server inside one test

    async def main_loop(self) -> None:
        self.ready.set()
        await self.stopping.wait()


class FakeTelegramAPI:
    """The fake Bot API server; see the module docstring for what it answers."""

    def __init__(self, token: str = DEFAULT_TOKEN, spec: ApiSpec | None = None) -> None:
        self.token = token
        self.spec = spec or load_spec()
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True,
                         "first_name": "Youth Voice (test)", "username": "youthvoice_test_bot"}
        self.webhook: dict[str, Any] | None = None
        self.allowed_updates: list[str] | None = None
        self.filtered_updates: list[dict[str, Any]] = []
        self.port = 0
        self._calls: list[Call] = []
        self._violations: list[str] = []
        self._rules: list[_Rule] = []
        self._queue: list[_Queued] = []
        self._messages: dict[tuple[str, int], dict[str, Any]] = {}
        self._last_message_id: dict[str, int] = {}
        self._next_update_id = 1
        self._polls = 0
        self._change = asyncio.Event()
        self._closed = asyncio.Event()
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._responders: dict[str, Callable[[Call], Any]] = {
            "getMe": lambda call: (200, self.bot_user),
            "sendMessage": self._send_message,
            "editMessageText": lambda call: self._edit(call, "text"),
            "editMessageReplyMarkup": lambda call: self._edit(call, None),
            "deleteMessage": self._delete_message,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def __aenter__(self) -> FakeTelegramAPI:
        app = Starlette(routes=[
            Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
            Route("/{path:path}", self._stray),
        ])
        # No log config and no access log: the test's logging stays the test's, and URLs
        # (which carry the token) are never logged.
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                                access_log=False, lifespan="off", ws="none", http="h11")
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve())
        ready = asyncio.create_task(self._server.ready.wait())
        await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            await self._task
            raise RuntimeError("the fake Telegram API server stopped while starting")
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._closed.set()  # release long polls and delayed answers so uvicorn can drain
        self._changed()
        assert self._server is not None and self._task is not None
        self._server.stopping.set()
        await self._task
        if exc_type is None and self._violations:
            problems = "\n".join(self._violations)
            raise AssertionError(f"requests broke the Bot API contract:\n{problems}")

    # --- what tests read ---------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method == method]

    def sent_messages(self, chat_id: int | str | None = None) -> list[Call]:
        return [c for c in self.calls("sendMessage") if c.status == 200
                and (chat_id is None or str(c.params["chat_id"]) == str(chat_id))]

    @property
    def violations(self) -> list[str]:
        return list(self._violations)

    def take_violations(self) -> list[str]:
        taken, self._violations = self._violations, []
        return taken

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        try:
            return await self._until(predicate, timeout)
        except TimeoutError:
            seen = ", ".join(f"{c.method}->{c.status}" for c in self._calls)
            raise TimeoutError(f"not true within {timeout} s; requests so far: {seen}") from None

    # --- what tests drive --------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        if isinstance(message := update.get("callback_query", {}).get("message"), dict):
            self.remember_message(message)
        self._queue.append(_Queued(update))
        self._changed()
        return update

    def remember_message(self, message: dict[str, Any]) -> None:
        """Let the bot edit or delete a message it sent before this fake existed."""
        chat, message_id = str(message["chat"]["id"]), message["message_id"]
        self._messages[chat, message_id] = message
        self._last_message_id[chat] = max(self._last_message_id.get(chat, 0), message_id)

    def fail_next(self, method: str, status: int, *, chat_id: int | str | None = None,
                  retry_after: int | None = None, times: int = 1,
                  description: str | None = None) -> None:
        if status == 429 and retry_after is None:
            raise ValueError("Telegram always sends retry_after with 429")
        text = description or _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
        chat = None if chat_id is None else str(chat_id)
        self._rules.append(_Rule(self._method(method), chat, times, status,
                                 text.format(retry_after=retry_after), retry_after))

    def delay_next(self, method: str, seconds: float, *, chat_id: int | str | None = None,
                   times: int = 1) -> None:
        chat = None if chat_id is None else str(chat_id)
        self._rules.append(_Rule(self._method(method), chat, times, delay=seconds))

    # --- the server --------------------------------------------------------------------

    def _method(self, name: str) -> str:
        if (method := self.spec.method(name)) is None:
            raise ValueError(f"the Bot API has no method {name!r}")
        return method

    def _changed(self) -> None:
        """Wake every waiter (wait_for, long polls) to re-check its condition."""
        self._change.set()
        self._change = asyncio.Event()

    async def _until(self, predicate: Callable[[], T], seconds: float) -> T:
        async with asyncio.timeout(seconds):
            while not (result := predicate()):
                await self._change.wait()
        return result

    async def _stray(self, request: Request) -> JSONResponse:
        self._violations.append(f"unexpected request {request.method} {request.url.path}")
        return JSONResponse(_error(404, "Not Found"), status_code=404)

    async def _endpoint(self, request: Request) -> JSONResponse:
        at = time.monotonic()
        method = self.spec.method(request.path_params["method"])
        params, files, problems = await self._read(request, method)
        call = Call(method or request.path_params["method"], params, at, files)
        self._calls.append(call)
        self._changed()
        status, body = await self._answer(call, request.path_params["token"], problems)
        return JSONResponse(body, status_code=status)

    async def _read(self, request: Request, method: str | None) -> tuple[
            dict[str, Any], dict[str, UploadedFile], list[str]]:
        text, typed, files, problems = dict(request.query_params), {}, {}, []
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                typed = json.loads(await request.body() or b"{}")
            except ValueError as exc:
                problems.append(f"{method}: the body is not JSON ({exc})")
            if not isinstance(typed, dict):
                problems.append(f"{method}: the body is not a JSON object")
                typed = {}
        else:
            async with request.form() as form:
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        data = await value.read()
                        files[key] = UploadedFile(value.filename, value.content_type, data)
                    else:
                        text[key] = value
        params = {**self.spec.decode_form(method, text), **typed}
        # Other file parts are attachments that parameters name as attach://<part>.
        names = self.spec.parameters(method) if method else frozenset()
        params.update({key: file for key, file in files.items() if key in names})
        return params, files, problems

    async def _answer(self, call: Call, token: str, problems: list[str]) -> tuple[int, Any]:
        """Status and body; the outcome is on ``call`` before any injected delay starts."""
        rule = None
        if token != self.token:
            status, body = self._refuse(401, "Unauthorized", f"{call.method}: wrong bot token")
        elif self.spec.method(call.method) is None:
            status, body = self._refuse(404, "Not Found", f"unknown method {call.method!r}")
        elif problems := problems + self.spec.check_call(call.method, call.params):
            status, body = self._refuse(400, f"Bad Request: {problems[0]}", *problems)
        elif (rule := self._take_rule(call)) is not None and rule.status is not None:
            status, body = rule.status, _error(rule.status, rule.description, rule.retry_after)
        else:
            status, payload = await self._respond(call)
            body = {"ok": True, "result": payload} if status == 200 else _error(status, payload)
            call.result = payload if status == 200 else None
        call.status = status
        self._changed()
        if rule is not None and rule.status is None:
            await self._late(rule.delay)
        return status, body

    def _refuse(self, status: int, description: str, *problems: str) -> tuple[int, Any]:
        self._violations.extend(problems)
        return status, _error(status, description)

    def _take_rule(self, call: Call) -> _Rule | None:
        for rule in self._rules:
            if rule.matches(call):
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
        return None

    async def _late(self, seconds: float) -> None:
        """An injected slow answer; cut short when the fake stops so teardown never hangs."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closed.wait()

    async def _respond(self, call: Call) -> tuple[int, Any]:
        if call.method == "getUpdates":
            return await self._get_updates(call.params)
        if (responder := self._responders.get(call.method)) is not None:
            return responder(call)
        if self.spec.returns(call.method) == ("Boolean",):
            return 200, True
        self._violations.append(f"{call.method}: valid, but the fake cannot answer it yet")
        return 501, f"Not Implemented: the fake has no answer for {call.method}"

    # --- updates -------------------------------------------------------------------------

    async def _get_updates(self, params: dict[str, Any]) -> tuple[int, Any]:
        if self.webhook is not None:
            return 409, ("Conflict: can't use getUpdates method while webhook is active; "
                         "use deleteWebhook to delete the webhook first")
        self._polls += 1
        poll = self._polls
        self._changed()  # a newer poll ends a waiting one, as on Telegram
        self._confirm(params.get("offset"))
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        with contextlib.suppress(TimeoutError):
            await self._until(lambda: self._closed.is_set() or poll != self._polls
                              or self._deliverable(), params.get("timeout", 0))
        if poll != self._polls:
            return 409, _POLL_CONFLICT
        batch = self._deliverable()[: params.get("limit", 100)]
        for queued in batch:
            queued.delivered = True
        return 200, [queued.update for queued in batch]

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._queue = self._queue[offset:]
        else:
            self._queue = [q for q in self._queue
                           if not (q.delivered and q.update["update_id"] < offset)]

    def _deliverable(self) -> list[_Queued]:
        """Queued updates allowed_updates lets through; the rest move to filtered_updates."""
        allowed = self.allowed_updates
        keep = []
        for queued in self._queue:
            kind = next((k for k in queued.update if k != "update_id"), "")
            if (kind in allowed) if allowed else (kind not in _NOT_BY_DEFAULT):
                keep.append(queued)
            else:
                self.filtered_updates.append(queued.update)
        self._queue = keep
        return keep

    def _set_webhook(self, call: Call) -> tuple[int, Any]:
        params = call.params
        if not params["url"]:  # an empty URL removes the webhook
            return self._delete_webhook(call)
        if not params["url"].startswith("https://"):
            return 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
        self.webhook = params
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return 200, True

    def _delete_webhook(self, call: Call) -> tuple[int, Any]:
        self.webhook = None
        if call.params.get("drop_pending_updates"):
            self._queue.clear()
        return 200, True

    def _webhook_info(self, call: Call) -> tuple[int, Any]:
        info = {"url": self.webhook["url"] if self.webhook else "",
                "has_custom_certificate": False, "pending_update_count": len(self._queue)}
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return 200, info

    # --- messages ------------------------------------------------------------------------

    def _send_message(self, call: Call) -> tuple[int, Any]:
        params = call.params
        chat = _chat(params["chat_id"])
        message_id = self._last_message_id.get(str(chat["id"]), 0) + 1
        message = {"message_id": message_id, "from": self.bot_user, "chat": chat,
                   "date": int(time.time()), "text": params["text"]}
        if "inline_keyboard" in params.get("reply_markup", {}):
            message["reply_markup"] = params["reply_markup"]
        self.remember_message(message)
        return 200, message

    def _edit(self, call: Call, field_name: str | None) -> tuple[int, Any]:
        params = call.params
        if "inline_message_id" in params:
            return 200, True
        if "chat_id" not in params or "message_id" not in params:
            return 400, "Bad Request: message identifier is not specified"
        key = (str(_chat(params["chat_id"])["id"]), params["message_id"])
        if (old := self._messages.get(key)) is None:
            return 400, "Bad Request: message to edit not found"
        new = {k: v for k, v in old.items() if k != "reply_markup"}
        if field_name is not None:
            new[field_name] = params[field_name]
        if "inline_keyboard" in params.get("reply_markup", {}):
            new["reply_markup"] = params["reply_markup"]
        if new == old:
            return 400, _NOT_MODIFIED
        self._messages[key] = new = {**new, "edit_date": int(time.time())}
        return 200, new

    def _delete_message(self, call: Call) -> tuple[int, Any]:
        key = (str(_chat(call.params["chat_id"])["id"]), call.params["message_id"])
        if self._messages.pop(key, None) is None:
            return 400, "Bad Request: message to delete not found"
        return 200, True


@pytest_asyncio.fixture
async def fake_telegram_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegramAPI]:
    """A running fake; the test errors at teardown if any request broke the contract."""
    # PTB 22 warns whenever it reads a time period as int (RetryAfter.retry_after included)
    # unless opted in to timedelta; under filterwarnings=error the warning would replace
    # the RetryAfter the bot should see.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with FakeTelegramAPI() as api:
        yield api
