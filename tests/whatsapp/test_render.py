"""Every screen the engine can show fits WhatsApp's limits and Meta's spec, in every
language: text bodies 4096, interactive bodies 1024, at most 3 reply buttons of 20
characters, at most 10 list rows with titles of 24 and descriptions of 72, list buttons
of 20. The screens are found by walking the engine itself: from the start, every button
on every screen, and typed words that open the other paths (help, language, privacy, a
concern, a disclosure, a contact), until no new screen appears."""

from __future__ import annotations

from collections import deque

import pytest

from bot.whatsapp import render as r
from bot.whatsapp.render import Body, fit, render_all, split
from flows import engine
from flows.events import Button, Say
from flows.inputs import STALE, Input, Start, Text, from_text, from_token
from flows.kit import Kit
from flows.model import Flow
from flows.state import State
from tests.fakes import graph_spec

TYPED = (
    "/help",
    "/language",
    "/privacy",
    "/concern",
    "/stop",
    "back",
    "skip",
    "they are fine i guess",
    "my dad hits me and i want to kill myself",
    "you can text me on 07700 900461",
)
CONTEXT = (("invite", "i1"), ("team", "t1"), ("worker", ""))


def screens(flow: Flow, kit: Kit, lang: str) -> list[list[Say]]:
    """Every distinct reply the engine gives, walking from a start in `lang`."""
    first = engine.step(flow, None, Start(CONTEXT, lang), kit)
    seen: set[tuple[object, ...]] = set()
    replies: list[list[Say]] = []
    todo: deque[State] = deque([first.state] if first.state else [])
    replies.append([e for e in first.events if isinstance(e, Say)])
    while todo:
        state = todo.popleft()
        typed = [from_text(t) if t.startswith(("/", "b", "s")) else Text(t) for t in TYPED]
        for inp in [*typed, *_buttons_of(flow, kit, state)]:
            result = engine.step(flow, state, inp, kit)
            said = [e for e in result.events if isinstance(e, Say)]
            key = (tuple((s.text, s.buttons) for s in said),)
            if key in seen:
                continue
            seen.add(key)
            replies.append(said)
            if result.state is not None and len(seen) < 2000:
                todo.append(result.state)
    return replies


def _buttons_of(flow: Flow, kit: Kit, state: State) -> list[Input]:
    """The inputs behind the buttons of the screen `state` is showing."""
    again = engine.step(flow, state, STALE, kit)  # "moved on", and the screen again
    tokens = [b.token for e in again.events if isinstance(e, Say) for row in e.buttons for b in row]
    return [inp for t in tokens if (inp := from_token(t)) is not None]


@pytest.fixture(scope="module")
def walked(flows: dict[str, Flow], kit: Kit) -> dict[str, list[list[Body]]]:
    flow = flows["relationship-checkin"]
    return {
        lang: [render_all(said, lang) for said in screens(flow, kit, lang)]
        for lang in kit.copy.languages
    }


def test_the_walk_reaches_the_check_in_s_screens(walked: dict[str, list[list[Body]]]) -> None:
    for bodies in walked.values():
        flat = [b for reply in bodies for b in reply]
        lists = [b for b in flat if b.get("interactive", {}).get("type") == "list"]
        buttons = [b for b in flat if b.get("interactive", {}).get("type") == "button"]
        assert len(bodies) > 40 and len(lists) > 9 and buttons


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_screen_fits_whatsapp_s_limits_and_the_spec(
    walked: dict[str, list[list[Body]]], lang: str
) -> None:
    problems = []
    for reply in walked[lang]:
        for body in reply:
            message = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "1",
                **body,
            }
            problems += graph_spec.problems("Message", message)
            if body["type"] == "text":
                assert 0 < len(body["text"]["body"]) <= r.MAX_TEXT
                continue
            inter = body["interactive"]
            assert 0 < len(inter["body"]["text"]) <= r.MAX_BODY
            action = inter["action"]
            if inter["type"] == "button":
                titles = [b["reply"]["title"] for b in action["buttons"]]
                assert len(titles) <= r.MAX_BUTTONS and len(set(titles)) == len(titles)
                assert all(0 < len(t) <= r.MAX_BUTTON_TITLE for t in titles)
            else:
                rows = [row for s in action["sections"] for row in s["rows"]]
                assert len(rows) <= r.MAX_ROWS and 0 < len(action["button"]) <= r.MAX_LIST_BUTTON
                assert len({row["title"] for row in rows}) == len(rows)  # each row tells apart
                for row in rows:
                    assert 0 < len(row["title"]) <= r.MAX_ROW_TITLE
                    assert len(row.get("description", "")) <= r.MAX_ROW_DESCRIPTION
    assert problems == []


def test_a_list_speaks_the_reply_s_language(walked: dict[str, list[list[Body]]]) -> None:
    """The list button's own word follows the language (read off the reply's buttons)."""
    for lang, expected in (("en", "Choose"), ("cy", "Dewis")):
        words = {
            b["interactive"]["action"]["button"]
            for reply in walked[lang]
            for b in reply
            if b.get("interactive", {}).get("type") == "list"
        }
        assert words == {expected}


def test_a_five_point_question_is_one_list_with_help_stop_and_back(kit: Kit) -> None:
    scale = [Button(f"😐 Answer {i}", f"a:q:{i}") for i in range(1, 6)]
    rows = (
        tuple(scale[:5]),
        (Button("Skip", "a:q:skip"), Button("Prefer not to say", "a:q:pns")),
        (Button("Back", "c:back"), Button("Help", "c:help"), Button("Stop", "c:stop")),
    )
    (body,) = render_all([Say("Question 1 of 9\nHow?", "question", rows)], "en")
    ids = [row["id"] for row in body["interactive"]["action"]["sections"][0]["rows"]]
    assert ids[-3:] == ["c:back", "c:help", "c:stop"] and len(ids) == 10


def test_long_labels_are_cut_at_a_word_and_shown_whole_below() -> None:
    (body,) = render_all(
        [
            Say(
                "Ready?",
                buttons=((Button("Send and get a code to delete it later", "a:review:receipt"),),),
            )
        ],
        "en",
    )
    (row,) = body["interactive"]["action"]["sections"][0]["rows"]
    assert row["title"] == "Send and get a code to…" and len(row["title"]) <= 24
    assert row["description"] == "Send and get a code to delete it later"
    assert fit("Supercalifragilisticexpialidocious!", 24) == "Supercalifragilisticexp…"


def test_long_text_is_split_at_line_ends_and_the_buttons_ride_the_last_part() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(60))
    bodies = render_all(
        [Say(text, buttons=((Button("Yes", "a:n:y"), Button("No", "a:n:n")),))], "en"
    )
    assert [b["type"] for b in bodies][-1] == "interactive" and len(bodies) > 1
    assert all(len(b["text"]["body"]) <= 1024 for b in bodies[:-1])
    assert "\n".join(split(text, 1024)) == text
