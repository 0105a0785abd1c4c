"""The Telegram side of the outbox (issue 13, `bot.delivery.outbox`): calls as sealed
JSON in lanes named by an HMAC of the chat, a tap answered by editing its message, and
deletes of delivered rows batched across chats.

Nothing here logs a chat id or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from bot.delivery import outbox as delivery
from bot.telegram.render import Action, Edit, Leave, Message, render_all, urgent
from bot.telegram.sender import Sender
from flows.engine import SAFETY_NODE
from flows.events import Say
from storage import outbox as store

log = logging.getLogger(__name__)


def encode(action: Action) -> str:
    """A call as JSON, to be sealed."""
    if isinstance(action, Leave):
        return json.dumps({"k": "leave"})
    body: dict[str, Any] = {"k": "edit" if isinstance(action, Edit) else "send", "t": action.text}
    if isinstance(action, Edit):
        body["m"] = action.message_id
    if action.reply_markup is not None:
        body["b"] = action.reply_markup
    return json.dumps(body, ensure_ascii=False)


def decode(text: str) -> Action:
    body = json.loads(text)
    if body["k"] == "leave":
        return Leave()
    markup = body.get("b")
    if body["k"] == "edit":
        return Edit(int(body["m"]), body["t"], markup)
    return Message(body["t"], markup)


class Plan(delivery.Plan[int, Action]):
    def __init__(self, box: TelegramOutbox, chat_id: int) -> None:
        super().__init__(box, chat_id)
        self._tapped: tuple[int, str] | None = None

    def tapped(self, message_id: int, screen: str) -> None:
        """The update is a tap on a message showing `screen`'s buttons."""
        self._tapped = (message_id, screen)

    def rows(self, messages: list[Say], asked: str | None = None) -> list[store.Envelope]:
        """Only a tap on the `asked` screen's message changes it in place, and never the
        pause after a disclosure (its helplines stay on screen); any other reply comes as
        new messages."""
        edit = None
        if self._tapped is not None and asked not in (None, SAFETY_NODE):
            message_id, screen = self._tapped
            edit = message_id if screen == asked else None
        return self._rows(render_all(messages, edit) if messages else [], urgent(messages))


class TelegramOutbox(delivery.Outbox[int, Action]):
    name = "telegram"
    renew_at_start = True
    sender: Sender

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._marking: list[tuple[int, asyncio.Future[None]]] = []
        self._marker: asyncio.Task[None] | None = None

    def plan(self, chat_id: int) -> Plan:
        return Plan(self, chat_id)

    def encode(self, body: Action) -> str:
        return encode(body)

    def decode(self, text: str) -> Action:
        return decode(text)

    def recipient(self, text: str) -> int:
        return int(text)

    async def delivered(self, seq: int) -> None:
        """Delete the row; returns once it is gone. Deletes are batched across chats."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._marking.append((seq, future))
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._mark())
        await future

    async def _mark(self) -> None:
        failures = 0
        while self._marking:
            batch, self._marking = self._marking, []
            try:
                await store.delivered(self.db, [seq for seq, _ in batch])
            except Exception as exc:  # the database is away: keep the marks and try again
                self._marking[:0] = batch
                failures += 1
                log.warning("telegram: could not mark messages sent: %s", type(exc).__name__)
                await asyncio.sleep(min(5.0, 0.1 * 2**failures))
                continue
            failures = 0
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _settle(self) -> None:
        if self._marker is not None:
            with contextlib.suppress(TimeoutError, Exception):
                async with asyncio.timeout(2):
                    await self._marker
