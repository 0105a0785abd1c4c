"""Lay the engine's messages out as Telegram calls: plain text (no parse mode, so nothing
a young person or the copy contains can be read as markup) and the engine's buttons as an
inline keyboard whose callback data is the engine's compact token. Keyboards are the Bot
API's own JSON, not PTB objects: they go to the outbox and the wire as they are.

Message economy (issue 13): a tap on the current screen turns that message into the next
one (editMessageText with its keyboard), so a step costs one call and a shared phone's
screen keeps less of the answers. A notice and the question after it are one message, and
so are the intro and the helplines under it, and "Sent" (which replaces the review, taking
the answers off the screen) and the helplines under it: a check-in costs one call a step.
A message that shows the helplines is never edited away (bot.telegram.ingest), and the
pause after a disclosure always comes as new messages.
Telegram lets a bot edit its own messages in a private chat with no time limit (only
business messages have 48 h); if an edit is refused anyway, the same text is sent new.
For screen readers, each screen's text says where it is ("Question 3 of 9"), and an edit
happens only to the latest screen, so reading the last message is always the current step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.screens import screens
from flows.engine import SAFETY_NODE
from flows.events import Say

MAX_TEXT = 4096  # Telegram's limit for one message, in characters
MAX_DATA = 64  # Telegram's limit for callback data, in bytes
Keyboard = dict[str, Any]  # an InlineKeyboardMarkup as the Bot API's JSON


@dataclass(frozen=True)
class Message:
    """One sendMessage: its text and, on the last part of a Say, its keyboard."""

    text: str
    reply_markup: Keyboard | None = None


@dataclass(frozen=True)
class Leave:
    """Leave the chat (after telling a group we only talk one to one, SG-11)."""


@dataclass(frozen=True)
class Edit:
    """One editMessageText: the tapped message becomes the next screen, keyboard and all."""

    message_id: int
    text: str
    reply_markup: Keyboard | None = None


Action = Message | Edit | Leave


def render(say: Say) -> list[Message]:
    """The messages that show `say`; a text over Telegram's limit is split at line ends."""
    markup = _keyboard(say)
    parts = split(say.text.strip())
    if not parts:
        return []
    return [Message(p) for p in parts[:-1]] + [Message(parts[-1], markup)]


def render_all(messages: list[Say], edit: int | None = None) -> list[Action]:
    """The calls that show a reply. Runs of messages that are not safety messages are
    joined into one when only the last has buttons; with `edit` (the tapped message, when
    it is the current screen) the first of them replaces it, unless help comes first."""
    laid = [render(screen) for screen in screens(messages, join_help=True)]
    actions: list[Action] = [m for parts in laid for m in parts]
    if edit is not None and laid and len(laid[0]) == 1 and messages[0].kind != "safety":
        actions[0] = Edit(edit, laid[0][0].text, laid[0][0].reply_markup)
    return actions


def urgent(messages: list[Say]) -> bool:
    """Whether a reply is a safety message first: help asked for, or the pause after a
    disclosure. Those go out before other chats' replies."""
    return bool(messages) and (
        messages[0].kind == "safety" or any(m.node == SAFETY_NODE for m in messages)
    )


def _keyboard(say: Say) -> Keyboard | None:
    if not say.buttons:
        return None
    for row in say.buttons:
        for button in row:
            if len(button.token.encode()) > MAX_DATA:
                # The engine promises <= 64 bytes; Telegram would refuse the whole message.
                raise ValueError(f"button token over {MAX_DATA} bytes")
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.token} for b in row] for row in say.buttons
        ]
    }


def split(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut after a line break where there is one."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit) + 1 or limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [p for p in [*parts, text] if p]
