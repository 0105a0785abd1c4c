"""``FakeTelegramAPI``: the fake Bot API assembled from its parts (server and routing,
recording and waiting, fault injection, and Telegram's state: updates, messages, command
menus), with the one object tests talk to. The package docstring says what it answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tests.fakes.api_spec import ApiSpec, load_spec
from tests.fakes.telegram_api.commands import Commands
from tests.fakes.telegram_api.faults import Faults
from tests.fakes.telegram_api.messages import Messages
from tests.fakes.telegram_api.recording import Call, Recorder
from tests.fakes.telegram_api.server import BotApiRoutes, LocalServer, Responder
from tests.fakes.telegram_api.updates import Updates

T = TypeVar("T")
DEFAULT_TOKEN = "123456789:AAHfakeTokenForTests_0123456789-abcdefgh"


class FakeTelegramAPI:
    """The fake Bot API server; see the package docstring for what it answers."""

    def __init__(self, token: str = DEFAULT_TOKEN, spec: ApiSpec | None = None) -> None:
        self.token = token
        self.spec = spec or load_spec()
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Youth Voice (test)",
            "username": "youthvoice_test_bot",
        }
        self.port = 0
        self._recorder = Recorder()
        self._faults = Faults(self.spec, self._recorder.closed)
        self._updates = Updates(self._recorder)
        self._messages = Messages(self.bot_user)
        self._commands = Commands()
        responders: dict[str, Responder] = {
            "getMe": lambda call: (200, self.bot_user),
            "getUpdates": self._updates.get_updates,
            "setWebhook": self._updates.set_webhook,
            "deleteWebhook": self._updates.delete_webhook,
            "getWebhookInfo": self._updates.webhook_info,
            "sendMessage": self._messages.send,
            "editMessageText": lambda call: self._messages.edit(call, "text"),
            "editMessageReplyMarkup": lambda call: self._messages.edit(call, None),
            "deleteMessage": self._messages.delete,
            "setMyCommands": self._commands.set,
            "deleteMyCommands": self._commands.delete,
            "getMyCommands": self._commands.get,
        }
        routes = BotApiRoutes(token, self.spec, self._recorder, self._faults, responders)
        self._server = LocalServer(routes.app())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def __aenter__(self) -> FakeTelegramAPI:
        self.port = await self._server.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._recorder.close()
        await self._server.stop()
        if exc_type is None and (problems := self._recorder.violations):
            joined = "\n".join(problems)
            raise AssertionError(f"requests broke the Bot API contract:\n{joined}")

    # --- what tests read ---------------------------------------------------------------

    def listen(self, listener: Callable[[Call], None]) -> None:
        """Call `listener` with every request once it is answered."""
        self._recorder.listeners.append(listener)

    def calls(self, method: str | None = None) -> list[Call]:
        return self._recorder.calls(method)

    def sent_messages(self, chat_id: int | str | None = None) -> list[Call]:
        return self._recorder.sent_messages(chat_id)

    @property
    def violations(self) -> list[str]:
        return self._recorder.violations

    def take_violations(self) -> list[str]:
        return self._recorder.take_violations()

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        return await self._recorder.wait_for(predicate, timeout)

    @property
    def webhook(self) -> dict[str, Any] | None:
        return self._updates.webhook

    @property
    def allowed_updates(self) -> list[str] | None:
        return self._updates.allowed_updates

    @property
    def filtered_updates(self) -> list[dict[str, Any]]:
        return self._updates.filtered_updates

    def commands(
        self, language_code: str | None = None, scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return self._commands.menu(language_code, scope)

    def keyboard(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        return self._messages.keyboard(chat_id, message_id)

    # --- what tests drive --------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id. A tap on a
        message the bot sent carries that message as it is now, as Telegram's does."""
        query = update.get("callback_query", {})
        if isinstance(message := query.get("message"), dict):
            if (now := self._messages.current(message)) is not None:
                update = {**update, "callback_query": {**query, "message": now}}
            else:
                self._messages.remember(message)
        return self._updates.push(update)

    def remember_message(self, message: dict[str, Any]) -> None:
        """Let the bot edit or delete a message it sent before this fake existed."""
        self._messages.remember(message)

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        chat_id: int | str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        self._faults.fail_next(
            method,
            status,
            chat_id=chat_id,
            retry_after=retry_after,
            times=times,
            description=description,
        )

    def fail_for(
        self, method: str, status: int, seconds: float, *, retry_after: int | None = None
    ) -> None:
        """Answer every call of `method` with `status` for `seconds` (an outage)."""
        self._faults.fail_for(method, status, seconds, retry_after=retry_after)

    def delay_next(
        self, method: str, seconds: float, *, chat_id: int | str | None = None, times: int = 1
    ) -> None:
        self._faults.delay_next(method, seconds, chat_id=chat_id, times=times)
