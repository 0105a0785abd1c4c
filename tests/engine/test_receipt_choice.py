"""The review step's two Send buttons (AN-19, CC-14, CC-22): the receipt is off unless
chosen, plain Send comes first and on its own row, and the engine never makes a code."""

from __future__ import annotations

from flows import engine
from flows.events import Say, Submit
from flows.inputs import Choose, Command, from_token
from flows.kit import Kit
from flows.model import Flow
from flows.state import State


def _review(flow: Flow) -> State:
    review = next(n for n in flow.nodes if n.kind == "review")
    return State(flow=flow.id, lang="en", node=review.id, context=(("team", "t1"),))


def _review_say(flow: Flow, kit: Kit) -> Say:
    """The review question as shown (help re-asks the current question)."""
    state = _review(flow)
    events = engine.step(flow, state, Command("help"), kit).events
    (say,) = [e for e in events if isinstance(e, Say) and e.node == state.node]
    return say


def _submit(flow: Flow, kit: Kit, inp: Choose | Command) -> Submit:
    result = engine.step(flow, _review(flow), inp, kit)
    (submit,) = [e for e in result.events if isinstance(e, Submit)]
    assert result.state is None
    return submit


def test_send_comes_first_and_the_receipt_second(checkin: Flow, kit: Kit) -> None:
    """CC-22: declining the optional receipt is the first, most prominent choice, and
    choosing it takes no fewer taps."""
    say = _review_say(checkin, kit)
    first, second = say.buttons[0], say.buttons[1]
    assert [b.label for b in first] == [kit.t("send", "en")]
    assert [b.label for b in second] == [kit.t("send_receipt", "en")]


def test_plain_send_and_the_send_command_ask_for_no_receipt(checkin: Flow, kit: Kit) -> None:
    """CC-14: nothing optional is on unless chosen."""
    send = from_token(_review_say(checkin, kit).buttons[0][0].token)
    assert isinstance(send, Choose)
    assert _submit(checkin, kit, send).receipt is False
    assert _submit(checkin, kit, Command("send")).receipt is False


def test_the_receipt_button_asks_for_one_and_the_engine_makes_no_code(
    checkin: Flow, kit: Kit
) -> None:
    """AN-19: the engine only records the choice; the same input gives the same output."""
    state = _review(checkin)
    receipt = from_token(_review_say(checkin, kit).buttons[1][0].token)
    assert isinstance(receipt, Choose)
    submit = _submit(checkin, kit, receipt)
    assert submit.receipt is True
    assert engine.step(checkin, state, receipt, kit) == engine.step(checkin, state, receipt, kit)
