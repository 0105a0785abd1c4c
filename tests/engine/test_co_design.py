"""Co-design (issue 15): "Is there a question we should ask next time?" is a question-set
option an organisation turns on (CO_DESIGN_QUESTION), never asked by default (CC-14,
CC-15); when on, it is the last question, worded and approved like every other."""

from __future__ import annotations

from flows.approvals import load_approvals, strings, unapproved
from flows.kit import Kit
from flows.loader import load_flows
from flows.nodes.text import TextNode
from flows.preview import preview_is_neutral
from flows.readability import fk_grade, longest_sentence
from youthvoice.settings import Settings

CODESIGN = "next_question"


def test_off_by_default_and_last_when_on() -> None:
    default = load_flows()["relationship-checkin"]
    assert CODESIGN not in [n.id for n in default.nodes]
    asked = load_flows(options=("co_design",))["relationship-checkin"]
    questions = [n.id for n in asked.nodes if n.is_question]
    assert questions[-1] == CODESIGN and isinstance(asked.node(CODESIGN), TextNode)
    assert len(asked.nodes) == len(default.nodes) + 1
    assert Settings(_env_file=None).flow_options == ()
    assert Settings(_env_file=None, co_design_question=True).flow_options == ("co_design",)


def test_its_wording_is_approved_short_and_neutral(kit: Kit) -> None:
    """SG-14 approvals, CC-09 reading age and CC-12 previews, as for the default set."""
    asked = load_flows(options=("co_design",))["relationship-checkin"]
    texts = strings(kit.copy, {asked.id: asked})
    mine = {k: v for k, v in texts.items() if CODESIGN in k}
    assert mine and unapproved(mine, load_approvals()) == []
    for by_lang in mine.values():
        for lang, text in by_lang.items():
            assert preview_is_neutral(text) and longest_sentence(text) <= 25, (lang, text)
    grade = fk_grade(asked.node(CODESIGN).text["en"])
    assert grade is not None and grade <= 6.0
