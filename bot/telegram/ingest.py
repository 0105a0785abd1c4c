"""The ingestion whitelist (AN-01): a raw Telegram update becomes an `Incoming`, and
nothing else of it goes any further.

Only the update id, the chat's id and type, the message id, the text or button data, the
callback id and the kind of message survive; of a tapped message (always the bot's own),
which step its buttons answer, unless it shows the helplines: that one is never edited.
Names, usernames, entities, replies, forward origins, captions, files, contacts and
locations are dropped here, before anything is queued, stored or logged. The sender's
language code is reduced to one of the languages we speak, used once to pick the first
language, and never stored (AN-04).

Parsing never raises: Telegram adds fields and kinds over time, and one odd update must
not stop the updates behind it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

TEXT = "text"  # typed words or a /command, in a private chat
BUTTON = "button"  # an inline button tapped in a private chat
MEDIA = "media"  # anything else a private chat sends: sticker, voice, contact, location...
IMAGE = "image"  # a picture or file, which also earns Report Remove signposting (SG-10)
FORWARDED = "forwarded"  # someone else's words, never read (SG-10)
GROUP = "group"  # a group, supergroup or channel we are in: say so once and leave (SG-11)
BLOCKED = "blocked"  # the person blocked the bot: forget their draft
IGNORED = "ignored"  # edits, reactions and other kinds we neither read nor answer

IMAGE_FIELDS = ("photo", "video", "animation", "document")
FORWARD_FIELDS = (
    "forward_origin",
    "forward_from",
    "forward_from_chat",
    "forward_sender_name",
    "forward_date",
    "is_automatic_forward",
)
SHARED_CHATS = ("group", "supergroup", "channel")
PRESENT = ("member", "administrator", "restricted")


@dataclass(frozen=True)
class Incoming:
    """Everything the Telegram channel keeps of one update, while handling it."""

    update_id: int
    kind: str
    chat_id: int | None = None
    chat_type: str | None = None
    message_id: int | None = None
    text: str | None = None  # message text, or a button's callback data
    callback_id: str | None = None
    lang: str | None = None  # transient: picks the first language, never stored (AN-04)
    screen: str | None = None  # the node a tapped message's own buttons answer, if any


def parse(
    raw: Mapping[str, Any], languages: Collection[str] = (), helplines: Collection[str] = ()
) -> Incoming | None:
    """The whitelisted fields of `raw`, or None when it has no usable update id.
    `helplines`: the safety block in each language, to know a message that shows it."""
    update_id = raw.get("update_id")
    if not _is_int(update_id):
        return None
    if isinstance(message := raw.get("message"), dict):
        return _message(update_id, message, languages)
    if isinstance(query := raw.get("callback_query"), dict):
        return _callback(update_id, query, languages, helplines)
    if isinstance(member := raw.get("my_chat_member"), dict):
        return _membership(update_id, member)
    if isinstance(post := raw.get("channel_post"), dict):
        chat_id, chat_type = _chat(post.get("chat"))
        if chat_id is not None and chat_type in SHARED_CHATS:
            return Incoming(update_id, GROUP, chat_id, chat_type)
    return Incoming(update_id, IGNORED)


def _message(update_id: int, message: dict[str, Any], languages: Collection[str]) -> Incoming:
    chat_id, chat_type = _chat(message.get("chat"))
    if chat_id is None:
        return Incoming(update_id, IGNORED)
    if chat_type != "private":
        kind = GROUP if chat_type in SHARED_CHATS else IGNORED
        return Incoming(update_id, kind, chat_id, chat_type)
    message_id = message.get("message_id")
    head = {
        "update_id": update_id,
        "chat_id": chat_id,
        "chat_type": chat_type,
        "message_id": message_id if _is_int(message_id) else None,
        "lang": _lang(message.get("from"), languages),
    }
    if any(field in message for field in FORWARD_FIELDS):
        return Incoming(kind=FORWARDED, **head)
    text = message.get("text")
    if isinstance(text, str) and text:
        return Incoming(kind=TEXT, text=text, **head)
    if any(field in message for field in IMAGE_FIELDS):
        return Incoming(kind=IMAGE, **head)
    # Stickers, voice, contacts, locations, polls, dice and service messages alike: none
    # is opened, and the person is told we only read text (CC-18, SG-10).
    return Incoming(kind=MEDIA, **head)


def _callback(
    update_id: int, query: dict[str, Any], languages: Collection[str], helplines: Collection[str]
) -> Incoming:
    callback_id = query.get("id") if isinstance(query.get("id"), str) else None
    data = query.get("data") if isinstance(query.get("data"), str) else None
    message = query.get("message") if isinstance(query.get("message"), dict) else {}
    chat_id, chat_type = _chat(message.get("chat"))
    if chat_id is None or chat_type != "private":
        # Inline-mode or group buttons are not ours; the tap is only acknowledged.
        return Incoming(update_id, IGNORED, callback_id=callback_id)
    message_id = message.get("message_id")
    return Incoming(
        update_id,
        BUTTON,
        chat_id,
        chat_type,
        message_id if _is_int(message_id) else None,
        data,
        callback_id,
        _lang(query.get("from"), languages),
        None if _shows(message.get("text"), helplines) else _screen(message.get("reply_markup")),
    )


def _shows(text: Any, helplines: Collection[str]) -> bool:
    return isinstance(text, str) and any(block in text for block in helplines)


def _screen(markup: Any) -> str | None:
    """Which node's screen a tapped message shows, read from our own answer tokens on it
    ("a:<node>:<value>"), so the reply can replace that message only if it is current."""
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    for row in rows if isinstance(rows, list) else ():
        for button in row if isinstance(row, list) else ():
            data = button.get("callback_data") if isinstance(button, dict) else None
            if isinstance(data, str) and data.startswith("a:"):
                node, sep, _ = data[2:].partition(":")
                if sep and node:
                    return node
    return None


def _membership(update_id: int, member: dict[str, Any]) -> Incoming:
    chat_id, chat_type = _chat(member.get("chat"))
    new = member.get("new_chat_member")
    status = new.get("status") if isinstance(new, dict) else None
    if chat_id is not None and chat_type == "private" and status == "kicked":
        return Incoming(update_id, BLOCKED, chat_id, chat_type)
    if chat_id is not None and chat_type in SHARED_CHATS and status in PRESENT:
        return Incoming(update_id, GROUP, chat_id, chat_type)
    return Incoming(update_id, IGNORED)


def _chat(chat: Any) -> tuple[int | None, str | None]:
    if not isinstance(chat, dict) or not _is_int(chat.get("id")):
        return None, None
    kind = chat.get("type")
    return chat["id"], kind if isinstance(kind, str) else None


def _lang(user: Any, languages: Collection[str]) -> str | None:
    code = user.get("language_code") if isinstance(user, dict) else None
    if not isinstance(code, str):
        return None
    primary = code.split("-", 1)[0].lower()
    return primary if primary in languages else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
