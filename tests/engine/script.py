"""Drive the pure engine with readable commands, and render what it does as plain text.

Commands: ``start [lang]``, ``tap <button label>``, ``type <text>``, ``token <raw token>``.
Anything else starting with ``/`` is typed as a command (``/help``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from flows import engine
from flows.events import Discard, RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Input, Start, from_text, from_token
from flows.kit import POSSIBLE, Kit
from flows.model import Flow
from flows.state import Result, State

CONTEXT = (("invite", "inv1"), ("team", "team1"), ("worker", ""))


@dataclass(frozen=True)
class Possible:
    """A "possible" detection, until the detector's own second tier is merged."""

    category: str
    phrase: str
    tier: str = POSSIBLE


def with_possible(kit: Kit, phrases: Sequence[str]) -> Kit:
    """The kit, with these phrases detected as "possible" before the real detector runs."""
    if not phrases:
        return kit
    real = kit.detect

    def detect(text: str) -> Possible | object | None:
        lowered = text.lower()
        for phrase in phrases:
            if phrase in lowered:
                return Possible("vague_help", phrase)
        return real(text)

    return replace(kit, detect=detect)  # type: ignore[arg-type]


def render(result: Result) -> list[str]:
    out = []
    for event in result.events:
        if isinstance(event, Say):
            lines = [f"[{event.kind}] {event.text}"]
            for row in event.buttons:
                lines.append("  " + " | ".join(f"({b.label})" for b in row))
            if event.accepts_text:
                lines.append("  (accepts text)")
            out.append("\n".join(lines))
        elif isinstance(event, Submit):
            submitted = f"SUBMIT scores={dict(event.scores)} comments={dict(event.comments)}"
            if event.unquotable:
                submitted += f" never quoted={list(event.unquotable)}"
            out.append(submitted)
        elif isinstance(event, RequestHelp):
            out.append(
                f"HELP REQUEST {event.kind} {event.lang} team={event.team} {event.contact!r}"
            )
        elif isinstance(event, SafetyShown):
            out.append(
                f"SAFETY SHOWN {event.reason}" + (f" {event.category}" if event.category else "")
            )
        elif isinstance(event, Discard):
            out.append("DISCARD")
    mode = "ended" if result.state is None else f"at {result.state.node} ({result.state.mode})"
    out.append(f"STATE {mode}")
    return out


def to_input(command: str, last: Result | None) -> Input:
    verb, _, rest = command.partition(" ")
    if verb == "start":
        return Start(context=CONTEXT, lang=rest or None)
    if verb == "type":
        return from_text(rest)
    if verb == "token":
        parsed = from_token(rest)
        assert parsed is not None, f"bad token {rest!r}"
        return parsed
    if verb == "tap":
        assert last is not None
        for event in reversed(last.events):
            if isinstance(event, Say):
                for row in event.buttons:
                    for button in row:
                        if button.label == rest:
                            parsed = from_token(button.token)
                            assert parsed is not None
                            return parsed
        raise AssertionError(f"no button labelled {rest!r} in the last reply")
    return from_text(command)


def run(flow: Flow, kit: Kit, commands: list[str]) -> list[dict[str, object]]:
    state: State | None = None
    last: Result | None = None
    transcript = []
    for command in commands:
        last = engine.step(flow, state, to_input(command, last), kit)
        state = last.state
        transcript.append({"in": command, "out": render(last)})
    return transcript
