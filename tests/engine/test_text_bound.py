"""Text longer than the question takes is refused before any detection or scrubbing,
whose cost grows with the text (SEC-24): the review found one 1 MB message froze the
server for 10 s. The refusal is kind and the question is asked again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows import engine
from flows.events import SafetyShown, Say
from flows.inputs import Text
from flows.kit import Kit
from flows.model import Flow
from flows.state import State


def _untouchable(_text: str) -> None:
    raise AssertionError("long text reached a text filter")


@pytest.mark.parametrize("kind", ["text", "scale"])
def test_too_long_text_never_reaches_the_filters(checkin: Flow, kit: Kit, kind: str) -> None:
    node = next(n for n in checkin.nodes if n.kind == kind)
    limit = engine.text_limit(checkin, State(flow=checkin.id, lang="en", node=node.id))
    state = State(flow=checkin.id, lang="en", node=node.id)
    guarded = replace(kit, detect=_untouchable, scrub=_untouchable)
    long = "I am scared of him, he hits me. " * (1 + 1_000_000 // 32)
    result = engine.step(checkin, state, Text(long), guarded)
    assert result.state == state
    texts = [e.text for e in result.events if isinstance(e, Say)]
    assert texts[0] == kit.t("too_long", "en", max=str(limit))
    assert not any(isinstance(e, SafetyShown) for e in result.events)


def test_text_at_the_limit_is_still_read(checkin: Flow, kit: Kit) -> None:
    node = next(n for n in checkin.nodes if n.kind == "text")
    state = State(flow=checkin.id, lang="en", node=node.id)
    said = "he hits me " * 100
    result = engine.step(checkin, state, Text(said[: node.max_length]), kit)
    assert any(isinstance(e, SafetyShown) for e in result.events)
