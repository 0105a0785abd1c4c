""" "Change" on the review (issue 16 item 3): it asks that question again, and answering or
skipping it returns straight to the review; Back from it returns too. The review never
repeats the answers themselves (AN-12)."""

from __future__ import annotations

from flows import engine
from flows.events import Say
from flows.inputs import Choose, Command, Start, from_token
from flows.kit import Kit
from flows.model import Flow
from flows.state import State


def _at_review(flow: Flow, kit: Kit) -> State:
    state = engine.step(flow, None, Start(lang="en"), kit).state
    assert state is not None
    state = engine.step(flow, state, Choose(state.node, "next"), kit).state
    while state is not None and flow.node(state.node).kind != "review":
        state = engine.step(flow, state, Command("skip"), kit).state
    assert state is not None
    return state


def _change_tokens(result: engine.Result) -> dict[str, str]:
    (say,) = [e for e in result.events if isinstance(e, Say) and e.kind == "review"]
    return {b.label: b.token for row in say.buttons for b in row if "_change" in b.token}


def test_change_asks_again_then_returns_to_the_review(checkin: Flow, kit: Kit) -> None:
    review = _at_review(checkin, kit)
    shown = engine.step(checkin, review, Command("help"), kit)
    tokens = _change_tokens(shown)
    assert "Change: Being listened to" in tokens and len(tokens) == 9
    change = from_token(tokens["Change: Being listened to"])
    assert change is not None
    asked = engine.step(checkin, review, change, kit)
    assert asked.state is not None and asked.state.node == "heard"
    answered = engine.step(checkin, asked.state, Choose("heard", "5"), kit)
    assert answered.state is not None and answered.state.node == review.node
    assert answered.state.answer("heard") == "5" and answered.state.returning == ""
    (say,) = [e for e in answered.events if isinstance(e, Say) and e.kind == "review"]
    assert "Being listened to: answered" in say.text and "Totally" not in say.text


def test_back_from_a_changed_question_returns_and_forgets_the_change(
    checkin: Flow, kit: Kit
) -> None:
    review = _at_review(checkin, kit)
    asked = engine.step(checkin, review, Choose("_change", "trust"), kit).state
    assert asked is not None and asked.node == "trust"
    back = engine.step(checkin, asked, Command("back"), kit).state
    assert back is not None and back.node == review.node and back.returning == ""


def test_change_to_something_that_is_not_a_question_changes_nothing(
    checkin: Flow, kit: Kit
) -> None:
    review = _at_review(checkin, kit)
    for target in ("review", "intro", "nope"):
        result = engine.step(checkin, review, Choose("_change", target), kit)
        assert result.state == review
