"""The web page's own words follow the same rules as the engine's (SG-05 no secrecy
promises, SG-03 no praise, CC-11 no engagement tricks), in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from admin.webchat.privacy import load_notices
from admin.webchat.wording import Wording, WordingError
from flows.kit import Kit
from tests.engine.test_copy_rules import (
    ENGAGEMENT_DENY,
    GUILT_DENY,
    PRAISE_DENY,
    SECRECY_DENY,
)

_SHARED = {"org_name": "Org", "k": "10", "ttl_hours": "24"}
VALUES = {
    "en": {**_SHARED, "retention": "2 years"},
    "cy": {**_SHARED, "retention": "dwy flynedd"},
}


# Every placeholder web wording has (the /news page's too), with neutral values.
FILL = {"number": "1", "name": "x", "org_name": "x", "said": "x", "did": "x"}
FILL |= {"first": "x", "last": "x", "year": "2026", "max": "500", "left": "9"}


def _all_texts(kit: Kit) -> list[tuple[str, str]]:
    languages = kit.copy.languages
    wording = Wording.load(languages)
    out = [
        (f"{key} [{lang}]", wording.t(key, lang, **FILL))
        for key in wording.strings
        for lang in languages
    ]
    for lang, notice in load_notices(languages, VALUES).items():
        out += [(f"privacy [{lang}]", text) for text in (notice.title, notice.intro)]
        out += [(f"privacy [{lang}]", p) for s in notice.sections for p in (s.heading, *s.points)]
    return out


@pytest.mark.parametrize(
    "deny",
    [PRAISE_DENY, SECRECY_DENY, ENGAGEMENT_DENY, GUILT_DENY],
    ids=["SG-03 praise", "SG-05 secrecy", "CC-11 engagement", "CC-21 guilt"],
)
def test_no_forbidden_phrases(kit: Kit, deny: tuple[str, ...]) -> None:
    texts = _all_texts(kit)
    assert len(texts) > 60
    for where, text in texts:
        assert not any(re.search(rf"\b{re.escape(p)}\b", text.lower()) for p in deny), where


def test_every_key_is_in_every_language(tmp_path: Path) -> None:
    broken = tmp_path / "wording.yml"
    broken.write_text("quick_exit: {en: Quick exit}\n", encoding="utf-8")
    with pytest.raises(WordingError, match="'quick_exit' has no cy text"):
        Wording.load(["en", "cy"], broken)


def test_the_notice_has_the_same_sections_in_every_language(tmp_path: Path) -> None:
    lopsided = tmp_path / "privacy.yml"
    lopsided.write_text(
        "en: {title: T, intro: I, sections: [{heading: H, points: [p]}]}\n"
        "cy: {title: T, intro: I, sections: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="different sections"):
        load_notices(["en", "cy"], VALUES, lopsided)
