"""Lay the engine's messages out as WhatsApp Cloud API messages (the body of
POST /{Phone-Number-ID}/messages, without `to`, which the sender adds).

- No buttons: a text message (no link previews), split at line ends past 4096 characters.
- Up to 3 buttons, each label 20 characters or fewer: reply buttons (yes/no steps).
- Otherwise up to 10: an interactive list (a question's five answers, Skip, Prefer not
  to say, Back, Help, Stop); more than 10 (the review's Change rows) go on in a second
  list. A row's title is cut to 24 characters at a word, and the whole label then shown
  as its description (72 at most).
- An interactive body holds at most 1024 characters, so longer text goes first as text
  messages and the last part carries the buttons.

A button's id is the engine's token, so a tap comes back as the engine's own input. As
for Telegram, a notice and the question after it are one message, and safety messages
always stand alone. WhatsApp cannot change a sent message, so every step is a new one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.screens import screens
from flows.events import Button, Say
from flows.text import pick

MAX_TEXT = 4096  # a text message's body
MAX_BODY = 1024  # an interactive message's body
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
MAX_ID = 200  # a list row's id (reply buttons allow 256)
Body = dict[str, Any]  # one message as the Graph API's JSON, less `to`


@cache
def wording() -> dict[str, dict[str, str]]:
    """WhatsApp's own words (wording.yml), read once."""
    path = Path(str(resources.files("bot.whatsapp") / "wording.yml"))
    loaded: dict[str, dict[str, str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def render_all(messages: list[Say], lang: str) -> list[Body]:
    """The messages that show a reply, in order."""
    return [body for say in screens(messages) for body in render(say, lang)]


def render(say: Say, lang: str) -> list[Body]:
    text = say.text.strip()
    if not say.buttons:
        return [_text(part) for part in split(text, MAX_TEXT)]
    first, *more = lists(say.buttons)
    *before, last = split(text, MAX_BODY) or [""]
    more_text = pick(wording()["more_choices"], lang)
    return [
        *(_text(part) for part in before),
        _interactive(last, first, lang),
        *(_interactive(more_text, buttons, lang) for buttons in more),
    ]


def lists(rows: tuple[tuple[Button, ...], ...]) -> list[list[Button]]:
    """The buttons in lists of at most 10. The first keeps the first and the last rows (the
    main choice, and Back, Help and Stop) and as many rows between as fit; the rest follow
    in order (the review's nine "Change" rows do not fit one list)."""
    if sum(len(row) for row in rows) <= MAX_ROWS:
        return [[b for row in rows for b in row]]
    keep = {0, len(rows) - 1}
    room = MAX_ROWS - sum(len(rows[i]) for i in keep)
    for i in range(1, len(rows) - 1):
        if len(rows[i]) <= room:
            keep.add(i)
            room -= len(rows[i])
        else:
            break
    out = [[b for i in sorted(keep) for b in rows[i]]]
    for row in (rows[i] for i in range(len(rows)) if i not in keep):
        if out[-1] is out[0] or len(out[-1]) + len(row) > MAX_ROWS:
            out.append([])
        out[-1].extend(row)
    return out


def _text(text: str) -> Body:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def _interactive(text: str, buttons: list[Button], lang: str) -> Body:
    if len(buttons) > MAX_ROWS:
        raise ValueError(f"{len(buttons)} buttons: a WhatsApp list holds {MAX_ROWS}")
    if any(len(b.token) > MAX_ID for b in buttons):
        raise ValueError(f"a button token over {MAX_ID} characters")
    body = {"text": text or "…"}
    if len(buttons) <= MAX_BUTTONS and all(len(b.label) <= MAX_BUTTON_TITLE for b in buttons):
        reply = [{"type": "reply", "reply": {"id": b.token, "title": b.label}} for b in buttons]
        return {
            "type": "interactive",
            "interactive": {"type": "button", "body": body, "action": {"buttons": reply}},
        }
    rows = [_row(b) for b in buttons]
    action = {"button": pick(wording()["list_button"], lang), "sections": [{"rows": rows}]}
    return {"type": "interactive", "interactive": {"type": "list", "body": body, "action": action}}


def _row(button: Button) -> dict[str, str]:
    title = fit(button.label, MAX_ROW_TITLE)
    row = {"id": button.token, "title": title}
    if title != button.label:
        row["description"] = fit(button.label, MAX_ROW_DESCRIPTION)
    return row


def fit(label: str, limit: int) -> str:
    """`label`, or its first words and "…" within `limit` characters."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip(" ,.;:") + "…"


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut after a line break where there is one."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit) + 1 or limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [p for p in [*parts, text] if p]
