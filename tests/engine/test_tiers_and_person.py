"""The two tiers of worry (SG-04) and "a person always one tap away" (SG-07, CC-25).

"Possible" detections come from a stand-in detector (tests.engine.script.with_possible)
until the detector's own second tier is merged; clear ones from the real detector.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows import engine
from flows.events import RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Choose, Command, Input, Text, from_token
from flows.kit import Kit
from flows.model import Flow
from flows.reach import reachable
from flows.state import AFTER, ASK, CHECK, CONCERN, CONTACT, SAFETY, Result, State
from tests.engine.script import with_possible
from tests.engine.test_every_state import every_state

CONTEXT = (("invite", "inv1"), ("team", "team1"), ("worker", ""))


def _says(result: Result) -> list[Say]:
    return [e for e in result.events if isinstance(e, Say)]


def _button(result: Result, label: str) -> Input:
    for say in _says(result):
        for row in say.buttons:
            for button in row:
                if button.label == label:
                    parsed = from_token(button.token)
                    assert parsed is not None
                    return parsed
    raise AssertionError(f"no {label!r} button")


def _labels(say: Say) -> list[str]:
    return [b.label for row in say.buttons for b in row]


def test_get_help_now_offers_a_person_in_every_state(checkin: Flow, kit: Kit) -> None:
    """Talk to a person is part of Get help now wherever the young person is."""
    for state in every_state(checkin):
        state = replace(state, context=CONTEXT)
        helped = engine.step(checkin, state, Command("help"), kit)
        (block,) = [s for s in _says(helped) if s.text == kit.safety_block("en")]
        assert _labels(block) == ["Talk to a person"], state
        asking = engine.step(checkin, state, _button(helped, "Talk to a person"), kit)
        assert asking.state is not None and asking.state.mode == CONTACT, state
        (prompt,) = _says(asking)
        assert prompt.accepts_text and prompt.text.startswith("How can we reach you?")
        assert "safeguarding lead, not the person who supports you" in prompt.text
        sent = engine.step(checkin, asking.state, Text("07700 900456"), kit)
        assert RequestHelp("07700 900456", "person", "en", "team1") in sent.events, state
        assert sent.state is not None and sent.state.mode == AFTER
        assert sent.state.answers == state.answers, "a request loses no answers"
        assert _labels(_says(sent)[-1]) == ["Carry on with feedback", "Stop here"]


@pytest.mark.parametrize("reply", ["", "   ", "ok", "idk", "call me", "no thanks", "12345", "x@y"])
def test_a_contact_with_no_way_to_reach_them_is_kindly_refused(
    checkin: Flow, kit: Kit, reply: str
) -> None:
    state = State(flow=checkin.id, lang="en", node="heard", mode=CONTACT, context=CONTEXT)
    result = engine.step(checkin, state, Text(reply), kit)
    assert result.state == state
    assert not [e for e in result.events if isinstance(e, RequestHelp)]
    assert _says(result)[0].text == kit.t("contact_refused", "en")


@pytest.mark.parametrize(
    "reply",
    [
        "07700 900456",
        "+44 7700 900 456 after 4pm",
        "(0117) 496 0123",
        "jo.bloggs+help@example.org",
        "ask for me at the youth club on tuesdays",
        "ask for Sam in the library",
        "find me at the hostel on Mill Road",
        "gofyn amdana i yn y clwb ieuenctid",
        "ffeindia fi yn yr hostel",
    ],
)
def test_a_phone_an_email_or_a_place_to_ask_is_a_way_to_reach_them(reply: str) -> None:
    assert reachable(reply)


def test_stop_here_after_a_request_keeps_only_the_request(checkin: Flow, kit: Kit) -> None:
    state = State(flow=checkin.id, lang="cy", node="heard", answers=(("trust", "4"),), mode=AFTER)
    result = engine.step(checkin, state, Choose("_after", "stop"), kit)
    assert result.state is None
    assert not [e for e in result.events if isinstance(e, (Submit, RequestHelp))]
    assert _says(result)[0].text == kit.t("stopped_after_request", "cy")


def test_concern_can_leave_a_way_to_reach_them(checkin: Flow, kit: Kit) -> None:
    """CC-25: /concern explains, and a button leads to the same contact step."""
    state = State(flow=checkin.id, lang="cy", node="trust", context=CONTEXT)
    notice = engine.step(checkin, state, Command("concern"), kit)
    asking = engine.step(checkin, state, _button(notice, kit.t("reach_concern", "cy")), kit)
    assert asking.state is not None and asking.state.mode == CONCERN
    sent = engine.step(checkin, asking.state, Text("jo@example.org"), kit)
    assert RequestHelp("jo@example.org", "concern", "cy", "team1") in sent.events


def test_possible_words_get_one_calm_question_not_a_pause(checkin: Flow, kit: Kit) -> None:
    calm = with_possible(kit, ["rough at home"])
    state = State(flow=checkin.id, lang="en", node="helps", context=CONTEXT)
    result = engine.step(checkin, state, Text("rough at home, Priya helps"), calm)
    assert result.state is not None and result.state.mode == CHECK
    assert SafetyShown("possible", "vague_help") in result.events
    (question,) = _says(result)
    assert question.text == "That sounded hard. Are you safe right now?"
    assert _labels(question) == ["I'm OK", "Get help now", "Talk to a person"]
    assert "Priya" not in result.state.pending, "only scrubbed words are held"
    assert result.state.answers == ()


def test_im_ok_keeps_the_words_as_feedback_never_as_a_quote(checkin: Flow, kit: Kit) -> None:
    calm = with_possible(kit, ["rough at home"])
    state = State(flow=checkin.id, lang="en", node="tell", context=CONTEXT)
    checking = engine.step(checkin, state, Text("it's rough at home but Priya helps"), calm)
    assert checking.state is not None
    ok = engine.step(checkin, checking.state, Choose("_check", "ok"), calm)
    assert ok.state is not None and ok.state.mode == ASK and ok.state.node == "review"
    assert ok.state.answer("tell") == "it's rough at home but [NAME] helps"
    sent = engine.step(checkin, ok.state, Command("send"), calm)
    (submit,) = [e for e in sent.events if isinstance(e, Submit)]
    assert submit.unquotable == ("tell",)


def test_calm_question_help_and_person_keep_nothing_of_the_words(checkin: Flow, kit: Kit) -> None:
    calm = with_possible(kit, ["rough at home"])
    state = State(flow=checkin.id, lang="en", node="tell", context=CONTEXT)
    checking = engine.step(checkin, state, Text("rough at home"), calm)
    assert checking.state is not None
    helped = engine.step(checkin, checking.state, Choose("_check", "help"), calm)
    assert helped.state is not None and helped.state.mode == ASK
    assert helped.state.pending == "" and helped.state.answers == ()
    assert SafetyShown("help") in helped.events
    person = engine.step(checkin, checking.state, Choose("_check", "person"), calm)
    assert person.state is not None and person.state.mode == CONTACT
    assert person.state.pending == ""


def test_a_worry_about_staff_pauses_and_says_where_a_request_goes(checkin: Flow, kit: Kit) -> None:
    """SG-09: clear, paused with the four options, and routed to the safeguarding lead."""
    state = State(flow=checkin.id, lang="en", node="helps")
    result = engine.step(checkin, state, Text("my worker hit me"), kit)
    assert result.state is not None and result.state.mode == SAFETY
    assert SafetyShown("disclosure", "worker_allegation") in result.events
    (pause,) = _says(result)
    assert pause.text.startswith(kit.t("worker_route", "en"))
    assert kit.safety_block("en") in pause.text
    assert _labels(pause) == ["Get help now", "Talk to a person", "Carry on with feedback", "Stop"]


def test_with_no_check_in_open_a_person_is_still_one_tap_away(checkin: Flow, kit: Kit) -> None:
    """After Send or Stop, or with nothing open: help, then a way to reach them, then the
    chat ends (there is no check-in to carry on with). Cancel and Stop end it too."""
    helped = engine.step(checkin, None, Command("help"), kit)
    asking = engine.step(checkin, None, _button(helped, "Talk to a person"), kit)
    assert asking.state is not None and asking.state.reach_only
    welsh = engine.step(checkin, asking.state, Command("language"), kit)
    assert welsh.state is not None
    chosen = engine.step(checkin, welsh.state, Choose("_lang", "cy"), kit)
    assert chosen.state is not None and chosen.state.mode == CONTACT
    assert _says(chosen)[0].text == kit.t("contact_prompt", "cy")
    done = engine.step(checkin, chosen.state, Text("07700 900456"), kit)
    assert RequestHelp("07700 900456", "person", "cy", None) in done.events
    assert done.state is None
    cancelled = engine.step(checkin, asking.state, Command("back"), kit)
    assert cancelled.state is None and kit.safety_block("en") in [s.text for s in _says(cancelled)]
    for ended in (
        engine.step(checkin, State(checkin.id, "en", "trust"), Command("stop"), kit),
        engine.step(checkin, State(checkin.id, "en", "review"), Command("send"), kit),
    ):
        assert [_labels(s) for s in _says(ended) if s.kind == "safety"] == [["Talk to a person"]]


def test_after_a_welsh_check_in_the_person_is_asked_for_in_welsh(checkin: Flow, kit: Kit) -> None:
    stopped = engine.step(checkin, State(checkin.id, "cy", "trust"), Command("stop"), kit)
    asking = engine.step(checkin, None, _button(stopped, kit.t("reach_person", "cy")), kit)
    assert asking.state is not None and asking.state.lang == "cy"
    assert _says(asking)[0].text == kit.t("contact_prompt", "cy")


def test_possible_words_typed_at_the_pause_keep_the_pause(checkin: Flow, kit: Kit) -> None:
    """The calm question never becomes a way past the pause after a clear disclosure."""
    calm = with_possible(kit, ["rough at home"])
    paused = State(flow=checkin.id, lang="en", node="helps", mode=SAFETY)
    result = engine.step(checkin, paused, Text("its rough at home"), calm)
    assert result.state == paused
    assert [e for e in result.events if isinstance(e, SafetyShown)] == []
