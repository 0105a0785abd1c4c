"""Help, privacy, stop, back, language and unknown input in every state the flow can be in
(SG-01, CC-10, CC-23), generated from the flow definition rather than listed by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows import engine
from flows.events import Discard, SafetyShown, Say
from flows.inputs import Choose, Command, Text
from flows.kit import Kit
from flows.model import Flow
from flows.state import CONTACT, LANGUAGE, MODES, SAFETY, State


def every_state(flow: Flow) -> list[State]:
    """Each node the conversation can wait at, in each mode, with something to go back to."""
    return [
        State(flow=flow.id, lang="en", node=node.id, mode=mode, history=("intro",))
        for node in flow.nodes[:-1]
        for mode in MODES
    ]


def _says(events: tuple[object, ...]) -> list[Say]:
    return [e for e in events if isinstance(e, Say)]


def test_help_shows_the_safety_block_in_every_state(checkin: Flow, kit: Kit) -> None:
    block = kit.safety_block("en")
    for state in every_state(checkin):
        result = engine.step(checkin, state, Command("help"), kit)
        assert result.state == state, state
        assert block in [s.text for s in _says(result.events)], state
        assert SafetyShown("help") in result.events


@pytest.mark.parametrize("name", ["privacy", "concern"])
def test_privacy_and_concern_keep_the_place_in_every_state(
    checkin: Flow, kit: Kit, name: str
) -> None:
    """CC-10, CC-23: the notice, then the current question again, place not lost."""
    for state in every_state(checkin):
        result = engine.step(checkin, state, Command(name), kit)
        assert result.state == state
        assert _says(result.events)[0].text == kit.t(name, "en")
        assert len(_says(result.events)) >= 2, "the current question is asked again"


@pytest.mark.parametrize("name", ["privacy", "concern"])
def test_privacy_and_concern_answer_without_a_conversation(
    checkin: Flow, kit: Kit, name: str
) -> None:
    result = engine.step(checkin, None, Command(name), kit)
    assert result.state is None
    assert [s.text for s in _says(result.events)] == [kit.t(name, "en")]


def test_the_concern_notice_names_a_person_the_ico_and_the_timescale(kit: Kit) -> None:
    """CC-23, CC-24: a route to a human, the regulator, and one month to reply."""
    for lang, month in (("en", "one month"), ("cy", "o fewn mis")):
        text = kit.t("concern", lang)
        assert "feedback@example.org" in text and "0303 123 1113" in text and month in text


def test_stop_discards_in_every_state(checkin: Flow, kit: Kit) -> None:
    for state in every_state(checkin):
        result = engine.step(checkin, state, Command("stop"), kit)
        assert result.state is None
        assert Discard() in result.events
        assert kit.safety_block("en") in [s.text for s in _says(result.events)]


def test_unknown_input_gets_the_safety_block_in_every_state(checkin: Flow, kit: Kit) -> None:
    """SG-01(d): anything the bot cannot parse. A stale button is one such thing."""
    for state in every_state(checkin):
        result = engine.step(checkin, state, Choose("nowhere", "zz"), kit)
        assert result.state == state
        texts = [s.text for s in _says(result.events)]
        assert any("earlier question" in t for t in texts), state


def test_typed_nonsense_on_a_button_question_shows_help(checkin: Flow, kit: Kit) -> None:
    state = State(flow=checkin.id, lang="en", node="trust")
    result = engine.step(checkin, state, Text("banana"), kit)
    assert kit.safety_block("en") in [s.text for s in _says(result.events)]
    assert SafetyShown("unknown") in result.events


def test_back_and_language_never_lose_answers(checkin: Flow, kit: Kit) -> None:
    state = State(
        flow=checkin.id,
        lang="en",
        node="heard",
        answers=(("trust", "4"),),
        history=("intro", "trust", "relatability"),
    )
    for mode in (SAFETY, CONTACT, LANGUAGE):
        result = engine.step(checkin, replace(state, mode=mode), Command("back"), kit)
        assert result.state is not None and result.state.answers == state.answers
    chosen = engine.step(checkin, replace(state, mode=LANGUAGE), Choose("_lang", "cy"), kit)
    assert chosen.state is not None
    assert chosen.state.lang == "cy" and chosen.state.answers == state.answers


def test_a_disclosure_pauses_with_exactly_the_four_options(checkin: Flow, kit: Kit) -> None:
    """SG-04: no next question; [Get help now] [Talk to a person] [Carry on] [Stop]."""
    state = State(flow=checkin.id, lang="en", node="helps")
    result = engine.step(checkin, state, Text("my dad hits me"), kit)
    assert result.state is not None and result.state.mode == SAFETY
    assert result.state.answers == (), "the disclosure text is never kept as an answer"
    (pause,) = _says(result.events)
    labels = [b.label for row in pause.buttons for b in row]
    assert labels == ["Get help now", "Talk to a person", "Carry on with feedback", "Stop"]
    assert kit.safety_block("en") in pause.text
