"""What the engine asks the caller to do: show messages, and store or discard things.

`Say` messages are already in the young person's language; channels only lay them out.
The other events are effects for the conversation service (storage), never for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    token: str


@dataclass(frozen=True)
class Say:
    """One message. `kind` lets a channel style it (e.g. ``safety``, ``question``)."""

    text: str
    kind: str = "info"
    buttons: tuple[tuple[Button, ...], ...] = ()
    accepts_text: bool = False
    node: str | None = None


@dataclass(frozen=True)
class Submit:
    """The young person pressed Send: the one moment anything is kept. `receipt`: they
    chose "Send and get a code" (AN-19); the service, not the engine, makes the code."""

    flow: str
    flow_version: int
    context: tuple[tuple[str, str], ...]
    scores: tuple[tuple[str, str], ...]
    comments: tuple[tuple[str, str], ...]
    receipt: bool = False
    # Questions whose words were confirmed at the calm question: never used as quotes.
    unquotable: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestHelp:
    """They chose "talk to a person" (or to leave a way to reach them with a concern) and
    gave a way to reach them (SG-07, CC-25). Not linked to answers: the service keeps only
    the language and the invite's team beside it."""

    contact: str
    kind: str = "person"  # or "concern"
    lang: str = "en"
    team: str | None = None


@dataclass(frozen=True)
class Discard:
    """Forget this conversation now (stop, or after Send)."""


@dataclass(frozen=True)
class SafetyShown:
    """Unlinked counter only (CC-20): why the safety block was shown, never who saw it."""

    reason: str
    category: str | None = field(default=None)


Event = Say | Submit | RequestHelp | Discard | SafetyShown
