"""A theme is named on evidence, not on any passing word (issue 6, framework themes).

Managers read theme counts instead of raw comments (SDC-11), so a count must mean that young
people said something specific: one strong cue or two distinct weak ones, at most two themes
a comment, and generic praise ("great staff") counted under no theme.
"""

from pathlib import Path

import pytest
import yaml

from themes.framework import MAX_TAGS, ThemeTag, ThemeTagger
from themes.lexicon import THEME_IDS, LexiconError, load_lexicon


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger.load()


def _themes(tags: list[ThemeTag]) -> list[str]:
    return [t.theme for t in tags]


@pytest.mark.parametrize(
    "text",
    ["great staff", "all good", "excellent service", "best worker ever",
     "thank you for everything", "she's lovely", "he is so helpful", "nothing, shes amazing"],
)
def test_generic_praise_names_no_theme(tagger: ThemeTagger, text: str) -> None:
    assert tagger.tag(text) == []


def test_one_weak_cue_is_not_enough_but_two_distinct_ones_are(tagger: ThemeTagger) -> None:
    assert tagger.tag("she is lovely") == []
    assert _themes(tagger.tag("she is lovely and so helpful")) == ["manner"]


def test_a_weak_cue_said_twice_counts_once(tagger: ThemeTagger) -> None:
    assert tagger.tag("she is lovely, really really lovely") == []
    # "listens" twice is one strong cue (2), so manner's strong "kind" and weak "lovely" (3)
    # lead; were each "listen" counted, heard would have 4 and lead.
    tags = tagger.tag("she listens, she listened, she is kind and lovely")
    assert _themes(tags) == ["manner", "heard"]


def test_one_strong_cue_is_enough(tagger: ThemeTagger) -> None:
    assert _themes(tagger.tag("she was rude")) == ["manner"]
    assert _themes(tagger.tag("keeps cancelling")) == ["reliability"]


def test_at_most_two_themes_best_evidenced_first(tagger: ThemeTagger) -> None:
    """Heard has two strong cues; reliability and communication one each."""
    tags = tagger.tag("she listens and hears me out, never cancels and explains stuff")
    assert len(tags) == MAX_TAGS == 2
    assert _themes(tags) == ["heard", "reliability"]


def test_evidence_outranks_word_coverage(tagger: ThemeTagger) -> None:
    """One three-word cue ("takes the time") loses to two one-word cues for the main theme."""
    tags = tagger.tag("she takes the time to talk, and we do gym and football")
    assert _themes(tags) == ["activities", "time"]


def _lexicon(tmp_path: Path, heard: dict, **top: object) -> Path:
    themes = {t: {"label": t, "description": t, "topic": [t]} for t in THEME_IDS}
    themes["heard"] = {"label": "h", "description": "h", **heard}
    raw = {"version": 1, "negators": ["not"], "complaint_cues": ["should"],
           "people": ["she"], "themes": themes, **top}
    path = tmp_path / "lexicon.yml"
    path.write_text(yaml.safe_dump(raw), "utf-8")
    return path


def test_tilde_marks_a_weak_cue(tmp_path: Path) -> None:
    tagger = ThemeTagger.load(_lexicon(tmp_path, {"praise": ["~nods", "~smiles", "hears me"]}))
    assert tagger.tag("she nods") == []
    assert _themes(tagger.tag("she nods and smiles")) == ["heard"]
    assert _themes(tagger.tag("she hears me")) == ["heard"]


def test_word_sets_expand_into_phrase_slots(tmp_path: Path) -> None:
    path = _lexicon(tmp_path, {"praise": ["talks to @kin|friends"]},
                    word_sets={"kin": ["mum", "nan"]})
    tagger = ThemeTagger.load(path)
    for text in ("she talks to nan", "talks to mum", "talks to friends"):
        assert _themes(tagger.tag(text)) == ["heard"], text
    assert tagger.tag("talks to teachers") == []


@pytest.mark.parametrize(
    ("heard", "top", "message"),
    [
        ({"praise": ["talks to @kin"]}, {}, r"heard': praise\[0\]: .*no word set 'kin'"),
        ({"praise": ["x"]}, {"word_sets": {"kin": ["big sister"]}},
         r"word_sets 'kin': must be a list of single words"),
        ({"praise": ["x"]}, {"word_sets": ["kin"]}, r"'word_sets' must be a mapping"),
    ],
)
def test_malformed_word_sets_are_refused(
    tmp_path: Path, heard: dict, top: dict, message: str
) -> None:
    with pytest.raises(LexiconError, match=message):
        load_lexicon(_lexicon(tmp_path, heard, **top))
