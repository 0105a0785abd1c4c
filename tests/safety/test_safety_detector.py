"""Unit tests for the disclosure detector: normalisation, word boundaries, category
order (SG-09), tiers, negation and softening, Welsh mutations, the model's part, and
loud, precise errors for a broken phrase file (SG-04)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.safety.detector import WORKER_ALLEGATION, Detection, DisclosureDetector
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
        ("dwi'n teimlo'n wag drwy'r amser", "dwi yn teimlo yn wag drwy yr amser"),
        ("so bad \U0001f602", "so bad lol"),
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
        ("ma step dad hits me", "harm_at_home"),
        ("I'm being forced to have sex and I'm only 12 years old", "sexual_harm"),
        ("im not safe", "help_request"),
        ("mae fy ngweithiwr yn fy nharo i", WORKER_ALLEGATION),
        ("dwi'n cael fy ngham-drin adra", "harm_at_home"),
        ("dwi isio lladd fy hun", "self_harm"),
        ("ma boi ar snap yn blackmailio fi efo nudes", "online_harm"),
    ],
)
def test_text_speak_reaches_its_category(
    detector: DisclosureDetector, text: str, category: str
) -> None:
    found = detector.detect(text)
    assert found is not None and (found.category, found.tier) == (category, "clear")


@pytest.mark.parametrize(
    "text",
    [
        "he has never hit me",
        "i am not suicidal",
        "no one has ever touched me like that",
        "my dad has never hit me",
        "i have never wanted to kill myself",
        "dydi o ddim yn fy nharo i",
        "i used to self harm but ive been clean for two years now",
        "i was homeless last year but my worker found me a flat and i love it",
        "got shot 20 times at paintball",
        "we did a workshop on county lines and it was good",
        "i was running lines for the school play",
    ],
)
def test_negation_past_harms_and_games_are_not_detections(
    detector: DisclosureDetector, text: str
) -> None:
    assert detector.detect(text) is None


def test_a_harm_that_is_back_is_not_softened(detector: DisclosureDetector) -> None:
    """ "Used to ... now fine" lowers a match; "started again" undoes that."""
    found = detector.detect("i used to self harm and i was fine but it started again")
    assert found is not None and found.tier == "clear"


@pytest.mark.parametrize(
    "text",
    ["i feel hopeless", "things at home are really bad", "i wanna die lol", "im struggling"],
)
def test_worrying_but_uncertain_words_get_the_calm_question(
    detector: DisclosureDetector, text: str
) -> None:
    found = detector.detect(text)
    assert found is not None and found.tier == "possible", found


def test_worker_allegation_is_checked_first(detector: DisclosureDetector) -> None:
    """SG-09: the worker harming the young person wins over the generic categories, but a
    worker merely mentioned next to someone else's harm does not."""
    assert detector.categories[0] == WORKER_ALLEGATION
    found = detector.detect("my worker hit me and i feel suicidal")
    assert found is not None and found.category == WORKER_ALLEGATION
    found = detector.detect("my worker said my dad hit me")
    assert found is not None and found.category == "harm_at_home"
    assert detector.detect("my worker would never hurt me") is None
    # A joke or a game never softens a concern about a worker: it always pauses.
    found = detector.detect("my worker hit me lol")
    assert found is not None and (found.category, found.tier) == (WORKER_ALLEGATION, "clear")


def test_detection_names_the_phrase_file_entry(detector: DisclosureDetector) -> None:
    found = detector.detect("KMS")
    assert found is not None
    assert (found.category, found.phrase, found.tier) == ("self_harm", "kill myself", "clear")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "phrases.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_custom_phrase_file_can_be_loaded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "version: 2\n"
        "aliases: {pls: please}\n"
        "macros: {WHO: [he, she]}\n"
        "negation: ['\\bnever']\n"
        "softeners:\n"
        "  - {name: joke, lower: 1, categories: [test], patterns: ['\\blol\\b']}\n"
        "categories:\n"
        "  - name: test\n"
        "    clear:\n"
        "      en: {phrases: [help me please], patterns: ['\\b{WHO} scares me\\b']}\n"
        "    possible:\n"
        "      cy: {phrases: [ofn]}\n",
    )
    detector = DisclosureDetector.load(path)
    assert detector.categories == ("test",)
    assert detector.languages == {"en", "cy"}
    assert detector.detect("help me pls") == Detection("test", "help me please", "clear")
    found = detector.detect("she scares me")
    assert found is not None and found.phrase == "\\b{WHO} scares me\\b"
    assert detector.detect("she never scares me") is None
    assert detector.detect("help me pls lol") == Detection("test", "help me please", "possible")
    assert detector.detect("mae gen i ofn") == Detection("test", "ofn", "possible")
    assert detector.detect("nothing here") is None


