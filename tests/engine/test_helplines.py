"""Helplines by region and language (SG-12): the right lines for where a young person is
and the language they chose, with honest hours, on every channel's safety block."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from flows.kit import Kit
from flows.loader import FlowError, load_helplines
from flows.text import pick

MEIC, SAMARIAID_CY = "080880 23456", "0808 164 0123"


def _in(kit: Kit, region: str) -> Kit:
    return replace(kit, region=region, _plain={}, _named={})


def test_wales_adds_meic_in_both_languages_with_its_hours(kit: Kit) -> None:
    wales = _in(kit, "GB-WLS")
    english, welsh = wales.safety_block("en"), wales.safety_block("cy")
    assert MEIC in english and "84001" in english and "8am to midnight, every day" in english
    assert MEIC in welsh and "8yb tan hanner nos, bob dydd" in welsh
    assert "meic.cymru" in welsh  # its online chat
    meic = next(line for line in welsh.splitlines() if MEIC in line)
    assert "unrhyw bryd" not in meic, "a line with opening hours is never 'any time'"


def test_meic_is_only_for_wales(kit: Kit) -> None:
    for region in ("", "GB-ENG", "GB-SCT", "GB-NIR"):
        assert MEIC not in _in(kit, region).safety_block("cy"), region


def test_the_welsh_samaritans_line_is_for_welsh_conversations(kit: Kit) -> None:
    wales = _in(kit, "GB-WLS")
    assert SAMARIAID_CY in wales.safety_block("cy")
    assert "Llinell Gymraeg y Samariaid" in wales.safety_block("cy")
    assert SAMARIAID_CY not in wales.safety_block("en")


def test_several_lines_of_one_role_all_reach_the_block(kit: Kit) -> None:
    """Both Samaritans lines are `general_listening`; neither hides the other."""
    welsh = _in(kit, "GB-WLS").safety_block("cy")
    assert SAMARIAID_CY in welsh and "116 123" in welsh


def test_names_are_translated_and_english_only_lines_say_so(kit: Kit) -> None:
    welsh = kit.safety_block("cy")
    assert "Samariaid: ffonia 116 123." in welsh
    shout = next(line for line in welsh.splitlines() if "85258" in line)
    assert "tecstia SHOUT i 85258" in shout and "Yn Saesneg yn unig." in shout
    assert "In English only" not in kit.safety_block("en")


def test_always_open_lines_say_any_time(kit: Kit) -> None:
    childline = next(line for line in kit.safety_block("en").splitlines() if "0800 1111" in line)
    assert childline.endswith("Free, any time.")


def test_the_web_chat_buttons_say_all_the_safety_block_says(kit: Kit) -> None:
    """Issue 16 item 5: the web shows the lines once, as buttons, so each button carries
    its line's words (how, hours, language) and the block's heading, 999 and "nobody reads
    this live" stay as the approved wording (SG-01, SG-14)."""
    from admin.webchat.layout import safety

    for region in ("GB-ENG", "GB-WLS"):
        for lang in ("en", "cy"):
            here = _in(kit, region)
            shown, block = safety(here, lang), here.safety_block(lang)
            assert {shown.heading, shown.links[0].label, shown.closing} <= set(
                block.replace("• ", "").splitlines()
            )
            assert shown.links[0].href == "tel:999" and shown.links[0].look == "emergency"
            said = [f"{link.label} {link.note}" for link in shown.links]
            for line in here.helplines.chosen(region, lang):
                notes = here.helpline_notes(line, lang)
                assert any(pick(line.name, lang) in s and notes in s for s in said), line.id
    welsh = {link.href: link for link in safety(_in(kit, "GB-WLS"), "cy").links}
    assert {"tel:08088023456", "sms:84001", "tel:08081640123"} <= set(welsh)
    assert "8yb tan hanner nos" in welsh["sms:84001"].note
    assert welsh["https://www.meic.cymru"].look == "web"  # Meic's online chat
    english = {link.href: link for link in safety(_in(kit, "GB-ENG"), "en").links}
    assert "tel:08088023456" not in english and "tel:08081640123" not in english
    assert english["sms:85258?&body=SHOUT"].label == "Shout: text SHOUT to 85258."


def test_an_unknown_region_is_refused_by_name(kit: Kit) -> None:
    with pytest.raises(ValueError, match="unknown region 'GB-XYZ'"):
        kit.helplines.check_region("GB-XYZ")


def test_a_line_for_an_undeclared_region_is_refused(tmp_path: Path) -> None:
    (tmp_path / "XX.yml").write_text(
        "country: XX\nemergency_number: '112'\nlines:\n"
        "  - {id: kids, role: child_helpline, name: {en: Kids}, phone: '1', hours: always,\n"
        "     answers_in: [en], free: true, verified_on: 2026-12-01, verified_by: me}\n"
        "  - {id: north, role: text_line, name: {en: North}, sms: '2', hours: always,\n"
        "     answers_in: [en], regions: [XX-N], free: true, verified_on: 2026-12-01,\n"
        "     verified_by: me}\n"
    )
    with pytest.raises(FlowError, match="line 'north': unknown region XX-N"):
        load_helplines("XX", tmp_path)
