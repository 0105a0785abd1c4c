"""Wording rules enforced on every string a young person can see, in every language."""

from __future__ import annotations

import re

import pytest

from flows.kit import Kit
from flows.model import Flow
from flows.preview import PREVIEW_DENY

PRAISE_DENY = ("that's great", "beautiful", "sounds like a lot going on", "well done", "amazing")
SECRECY_DENY = ("confidential", "secret", "private", "only you will know", "we will never tell")
ENGAGEMENT_DENY = ("streak", "badge", "points", "leaderboard", "hurry", "don't miss")  # CC-11
GUILT_DENY = ("are you sure", "really wants to know", "let them down")  # CC-21


def all_texts(flow: Flow, kit: Kit) -> list[tuple[str, str]]:
    out = []
    fill = {"max": "500", "n": "1", "total": "9", "code": "ABCDE-23456", "lines": ""}
    fill |= {"emergency": "999", "name": "Line", "phone": "0800", "sms": "8", "word": "HI"}
    fill |= {"url": "https://x", "hours": "9 to 5", "said": "said this", "did": "did that"}
    fill |= {"what": "Being honest"}
    for key in kit.copy.strings:
        for lang in flow.languages:
            out.append((f"copy {key} [{lang}]", kit.t(key, lang, **fill)))
    for node in flow.nodes:
        for lang, text in node.text.items():
            out.append((f"node {node.id} [{lang}]", text.format_map(kit.names_in(lang))))
    for lang in flow.languages:
        out.append((f"safety block [{lang}]", kit.safety_block(lang)))
    return out


def test_first_60_characters_are_neutral(checkin: Flow, kit: Kit) -> None:
    """CC-12: lock-screen previews show the start of a message."""
    for where, text in all_texts(checkin, kit):
        preview = text[:60].lower()
        assert not any(word in preview for word in PREVIEW_DENY), where


@pytest.mark.parametrize(
    "deny",
    [PRAISE_DENY, SECRECY_DENY, ENGAGEMENT_DENY, GUILT_DENY],
    ids=["SG-03 praise", "SG-05 secrecy", "CC-11 engagement", "CC-21 guilt"],
)
def test_no_forbidden_phrases(checkin: Flow, kit: Kit, deny: tuple[str, ...]) -> None:
    for where, text in all_texts(checkin, kit):
        lowered = text.lower()
        assert not any(re.search(rf"\b{re.escape(p)}\b", lowered) for p in deny), where


def test_intro_is_short_and_says_what_it_must(checkin: Flow, kit: Kit) -> None:
    """CC-07: under about 120 words; who runs it, staff never see who said what, nobody
    reads live, optional and stoppable, help follows at once."""
    intro = checkin.nodes[0]
    for lang, text in intro.text.items():
        assert len(text.split()) <= 120, lang
    english = intro.text["en"].format_map(kit.names_in("en"))
    for phrase in (
        "Test Youth Service",
        "never see who said what",
        "Nobody reads this chat live",
        "skip any question",
        "stop at any time",
    ):
        assert phrase in english


def test_safety_block_has_the_gb_helplines(kit: Kit) -> None:
    block = kit.safety_block("en")
    for number in ("999", "0800 1111", "85258", "116 123"):
        assert number in block
    assert "Nobody reads this chat" in block  # SG-05: honest about limits


def test_the_preview_rule_knows_welsh_mutations() -> None:
    """CC-12: a mutated form is caught as surely as the dictionary form."""
    for preview in ("sut mae dy weithiwr di?", "roedd e'n fy ngham-drin i", "dy gam-drin"):
        assert any(word in preview for word in PREVIEW_DENY), preview


def test_no_string_tells_anyone_to_create_a_telegram_account(checkin: Flow, kit: Kit) -> None:
    """CC-06."""
    for where, text in all_texts(checkin, kit):
        assert "create a telegram account" not in text.lower(), where
