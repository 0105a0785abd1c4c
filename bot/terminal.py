"""The terminal channel: the same engine and database, in a shell, for trying a question
set. Buttons are numbered; type a number to tap one, or type words as in any chat."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from bot.conversation import ConversationService
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
        reply = await service.handle(CHANNEL, person, to_input(line, tokens))
