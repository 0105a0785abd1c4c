"""The ingestion whitelist (AN-01): a WhatsApp webhook delivery becomes `Incoming` items
and `Failure` items, and nothing else of it goes any further.

Kept: the message id (only as a key for de-duplication), the sender's `wa_id` (used only
through an HMAC, like a Telegram chat id, and sealed in the outbox until the reply is
out), the text or the id of the reply row or button tapped, the kind of message, and for
a group message the group's id (to answer once). Dropped here, before anything is
queued, stored or logged: `contacts[].profile.name`, the business's numbers in
`metadata`, timestamps, `context` (quoted or forwarded flags, the tapped message), any
`referral`, captions, media ids, locations and shared contacts.

A status callback keeps only what the outbox needs: the recipient, and the error codes
of a failed delivery. Sent, delivered and read statuses are dropped unread.

Parsing never raises: Meta adds fields and kinds over time, and one odd message must not
stop the others in the same delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

TEXT = "text"  # typed words
REPLY = "reply"  # a reply button or list row tapped: `text` is its id, our engine token
MEDIA = "media"  # sticker, location, contacts, reaction, audio, unknown kinds: not read
IMAGE = "image"  # a picture, video or file: also earns Report Remove signposting (SG-10)
FORWARDED = "forwarded"  # someone else's words, never read (SG-10)
GROUP = "group"  # a message in a group: answered once, then ignored (SG-11)

IMAGE_TYPES = ("image", "video", "document")
NOT_A_PERSON = ("system", "ephemeral", "request_welcome")  # nothing a person said


@dataclass(frozen=True)
class Incoming:
    """Everything the WhatsApp channel keeps of one message, while handling it."""

    message_id: str
    kind: str
    wa_id: str  # the sender, or for GROUP the group's id
    text: str | None = None


@dataclass(frozen=True)
class Failure:
    """A message of ours that WhatsApp could not deliver, and why (its error codes)."""

    wa_id: str
    codes: tuple[int, ...]


def parse(raw: Any) -> tuple[list[Incoming], list[Failure]]:
    """The whitelisted messages and delivery failures in one webhook delivery."""
    messages: list[Incoming] = []
    failures: list[Failure] = []
    entries = raw.get("entry") if isinstance(raw, Mapping) else None
    for entry in entries if isinstance(entries, list) else ():
        changes = entry.get("changes") if isinstance(entry, Mapping) else None
        for change in changes if isinstance(changes, list) else ():
            value = change.get("value") if isinstance(change, Mapping) else None
            if not isinstance(value, Mapping) or change.get("field") != "messages":
                continue  # group lifecycle and other fields: nothing a person said
            for message in _list(value.get("messages")):
                if (inc := _message(message)) is not None:
                    messages.append(inc)
            for status in _list(value.get("statuses")):
                if (failure := _failure(status)) is not None:
                    failures.append(failure)
    return messages, failures


def _message(message: Mapping[str, Any]) -> Incoming | None:
    message_id, sender, kind = message.get("id"), message.get("from"), message.get("type")
    if not _word(message_id) or not _word(sender) or kind in NOT_A_PERSON:
        return None
    if _word(group := message.get("group_id")):
        return Incoming(message_id, GROUP, group)
    context = message.get("context")
    if isinstance(context, Mapping) and (
        context.get("forwarded") or context.get("frequently_forwarded")
    ):
        return Incoming(message_id, FORWARDED, sender)
    if kind == "text":
        text = message.get("text")
        body = text.get("body") if isinstance(text, Mapping) else None
        if isinstance(body, str) and body.strip():
            return Incoming(message_id, TEXT, sender, body)
    if kind == "interactive":
        reply = _reply_id(message.get("interactive"))
        if reply is not None:
            return Incoming(message_id, REPLY, sender, reply)
    if kind in IMAGE_TYPES:
        return Incoming(message_id, IMAGE, sender)
    # Stickers, locations, contacts, reactions, voice, unknown kinds: none is opened, and
    # the person is told we only read text (CC-18, SG-10).
    return Incoming(message_id, MEDIA, sender)


def _reply_id(interactive: Any) -> str | None:
    if not isinstance(interactive, Mapping):
        return None
    kind = interactive.get("type")
    reply = interactive.get(kind) if kind in ("button_reply", "list_reply") else None
    row_id = reply.get("id") if isinstance(reply, Mapping) else None
    return row_id if isinstance(row_id, str) and row_id else None


def _failure(status: Mapping[str, Any]) -> Failure | None:
    recipient = status.get("recipient_id")
    if status.get("status") != "failed" or not _word(recipient):
        return None
    codes = tuple(
        e["code"]
        for e in _list(status.get("errors"))
        if isinstance(e.get("code"), int) and not isinstance(e.get("code"), bool)
    )
    return Failure(recipient, codes)


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _word(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= 256
