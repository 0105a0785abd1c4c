"""Laying out engine messages, and the pacing arithmetic (REL-07) on an injected clock."""

from __future__ import annotations

import pytest

from bot.delivery.pacing import TokenBucket
from bot.telegram.render import MAX_TEXT, Edit, Message, render, render_all, split, urgent
from flows.events import Button, Say


def test_buttons_become_an_inline_keyboard_of_engine_tokens() -> None:
    say = Say(
        "Question 1 of 9\nHonest?",
        kind="question",
        buttons=(
            (Button("🙂 Mostly", "a:trust:4"),),
            (Button("Skip", "a:trust:skip"), Button("Help", "c:help")),
        ),
    )
    (message,) = render(say)
    assert message.text == "Question 1 of 9\nHonest?"
    assert message.reply_markup == {
        "inline_keyboard": [
            [{"text": "🙂 Mostly", "callback_data": "a:trust:4"}],
            [
                {"text": "Skip", "callback_data": "a:trust:skip"},
                {"text": "Help", "callback_data": "c:help"},
            ],
        ]
    }


def test_plain_messages_have_no_keyboard_and_blank_ones_are_not_sent() -> None:
    assert render(Say("If you need help now:", kind="safety")) == [Message("If you need help now:")]
    assert render(Say("  \n ")) == []


def test_long_text_is_split_at_line_ends_with_the_keyboard_last() -> None:
    line = "x" * 1000
    say = Say("\n".join([line] * 9), buttons=((Button("Send", "a:review:send"),),))
    parts = render(say)
    assert [len(p.text) for p in parts] == [4003, 4003, 1000]  # four lines and their breaks
    assert all(len(p.text) <= MAX_TEXT for p in parts)
    assert [p.reply_markup is not None for p in parts] == [False, False, True]
    assert split("y" * 5000) == ["y" * 4096, "y" * 904]


def test_a_token_over_64_bytes_is_refused_before_telegram_would() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        render(Say("q", buttons=((Button("x", "a:" + "é" * 32),),)))


def test_bucket_allows_a_burst_then_one_a_second() -> None:
    bucket = TokenBucket(rate=1.0, burst=3, now=100.0)
    assert [bucket.reserve(100.0) for _ in range(5)] == [0, 0, 0, 1.0, 2.0]
    assert not bucket.full(104.0)
    assert bucket.reserve(104.0) == 0  # debt repaid: 2 s owed, 4 s passed
    assert bucket.full(110.0)
    assert [bucket.reserve(110.0) for _ in range(4)] == [0, 0, 0, 1.0]


def test_global_bucket_spaces_a_crowd_at_its_rate() -> None:
    bucket = TokenBucket(rate=25.0, burst=5, now=0.0)
    waits = [bucket.reserve(0.0) for _ in range(30)]
    assert waits[:5] == [0] * 5
    assert waits[-1] == pytest.approx(1.0)  # the 30th of a burst goes out 1 s later
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1, now=0)


QUESTION = Say("Question 7 of 9", kind="question", buttons=((Button("Skip", "c:skip"),),))
NOTICE = Say("Please don't put names.", kind="notice")
HELP = Say("If you need help now:", kind="safety")
PAUSE = Say("Let's pause.", kind="safety", node="_safety")


def test_a_notice_joins_its_question_and_the_helplines_join_the_screen_before_them() -> None:
    """Issue 13: one message per screen; the helplines join the screen they follow (the
    intro, "Sent"), under its buttons, so a check-in costs one call a step."""
    laid = render_all([NOTICE, Say("  "), QUESTION, HELP])
    assert [a.text for a in laid] == [
        "Please don't put names.\n\nQuestion 7 of 9\n\nIf you need help now:"
    ]
    assert laid[0].reply_markup is not None
    reach = Say("If you need help now:", kind="safety", buttons=((Button("A person", "p"),),))
    (sent,) = render_all([Say("Sent."), reach])
    assert sent.text == "Sent.\n\nIf you need help now:" and sent.reply_markup is not None
    # Never when both have buttons (one set would be lost), nor after the helplines, nor
    # the pause after a disclosure, which is a step of its own.
    assert len(render_all([QUESTION, reach])) == 2
    assert len(render_all([HELP, QUESTION])) == 2
    assert len(render_all([NOTICE, PAUSE])) == 2
    # A message with buttons is never joined to what follows: its buttons would be lost.
    assert len(render_all([QUESTION, NOTICE])) == 2


def test_a_tap_edits_the_screen_unless_help_comes_first_or_it_is_too_long() -> None:
    (edit,) = render_all([NOTICE, QUESTION], edit=42)
    assert isinstance(edit, Edit) and edit.message_id == 42 and edit.reply_markup is not None
    assert all(isinstance(a, Message) for a in render_all([HELP, QUESTION], edit=42))
    long = Say("x\n" * MAX_TEXT, buttons=QUESTION.buttons)
    assert all(isinstance(a, Message) for a in render_all([long], edit=42))


def test_help_asked_for_and_the_pause_are_urgent() -> None:
    assert urgent([HELP, QUESTION]) and urgent([PAUSE])
    assert not urgent([QUESTION, HELP]) and not urgent([])
