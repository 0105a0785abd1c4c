"""Telegram's side of messages: what the bot sent (or a pushed update named), so edits and
deletes are answered as Telegram would, "message is not modified" included."""

from __future__ import annotations

import time
import zlib
from typing import Any

from tests.fakes.telegram_api.recording import Call

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def chat_for(chat_id: int | str) -> dict[str, Any]:
    """The Chat a chat_id names: positive ids are people, negative ones groups; an
    @username is a channel."""
    if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
        return {"id": -1_000_000_000_000 - zlib.crc32(chat_id.encode()), "type": "channel"}
    chat = int(chat_id)
    kind = "private" if chat > 0 else "supergroup" if chat < -1_000_000_000_000 else "group"
    return {"id": chat, "type": kind}


def _keyboard(params: dict[str, Any]) -> dict[str, Any] | None:
    # An inline keyboard with no rows is no keyboard: that is how one is removed.
    markup = params.get("reply_markup")
    return markup if isinstance(markup, dict) and markup.get("inline_keyboard") else None


class Messages:
    """Messages by (chat, message_id), as the bot last left them."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self._bot_user = bot_user
        self._messages: dict[tuple[str, int], dict[str, Any]] = {}
        self._last_id: dict[str, int] = {}

    def remember(self, message: dict[str, Any]) -> None:
        chat, message_id = str(message["chat"]["id"]), message["message_id"]
        self._messages[chat, message_id] = message
        self._last_id[chat] = max(self._last_id.get(chat, 0), message_id)

    def current(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The message with `message`'s chat and id as the bot last left it, if known."""
        return self._messages.get((str(message["chat"]["id"]), message["message_id"]))

    def send(self, call: Call) -> tuple[int, Any]:
        params = call.params
        chat = chat_for(params["chat_id"])
        message_id = self._last_id.get(str(chat["id"]), 0) + 1
        message = {
            "message_id": message_id,
            "from": self._bot_user,
            "chat": chat,
            "date": int(time.time()),
            "text": params["text"],
        }
        if (keyboard := _keyboard(params)) is not None:
            message["reply_markup"] = keyboard
        self.remember(message)
        return 200, message

    def edit(self, call: Call, field_name: str | None) -> tuple[int, Any]:
        """editMessageText (`field_name` "text") or editMessageReplyMarkup (None)."""
        params = call.params
        if "inline_message_id" in params:
            return 200, True
        if "chat_id" not in params or "message_id" not in params:
            return 400, "Bad Request: message identifier is not specified"
        key = (str(chat_for(params["chat_id"])["id"]), params["message_id"])
        if (old := self._messages.get(key)) is None:
            return 400, "Bad Request: message to edit not found"
        new = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date")}
        if field_name is not None:
            new[field_name] = params[field_name]
        if (keyboard := _keyboard(params)) is not None:
            new["reply_markup"] = keyboard
        if new == {k: v for k, v in old.items() if k != "edit_date"}:
            return 400, NOT_MODIFIED
        self._messages[key] = new = {**new, "edit_date": int(time.time())}
        return 200, new

    def delete(self, call: Call) -> tuple[int, Any]:
        key = (str(chat_for(call.params["chat_id"])["id"]), call.params["message_id"])
        if self._messages.pop(key, None) is None:
            return 400, "Bad Request: message to delete not found"
        return 200, True

    def keyboard(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The inline keyboard a message shows now (None when it has none or is unknown)."""
        message = self._messages.get((str(chat_for(chat_id)["id"]), message_id), {})
        return message.get("reply_markup")
