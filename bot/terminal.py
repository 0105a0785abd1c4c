"""The terminal channel: the same engine and database, in a shell, for trying a question
set. Buttons are numbered; type a number to tap one, or type words as in any chat.
"/delete CODE" removes a submission by its receipt, as on every channel (AN-19)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace

from bot.conversation import ConversationService, Reply
from flows.events import Say
from flows.inputs import Command, Input, Start, from_text, from_token

CHANNEL = "terminal"


def render(messages: list[Say]) -> tuple[str, list[str]]:
    """Text for the screen, and the button tokens in the order they are numbered."""
    lines: list[str] = []
    tokens: list[str] = []
    for message in messages:
        lines.append(message.text)
        for row in message.buttons:
            cells = []
            for button in row:
                tokens.append(button.token)
                cells.append(f"[{len(tokens)}] {button.label}")
            lines.append("   ".join(cells))
        lines.append("")
    return "\n".join(lines), tokens


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
) -> None:
    """Run one conversation until it ends or input runs out (`read` returns None)."""
    person = person or secrets.token_hex(16)  # a fresh, random id for this terminal session
    reply = await service.handle(CHANNEL, person, Start((("invite", invite),), lang))
    while True:
        text, tokens = render(reply.messages)
        write(text)
        if not reply.open:
            return
        line = read()
        if line is None:
            # Leaving without Send keeps nothing, as with Stop.
            await service.handle(CHANNEL, person, Command("stop"))
            return
        reply = await answer(service, person, line, tokens)
