"""One test case (at least) per node kind, on a tiny question set built here."""

from __future__ import annotations

import pytest

from flows import engine
from flows.events import Say, Submit
from flows.inputs import Choose, Command, Start, Text
from flows.kit import Kit
from flows.model import Flow
from flows.state import State

EN = {"en": "x"}


@pytest.fixture
def tiny() -> Flow:
    point = lambda v, e: {"value": v, "emoji": e, "label": {"en": f"p{v}"}}  # noqa: E731
    return Flow.model_validate(
        {
            "spec": 1,
            "id": "tiny",
            "version": 3,
            "title": EN,
            "languages": ["en"],
            "scales": {"s": [point(v, e) for v, e in zip(range(1, 6), "abcde", strict=True)]},
            "nodes": [
                {"id": "hello", "kind": "message", "text": {"en": "Hello"}},
                {
                    "id": "often",
                    "kind": "choice",
                    "short": EN,
                    "text": {"en": "How often?"},
                    "options": [
                        {"value": "weekly", "label": {"en": "Weekly"}},
                        {"value": "rarely", "label": {"en": "Rarely"}},
                    ],
                },
                {"id": "mood", "kind": "scale", "scale": "s", "short": EN, "text": {"en": "Mood?"}},
                {
                    "id": "words",
                    "kind": "text",
                    "short": EN,
                    "text": {"en": "Words?"},
                    "max_length": 20,
                },
                {"id": "check", "kind": "review", "text": {"en": "Check"}},
                {"id": "bye", "kind": "end", "text": {"en": "Bye"}},
            ],
        }
    )


def at(node: str, **answers: str) -> State:
    return State(flow="tiny", lang="en", node=node, answers=tuple(sorted(answers.items())))


def says(result) -> list[Say]:  # type: ignore[no-untyped-def]
    return [e for e in result.events if isinstance(e, Say)]


def test_message_node_continues_on_its_button(tiny: Flow, kit: Kit) -> None:
    start = engine.step(tiny, None, Start(), kit)
    assert start.state is not None and start.state.node == "hello"
    nxt = engine.step(tiny, start.state, Choose("hello", "next"), kit)
    assert nxt.state is not None and nxt.state.node == "often" and nxt.state.answers == ()


def test_choice_node_accepts_options_and_their_labels(tiny: Flow, kit: Kit) -> None:
    tapped = engine.step(tiny, at("often"), Choose("often", "rarely"), kit)
    assert tapped.state is not None and tapped.state.answer("often") == "rarely"
    typed = engine.step(tiny, at("often"), Text("weekly"), kit)
    assert typed.state is not None and typed.state.answer("often") == "weekly"
    forged = engine.step(tiny, at("often"), Choose("often", "daily"), kit)
    assert forged.state == at("often")


def test_scale_node_offers_five_points_then_equal_skip_options(tiny: Flow, kit: Kit) -> None:
    """CC-21: Skip and Prefer not to say share one row, after the five points."""
    (question,) = says(
        engine.step(tiny, at("often", often="weekly"), Choose("often", "weekly"), kit)
    )
    rows = [[b.label for b in row] for row in question.buttons]
    assert rows[:5] == [["a p1"], ["b p2"], ["c p3"], ["d p4"], ["e p5"]]
    assert rows[5] == ["Skip", "Prefer not to say"]
    assert rows[6] == ["Back", "Help", "Stop"]
    typed = engine.step(tiny, at("mood"), Text("4"), kit)
    assert typed.state is not None and typed.state.answer("mood") == "4"


def test_text_node_scrubs_and_limits_length(tiny: Flow, kit: Kit) -> None:
    """CC-08 notice comes first; AN-14 scrubbing before anything is kept."""
    before = says(engine.step(tiny, at("mood"), Choose("mood", "3"), kit))
    assert before[0].kind == "notice" and before[1].accepts_text
    ok = engine.step(tiny, at("words"), Text("Priya is kind"), kit)
    assert ok.state is not None and ok.state.answer("words") == "[NAME] is kind"
    long = engine.step(tiny, at("words"), Text("x" * 21), kit)
    assert long.state == at("words")
    assert "under 20 characters" in says(long)[0].text


def test_review_node_sends_only_on_send(tiny: Flow, kit: Kit) -> None:
    review = at("check", often="weekly", mood="pns", words="kind")
    (summary,) = says(engine.step(tiny, at("words"), Command("skip"), kit))
    assert "Nothing" not in summary.text and "• x: skipped" in summary.text
    stays = engine.step(tiny, review, Text("send"), kit)
    assert stays.state == review and not any(isinstance(e, Submit) for e in stays.events)


def test_end_node_submits_what_was_drafted(tiny: Flow, kit: Kit) -> None:
    review = at("check", often="weekly", mood="pns", words="kind")
    result = engine.step(tiny, review, Choose("check", "send"), kit)
    assert result.state is None
    (submit,) = [e for e in result.events if isinstance(e, Submit)]
    assert submit.flow_version == 3
    assert dict(submit.scores) == {"often": "weekly", "mood": "pns"}
    assert dict(submit.comments) == {"words": "kind"}
    assert [s.text for s in says(result)][0] == "Bye"
