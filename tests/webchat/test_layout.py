"""How engine messages become a screen: nothing reworded, help and stop in one place."""

from __future__ import annotations

from admin.webchat import layout
from flows.events import Button, Say


def test_help_and_stop_leave_the_navigation_row_and_back_stays() -> None:
    nav = (Button("Back", "c:back"), Button("Help", "c:help"), Button("Stop", "c:stop"))
    bubble = layout.bubble(Say("Question 1 of 9\nHow?", kind="question", buttons=(nav,)))
    assert [(r.style, [c.token for c in r.choices]) for r in bubble.rows] == [("nav", ["c:back"])]
    assert (bubble.lead, bubble.text) == ("Question 1 of 9", "How?")


def test_a_row_of_only_help_and_stop_disappears_but_answer_rows_keep_stop() -> None:
    """The intro's "Not now" (c:stop) sits beside Start, so it is the young person's choice
    there, not navigation: it stays."""
    only = layout.bubble(Say("x", buttons=((Button("Help", "c:help"), Button("Stop", "c:stop")),)))
    assert only.rows == ()
    intro = layout.bubble(
        Say("x", buttons=((Button("Start", "a:intro:next"), Button("Not now", "c:stop")),))
    )
    assert [c.token for c in intro.rows[0].choices] == ["a:intro:next", "c:stop"]


def test_skip_and_prefer_not_to_say_are_laid_out_as_equals() -> None:
    """CC-21."""
    row = (Button("Skip", "a:trust:skip"), Button("Prefer not to say", "a:trust:pns"))
    assert layout.bubble(Say("q", buttons=(row,))).rows[0].style == "equal"


def test_an_emoji_is_shown_but_not_read_out() -> None:
    assert layout.split_emoji("🙂 Mostly") == layout.Choice("Mostly", "", "🙂")
    assert layout.split_emoji("Not at all") == layout.Choice("Not at all", "")
    assert layout.split_emoji("10 out of 10") == layout.Choice("10 out of 10", "")
