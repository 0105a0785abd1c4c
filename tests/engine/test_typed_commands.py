"""A message that is only a command word acts as that command, in English and Welsh, on
every channel (SG-01): typing "help" gets help, never "what you wrote sounds serious"."""

from __future__ import annotations

import pytest

from flows.inputs import Command, Text, from_text
from flows.kit import Kit
from flows.model import Flow
from tests.engine.script import run


@pytest.mark.parametrize(
    ("typed", "command"),
    [("help", "help"), ("Help!", "help"), ("cymorth", "help"), ("back", "back")]
    + [("nôl", "back"), ("yn ol", "back"), ("Skip.", "skip"), ("neidio", "skip")],
)
def test_a_bare_command_word_is_that_command(typed: str, command: str) -> None:
    assert from_text(typed) == Command(command)


def test_words_around_it_keep_it_text() -> None:
    assert from_text("please help me") == Text("please help me")
    assert from_text("stop") == Text("stop"), "typed as an answer, 'stop' must not discard"


def test_typing_help_on_the_intro_shows_help_not_a_pause(checkin: Flow, kit: Kit) -> None:
    (step,) = run(checkin, kit, ["start", "type help"])[1:]
    out = "\n".join(str(line) for line in step["out"])  # type: ignore[union-attr]
    assert "SAFETY SHOWN help" in out and "sounds serious" not in out
    assert out.endswith("STATE at intro (ask)")
