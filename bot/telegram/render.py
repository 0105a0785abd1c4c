"""Lay the engine's messages out as Telegram messages: plain text (no parse mode, so
nothing a young person or the copy contains can be read as markup) and the engine's
buttons as an inline keyboard whose callback data is the engine's compact token."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from flows.events import Say

MAX_TEXT = 4096  # Telegram's limit for one message, in characters
MAX_DATA = 64  # Telegram's limit for callback data, in bytes


@dataclass(frozen=True)
class Message:
    """One sendMessage: its text and, on the last part of a Say, its keyboard."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Leave:
    """Leave the chat (after telling a group we only talk one to one, SG-11)."""


@dataclass(frozen=True)
class ClearKeyboard:
    """Take the buttons off a message whose tap has been answered, so old buttons do not
    invite taps that can only be answered "that question has moved on"."""

    message_id: int


Action = Message | Leave | ClearKeyboard


def render(say: Say) -> list[Message]:
    """The messages that show `say`; a text over Telegram's limit is split at line ends."""
    markup = _keyboard(say)
    parts = split(say.text.strip())
    if not parts:
        return []
    return [Message(p) for p in parts[:-1]] + [Message(parts[-1], markup)]


def render_all(messages: list[Say]) -> list[Action]:
    return [m for say in messages for m in render(say)]


def _keyboard(say: Say) -> InlineKeyboardMarkup | None:
    if not say.buttons:
        return None
    for row in say.buttons:
        for button in row:
            if len(button.token.encode()) > MAX_DATA:
                # The engine promises <= 64 bytes; Telegram would refuse the whole message.
                raise ValueError(f"button token over {MAX_DATA} bytes")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.token) for b in row] for row in say.buttons]
    )


def split(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut after a line break where there is one."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit) + 1 or limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [p for p in [*parts, text] if p]
