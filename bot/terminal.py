"""The terminal channel: the same engine and database, in a shell, for trying a question
set. Buttons are numbered; type a number to tap one, or type words as in any chat.
"/delete CODE" removes a submission by its receipt, as on every channel (AN-19)."""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Callable
from dataclasses import replace

from bot.conversation import ConversationService, Reply
from flows.events import Say
from flows.inputs import Command, Input, Start, from_text, from_token

CHANNEL = "terminal"


def render(
    messages: list[Say], width: int | None = None, hint: str = ""
) -> tuple[str, list[str]]:
    """Text for the screen (wrapped to `width`), and the button tokens in the order they
    are numbered; `hint` follows the numbered choices."""
    lines: list[str] = []
    tokens: list[str] = []
    for message in messages:
        lines += _wrap(message.text, width)
        for row in message.buttons:
            cells = []
            for button in row:
                tokens.append(button.token)
                cells.append(f"[{len(tokens)}] {button.label}")
            lines += _wrap("   ".join(cells), width)
        lines.append("")
    if tokens and hint:
        lines += [*_wrap(hint, width), ""]
    return "\n".join(lines), tokens


def _wrap(text: str, width: int | None) -> list[str]:
    if width is None:
        return [text]
    out = []
    for line in text.splitlines() or [""]:
        indent = "  " if line.startswith("•") else ""
        out += textwrap.wrap(line, width, subsequent_indent=indent) or [""]
    return out


def delete_code(line: str) -> str | None:
    """The code after "/delete" ("" for a bare /delete); None for any other line."""
    command, _, rest = line.strip().partition(" ")
    return rest.strip() if command.lower() == "/delete" else None


async def answer(service: ConversationService, person: str, line: str, tokens: list[str]) -> Reply:
    """One typed line: a receipt deletion, or a step of the conversation."""
    code = delete_code(line)
    if code == "":
        return Reply([Say(service.kit.t("delete_how", "en"))], open=True)
    if code is not None:
        deleted = await service.delete(code)
        # Deleting needs no conversation, so the one in progress (if any) goes on.
        state = await service.current(CHANNEL, person)
        return replace(deleted, open=state is not None)
    return await service.handle(CHANNEL, person, to_input(line, tokens))


def to_input(line: str, tokens: list[str]) -> Input:
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(tokens):
        parsed = from_token(tokens[int(stripped) - 1])
        if parsed is not None:
            return parsed
    return from_text(line)


async def chat(
    service: ConversationService,
    invite: str,
    lang: str | None,
    read: Callable[[], str | None],
    write: Callable[[str], None],
    person: str | None = None,
    width: int | None = None,
) -> None:
    """Run one conversation, then stay until the person leaves (`read` returns None, or an
    empty line once the check-in is over), so a receipt code stays on screen and
    "/delete CODE" still works."""
    person = person or secrets.token_hex(16)  # a fresh, random id for this terminal session
    reply = await service.handle(CHANNEL, person, Start((("invite", invite),), lang))
    tokens: list[str] = []
    while True:
        lang = reply.state.lang if reply.state is not None else lang or "en"
        hint = service.kit.t("type_a_number", lang)
        text, shown = render(reply.messages, width, hint)
        if shown or not reply.open:
            tokens = shown
        elif tokens:  # a notice alone (after /delete): the question above is still waiting
            text += "\n".join(_wrap(hint, width)) + "\n"
        if not reply.open:
            text += "\n" + "\n".join(_wrap(service.kit.t("terminal_leave", lang), width))
        write(text)
        line = read()
        if line is None or (not reply.open and not line.strip()):
            if reply.open:  # leaving without Send keeps nothing, as with Stop
                stopped = await service.handle(CHANNEL, person, Command("stop"))
                write(render(stopped.messages, width)[0])
            return
        if not reply.open and delete_code(line) is None:
            reply = Reply([], open=False)
            continue
        reply = await answer(service, person, line, tokens)