def test_the_model_notices_what_the_phrases_miss(tmp_path: Path) -> None:
    """With a phrase file that knows nothing, the packaged model still notices a plain
    disclosure, and leaves ordinary feedback alone."""
    path = _write(
        tmp_path, "categories:\n  - name: self_harm\n    clear:\n      en: {phrases: [zzz]}\n"
    )
    phrases_only = DisclosureDetector.load(path)
    text = "i keep thinking everyone would be happier if i was gone"
    assert phrases_only.detect(text) is None
    model = Path(__file__).resolve().parents[2] / "flows/safety/model.json"
    with_model = DisclosureDetector.load(path, model=model)
    found = with_model.detect(text)
    assert found is not None and found.phrase == "(model)" and found.category == "self_harm"
    assert with_model.detect("she always helps me with my college work") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "categories:\n  - name: abuse\n    clear:\n      en: {patterns: ['ok', '(unclosed']}\n",
            r"categories\[0\] \(abuse\) clear\.en pattern '\(unclosed': bad regex",
        ),
        (
            "categories:\n  - name: abuse\n    possible:\n      cy: {patterns: ['{NOPE} hit']}\n",
            r"categories\[0\] \(abuse\) possible\.cy pattern '\{NOPE\} hit': unknown macro",
        ),
        (
            "categories:\n  - name: abuse\n    clear:\n      en: {patterns: ['(?:x)?']}\n",
            r"pattern '\(\?:x\)\?': matches empty text",
        ),
        (
            "categories:\n  - name: abuse\n    clear:\n      en: {phrases: ['!!!']}\n",
            r"clear\.en phrase '!!!': is empty",
        ),
        (
            "categories:\n  - name: abuse\n    clear:\n      fr: {phrases: [x]}\n",
            r"clear\.fr: unknown language",
        ),
        ("categories:\n  - name: abuse\n    maybe: {}\n", r"\(abuse\): unknown key 'maybe'"),
        ("categories: []\n", r"'categories' must be a non-empty list"),
        (
            "categories:\n  - name: a\n    clear: {en: {phrases: [x]}}\n"
            "  - name: a\n    clear: {en: {phrases: [y]}}\n",
            "twice",
        ),
        ("categories:\n  - name: a\n", r"\(a\): has no phrases or patterns"),
        (
            "softeners:\n  - {name: s, lower: 3, categories: [a], patterns: [x]}\n"
            "categories:\n  - name: a\n    clear: {en: {phrases: [x]}}\n",
            r"softeners\[0\] \(s\): 'lower' must be 1 or 2",
        ),
        (
            "softeners:\n  - {name: s, lower: 1, categories: [b], patterns: [x]}\n"
            "categories:\n  - name: a\n    clear: {en: {phrases: [x]}}\n",
            r"softeners\[0\] \(s\): unknown or missing categories \['b'\]",
        ),
        (
            "negation: ['(']\ncategories:\n  - name: a\n    clear: {en: {phrases: [x]}}\n",
            r"negation: bad regex",
        ),
        ("aliases: [x]\ncategories: []\n", "aliases: expected a mapping"),
        ("categories: [\n", "not valid YAML"),
        ("version: 1\ncategories: []\n", "unsupported version 1"),
    ],
)
def test_a_broken_phrase_file_fails_naming_the_entry(
    tmp_path: Path, body: str, message: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(PhraseFileError, match=message) as caught:
        DisclosureDetector.load(path)
    assert str(path) in str(caught.value)
