"""Framework theme tagging in young people's words (issue 6, framework themes).

Themes are produced on the machine from a packaged lexicon, with no external service
(CC-17). Golden cases live in golden_tags.yml beside this file, so a reviewer reads
behaviour changes as a diff of expectations.
"""

from pathlib import Path

import pytest
import yaml

from themes.framework import ThemeTag, ThemeTagger
from themes.lexicon import THEME_IDS, LexiconError, load_lexicon

GOLDEN = yaml.safe_load((Path(__file__).with_name("golden_tags.yml")).read_text("utf-8"))


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger.load()


def _tags(tags: list[ThemeTag]) -> list[str]:
    return [f"{t.theme}/{t.polarity}" for t in tags]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["text"] for c in GOLDEN])
def test_golden_tags(tagger: ThemeTagger, case: dict) -> None:
    """CC-17: each golden comment gets exactly its expected themes, polarities and order."""
    assert _tags(tagger.tag(case["text"], question=case["question"])) == case["tags"]


def test_golden_cases_cover_both_polarities_of_every_theme() -> None:
    """Every framework theme has a golden case for what helps and for what would be better."""
    covered = {tag for case in GOLDEN for tag in case["tags"]}
    missing = [
        f"{theme}/{polarity}"
        for theme in THEME_IDS
        for polarity in ("helps", "better")
        if f"{theme}/{polarity}" not in covered
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doesn't listen", "heard/better"),
        ("doesnt really listen", "heard/better"),
        ("she never listens to me", "heard/better"),
        ("she listens to me", "heard/helps"),
        ("she doesn't judge me and listens", "manner/helps"),
        ("she's never late", "reliability/helps"),
        ("never cancels", "reliability/helps"),
    ],
)
def test_negation_flips_polarity(tagger: ThemeTagger, text: str, expected: str) -> None:
    """A negator shortly before a phrase flips it; "and" ends its reach."""
    assert expected in _tags(tagger.tag(text))


def test_negation_does_not_reach_past_and(tagger: ThemeTagger) -> None:
    assert _tags(tagger.tag("she doesn't judge me and listens", question="tell")) == [
        "manner/helps",
        "heard/helps",
    ]


def test_question_decides_polarity_when_known(tagger: ThemeTagger) -> None:
    """Answers to "what would make it better" are "better" even when the words praise."""
    assert _tags(tagger.tag("she listens", question="better")) == ["heard/better"]
    assert _tags(tagger.tag("she listens", question="helps")) == ["heard/helps"]
    assert _tags(tagger.tag("she listens", question="tell")) == ["heard/helps"]


def test_unknown_question_is_refused(tagger: ThemeTagger) -> None:
    with pytest.raises(ValueError, match="question must be one of"):
        tagger.tag("she listens", question="what helps")


def test_main_theme_comes_first(tagger: ThemeTagger) -> None:
    """The theme covering most words leads, so tags[0] is what the comment is mostly about."""
    text = "the gym trips and the football are the best, she is kind"
    assert [t.theme for t in tagger.tag(text)] == ["activities", "manner"]


def test_exclusions_stop_a_word_in_another_sense(tagger: ThemeTagger) -> None:
    """Listening to music is an activity, not being heard; a car park is not a park."""
    assert _tags(tagger.tag("i listen to music in the car park")) == ["activities/helps"]
    assert tagger.tag("i sit in the car park") == []
    assert tagger.tag("excellent care") == []  # "care" is not "caring"


def test_tags_are_frozen_values() -> None:
    tag = ThemeTag("heard", "helps")
    assert tag == ThemeTag("heard", "helps")
    with pytest.raises(AttributeError):
        tag.theme = "manner"  # type: ignore[misc]


def test_packaged_lexicon_has_every_framework_theme() -> None:
    assert tuple(spec.id for spec in load_lexicon().themes) == THEME_IDS


def _write_lexicon(tmp_path: Path, heard: object) -> Path:
    themes = {t: {"label": t, "description": t, "topic": [t]} for t in THEME_IDS}
    themes["heard"] = heard
    raw = {"version": 1, "negators": ["not"], "complaint_cues": ["should"],
           "people": ["she"], "themes": themes}
    path = tmp_path / "lexicon.yml"
    path.write_text(yaml.safe_dump(raw), "utf-8")
    return path


def test_load_uses_a_lexicon_file_given_by_path(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, {"label": "h", "description": "h", "praise": ["hears me"]})
    tagger = ThemeTagger.load(path)
    assert _tags(tagger.tag("she hears me", question="tell")) == ["heard/helps"]
    assert tagger.tag("she listens") == []


@pytest.mark.parametrize(
    ("heard", "message"),
    [
        ({"label": "h", "description": "h", "praise": ["* hears"]},
         r"lexicon theme 'heard': praise\[0\]: pattern '\* hears': must have a word first"),
        ({"label": "h", "description": "h", "praise": [7]},
         r"lexicon theme 'heard': praise\[0\]: must be a string, got 7"),
        ({"label": "h", "description": "h", "praises": ["x"]},
         r"lexicon theme 'heard': unknown keys \['praises'\]"),
        ({"label": "", "description": "h", "praise": ["x"]},
         r"lexicon theme 'heard': 'label' must be a non-empty string"),
        ({"label": "h", "description": "h"},
         r"lexicon theme 'heard': needs at least one phrase list"),
    ],
)
def test_malformed_lexicon_errors_name_the_place(
    tmp_path: Path, heard: object, message: str
) -> None:
    with pytest.raises(LexiconError, match=message):
        ThemeTagger.load(_write_lexicon(tmp_path, heard))


def test_lexicon_must_list_exactly_the_framework_themes(tmp_path: Path) -> None:
    path = _write_lexicon(tmp_path, {"label": "h", "description": "h", "praise": ["x"]})
    raw = yaml.safe_load(path.read_text("utf-8"))
    raw["themes"]["gossip"] = raw["themes"].pop("family")
    path.write_text(yaml.safe_dump(raw), "utf-8")
    with pytest.raises(LexiconError, match=r"missing \['family'\], unknown \['gossip'\]"):
        load_lexicon(path)
