"""Reading age (CC-09): young people aged about 11 can read every string. English is
measured with Flesch-Kincaid; Welsh has no validated formula, so sentence length stands in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from admin.webchat.wording import Wording
from flows.approvals import strings
from flows.kit import Kit
from flows.model import Flow
from flows.readability import fk_grade, longest_sentence, mean_sentence, sentences
from tests.conftest import figures

PRIVACY = Path(__file__).resolve().parents[2] / "admin" / "webchat" / "privacy.yml"
MAX_GRADE = 6.0  # the whole conversation, English
MAX_GRADE_ONE = 9.0  # any one English string of 8 words or more
MAX_WORDS = 25  # any one sentence in the conversation, every language
MAX_WORDS_NOTICE = 28  # any one sentence of the full privacy notice


def texts(checkin: Flow, kit: Kit, lang: str) -> dict[str, str]:
    out = {s: by_lang[lang] for s, by_lang in strings(kit.copy, {checkin.id: checkin}).items()}
    wording = Wording.load(kit.copy.languages)
    out |= {f"web.{key}": text[lang] for key, text in wording.strings.items()}
    return out


def notice(lang: str) -> dict[str, str]:
    data = yaml.safe_load(PRIVACY.read_text(encoding="utf-8"))[lang]
    return {
        f"privacy.{i}.{j}": point
        for i, section in enumerate(data["sections"])
        for j, point in enumerate(section["points"])
    }


def test_english_reads_at_grade_six(
    checkin: Flow, kit: Kit, request: pytest.FixtureRequest
) -> None:
    english = texts(checkin, kit, "en") | notice("en")
    overall = fk_grade("\n".join(english.values()))
    long_enough = {
        where: fk_grade(text)
        for where, text in english.items()
        if sum(len(s) for s in sentences(text)) >= 8
    }
    easy = sum(1 for grade in long_enough.values() if grade is not None and grade <= MAX_GRADE)
    worst = sorted(long_enough.items(), key=lambda item: -(item[1] or 0))[:3]
    figures(request.config, "Reading age (CC-09)").extend(
        [
            f"English Flesch-Kincaid grade, everything: {overall:.1f} (target <= {MAX_GRADE})",
            f"English strings of 8+ words at grade <= 6: {easy}/{len(long_enough)}",
            "hardest: " + ", ".join(f"{where} {grade:.1f}" for where, grade in worst if grade),
        ]
    )
    assert overall is not None and overall <= MAX_GRADE
    too_hard = {w: g for w, g in long_enough.items() if g is not None and g > MAX_GRADE_ONE}
    assert too_hard == {}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_sentences_stay_short(
    checkin: Flow, kit: Kit, lang: str, request: pytest.FixtureRequest
) -> None:
    chat, full = texts(checkin, kit, lang), notice(lang)
    everything = "\n".join([*chat.values(), *full.values()])
    figures(request.config, "Reading age (CC-09)").append(
        f"{lang}: mean sentence {mean_sentence(everything):.1f} words; longest in the chat "
        f"{max(longest_sentence(t) for t in chat.values())}, in the notice "
        f"{max(longest_sentence(t) for t in full.values())}"
    )
    assert {w: n for w, t in chat.items() if (n := longest_sentence(t)) > MAX_WORDS} == {}
    assert {w: n for w, t in full.items() if (n := longest_sentence(t)) > MAX_WORDS_NOTICE} == {}


def test_the_measures_tell_hard_from_easy() -> None:
    easy = "You can stop at any time. Nobody reads this chat."
    hard = (
        "Notwithstanding contractual obligations, organisational accountability "
        "necessitates comprehensive documentation of processing activities."
    )
    assert (fk_grade(easy) or 0) < 3 < 15 < (fk_grade(hard) or 0)
    assert longest_sentence("Un. Dau dri pedwar.") == 3
