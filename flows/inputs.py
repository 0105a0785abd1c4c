"""What a young person can do, whatever the channel: type, tap a button, or give a command.

Buttons carry compact tokens (at most 64 bytes, Telegram's callback-data limit) such as
``a:trust:4`` (answer 4 to node ``trust``) or ``c:help``. The node id inside an answer token
lets the engine spot a stale or forged button and ask the current question again.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = frozenset(
    {"help", "stop", "back", "skip", "privacy", "concern", "language", "send", "start", "news"}
)


@dataclass(frozen=True)
class Start:
    """Begin a conversation; the service has already resolved the invite to a context."""

    context: tuple[tuple[str, str], ...] = ()
    lang: str | None = None


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Choose:
    """A button press: `value` chosen at `node` (``_safety``, ``_lang`` for engine menus)."""

    node: str
    value: str


@dataclass(frozen=True)
class Command:
    name: str


Input = Start | Text | Choose | Command

# A button press the channel could not read (forged, garbled, or from an old message):
# the engine answers "that question has moved on" and asks the current one again.
STALE = Choose("_stale", "stale")


def to_token(inp: Choose | Command) -> str:
    """The compact token a channel puts behind a button."""
    if isinstance(inp, Command):
        return f"c:{inp.name}"
    return f"a:{inp.node}:{inp.value}"


def from_token(token: str) -> Choose | Command | None:
    """Parse a button token; None for anything malformed (treated as not understood)."""
    if len(token.encode()) > 64:
        return None
    kind, _, rest = token.partition(":")
    if kind == "c" and rest in COMMANDS:
        return Command(rest)
    if kind == "a":
        node, sep, value = rest.partition(":")
        if sep and node and value:
            return Choose(node, value)
    return None


# A message that is only one of these words is that command, in English or Welsh: someone
# who types "help" wants help, and must not be told their words "sound serious". Not
# "stop": typed as an answer it would throw the whole check-in away.
TYPED_COMMANDS = {
    "help": "help",
    "cymorth": "help",
    "back": "back",
    "nol": "back",
    "nôl": "back",
    "yn ol": "back",
    "yn ôl": "back",
    "skip": "skip",
    "neidio": "skip",
}


def from_text(text: str) -> Text | Command:
    """Typed text: ``/help`` style commands (any channel) and a bare command word become
    commands; the rest is text."""
    stripped = text.strip()
    word = stripped.lower().strip(" .!?")
    if word in TYPED_COMMANDS:
        return Command(TYPED_COMMANDS[word])
    if stripped.startswith("/"):
        name = (
            stripped[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(stripped) > 1 else ""
        )
        if name in COMMANDS:
            return Command(name)
    return Text(text)
