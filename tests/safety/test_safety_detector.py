"""Unit tests for the disclosure detector: normalisation, word boundaries, category
order (SG-09) and loud, precise errors for a broken phrase file (SG-04)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.safety.detector import WORKER_ALLEGATION, DisclosureDetector
from flows.safety.normalise import Normaliser
from flows.safety.phrasebook import PhraseFileError

ALIASES = {"im": "i am", "kms": "kill myself", "wanna": "want to", "i'll": "i will"}


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("I\u2019m NOT s a f e!!", "i am not safe"),
        ("k1ll mys3lf", "kill myself"),
        ("kmsss", "kill myself"),
        ("wannaaaa", "want to"),
        ("ra\u200bpe", "rape"),
        ("Zo\u00eb's caf\u00e9", "zoes cafe"),
        ("im only 12 \U0001f62d", "i am only 12"),
        ("sooooo tired", "soo tired"),
        ("i'll tell", "i will tell"),
        ("ill today", "ill today"),
        ("", ""),
    ],
)
def test_normalise(raw: str, canonical: str) -> None:
    assert Normaliser(ALIASES)(raw) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "my therapist is good",
        "i learned a new skill",
        "we played assassin's creed",
        "the killer game was class",
        "we ate grapes on the trip",
        "she hit me up on snap",
        "my worker beat me at pool",
        "",
        "!!! ...",
    ],
)
def test_word_boundaries_and_idioms_are_not_detections(
    detector: DisclosureDetector, text: str
) -> None:
    """SG-02 negative set in miniature: "rapist" is not inside "therapist", and so on."""
    assert detector.detect(text) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("kms", "self_harm"),
        ("honestly just wanna unalive myself", "self_harm"),
        ("i wanna dieeee", "self_harm"),
        ("ppl at school keep hitting me", "violence"),
        ("ma step dad hits me", "abuse"),
        ("I'm being forced to have sex and I'm only 12 years old", "sexual_harm"),
        ("im not safe", "unsafe"),
    ],
)
def test_text_speak_reaches_its_category(
    detector: DisclosureDetector, text: str, category: str
) -> None:
    found = detector.detect(text)
    assert found is not None and found.category == category


def test_worker_allegation_is_checked_first(detector: DisclosureDetector) -> None:
    """SG-09: the worker harming the young person wins over the generic categories, but a
    worker merely mentioned next to someone else's harm does not."""
    assert detector.categories[0] == WORKER_ALLEGATION
    found = detector.detect("my worker hit me and i feel suicidal")
    assert found is not None and found.category == WORKER_ALLEGATION
    found = detector.detect("my worker said my dad hit me")
    assert found is not None and found.category == "abuse"
    assert detector.detect("my worker would never hurt me") is None


def test_detection_names_the_phrase_file_entry(detector: DisclosureDetector) -> None:
    found = detector.detect("KMS")
    assert found is not None
    assert (found.category, found.phrase) == ("self_harm", "kill myself")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "phrases.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_custom_phrase_file_can_be_loaded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "aliases: {pls: please}\n"
        "macros: {WHO: [he, she]}\n"
        "categories:\n"
        "  - name: test\n"
        "    phrases: [help me please]\n"
        "    patterns: ['\\b{WHO} scares me\\b']\n",
    )
    detector = DisclosureDetector.load(path)
    assert detector.categories == ("test",)
    assert detector.detect("help me pls") is not None
    found = detector.detect("she scares me")
    assert found is not None and found.phrase == "\\b{WHO} scares me\\b"
    assert detector.detect("nothing here") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "categories:\n  - name: abuse\n    patterns: ['ok', '(unclosed']\n",
            r"categories\[0\] \(abuse\) pattern '\(unclosed': bad regex",
        ),
        (
            "categories:\n  - name: abuse\n    patterns: ['{NOPE} hit']\n",
            r"categories\[0\] \(abuse\) pattern '\{NOPE\} hit': unknown macro \{NOPE\}",
        ),
        (
            "categories:\n  - name: abuse\n    patterns: ['(?:x)?']\n",
            r"pattern '\(\?:x\)\?': matches empty text",
        ),
        ("categories:\n  - name: abuse\n    phrases: ['!!!']\n", r"phrase '!!!': is empty"),
        ("categories: []\n", r"'categories' must be a non-empty list"),
        ("categories:\n  - name: a\n    phrases: [x]\n  - name: a\n    phrases: [y]\n", "twice"),
        ("categories:\n  - name: a\n", r"\(a\): has no phrases or patterns"),
        ("aliases: [x]\ncategories: []\n", "aliases: expected a mapping"),
        ("categories: [\n", "not valid YAML"),
        ("version: 2\ncategories: []\n", "unsupported version 2"),
    ],
)
def test_a_broken_phrase_file_fails_naming_the_entry(
    tmp_path: Path, body: str, message: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(PhraseFileError, match=message) as caught:
        DisclosureDetector.load(path)
    assert str(path) in str(caught.value)
