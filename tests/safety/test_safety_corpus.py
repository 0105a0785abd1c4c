"""The safety corpus (issue 9; SG-02, SG-04, SG-09): figures for both splits are printed in
the test summary, by kind and by language, and the held-out split, never tuned on or
trained on, must meet the targets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from flows.loader import load_flows
from flows.safety.detector import WORKER_ALLEGATION, DisclosureDetector
from tests.safety.corpus import HELD_OUT, TUNING, Line, Tally, digest, measure, read

ROOT = Path(__file__).resolve().parents[2]
BBC = "I'm being forced to have sex and I'm only 12 years old"
TARGETS = {"noticed": 0.95, "clear": 0.85, "asked": 0.10, "paused": 0.03}

TUNE = read(TUNING)
HELD = read(HELD_OUT)


def _new(lines: list[Line]) -> list[Line]:
    """Lines written for issue 9 (the first corpus's lines are tagged "legacy")."""
    return [line for line in lines if line.register != "legacy"]


def test_the_corpus_is_big_enough_tagged_and_split(detector: DisclosureDetector) -> None:
    """At least 1,000 disclosures and 800 ordinary lines written for issue 9, Welsh among
    them; every line tagged; the BBC phrase kept (SG-02); the splits share no line."""
    lines = _new(TUNE) + _new(HELD)
    count = Counter((line.expect, line.lang) for line in lines)
    assert count["notice", "en"] + count["notice", "cy"] >= 1000
    assert count["not", "en"] + count["not", "cy"] >= 800
    assert count["notice", "cy"] >= 150 and count["not", "cy"] >= 120
    assert BBC in {line.text for line in TUNE}
    known = set(detector.categories)
    for line in TUNE + HELD:
        assert line.expect in ("notice", "not"), line
        assert line.lang in ("en", "cy"), line
        if line.expect == "notice":
            assert line.kind in known and line.tier in ("clear", "possible"), line
        else:
            assert line.kind in known | {"none"} and line.tier == "-", line
    assert {line.kind for line in HELD if line.expect == "notice"} == known
    texts = [line.text.casefold() for line in TUNE + HELD]
    assert [t for t, n in Counter(texts).items() if n > 1] == []
    # A fifth held out (a little less now: lines added to the tuning split since), none of
    # it from the first corpus the old phrases were written from.
    assert 0.15 <= len(HELD) / len(lines) <= 0.21
    assert all(line.register != "legacy" for line in HELD)


def test_the_model_was_trained_on_the_tuning_split_as_it_stands() -> None:
    """The shipped model records the tuning split it was trained on; the trainer never
    opens the held-out split."""
    model = json.loads((ROOT / "flows/safety/model.json").read_text(encoding="utf-8"))
    assert model["corpus_sha256"] == digest(TUNING), (
        "corpus changed: run .venv/bin/python scripts/train_safety_model.py"
    )
    trainer = (ROOT / "scripts/train_safety_model.py").read_text(encoding="utf-8")
    assert "HELD_OUT" not in trainer and "corpus_heldout" not in trainer


def _tier(detector: DisclosureDetector, text: str) -> str | None:
    found = detector.detect(text)
    return None if found is None else found.tier


def _report(name: str, total: Tally, slices: dict[str, Tally], report: list[str]) -> None:
    report.append(f"{name}: {total.describe()}")
    report.extend(f"  {key}: {tally.describe()}" for key, tally in slices.items())


@pytest.mark.parametrize(("name", "lines"), [("tuning split", TUNE), ("held-out split", HELD)])
def test_figures_for_both_splits(
    detector: DisclosureDetector, report: list[str], name: str, lines: list[Line]
) -> None:
    """Noticed (clear or possible), clear alone, ordinary lines that got the calm question
    and ordinary lines that paused, for the whole split, by kind and by language. The
    targets are asserted on the held-out split: the tuning split measures only how well
    the phrases fit the lines they were written from."""
    total, slices, _ = measure(lines, lambda text: _tier(detector, text))
    _report(name, total, slices, report)
    if name == "held-out split":
        assert total.rate("noticed") >= TARGETS["noticed"]
        assert total.rate("clear") >= TARGETS["clear"]
        assert total.rate("asked") <= TARGETS["asked"]
        assert total.rate("paused") <= TARGETS["paused"]


def test_worker_concerns_are_clear_and_routed_as_such(
    detector: DisclosureDetector, report: list[str]
) -> None:
    """SG-09: a concern about a worker pauses and is filed as worker_allegation, so it can
    go to the DSL and never into that worker's team themes. Routing is printed for both
    splits and asserted on the tuning split (it is not one of issue 9's targets)."""
    for name, lines in (("tuning", TUNE), ("held-out", HELD)):
        worker = [
            line for line in lines if line.expect == "notice" and line.kind == WORKER_ALLEGATION
        ]
        found = [detector.detect(line.text) for line in worker]
        routed = sum(f is not None and f.category == WORKER_ALLEGATION for f in found)
        report.append(
            f"worker concerns routed as worker_allegation ({name}): {routed}/{len(worker)}"
        )
        assert all(f is None or f.category != WORKER_ALLEGATION or f.tier == "clear" for f in found)
        if name == "tuning":
            assert routed / len(worker) >= 0.95


def test_every_language_a_question_set_offers_has_safety_coverage(
    detector: DisclosureDetector,
) -> None:
    """A question set in a language the detector has no phrases or corpus lines for would
    leave those young people with no safety net beyond the universal block."""
    offered = {lang for flow in load_flows().values() for lang in flow.languages}
    assert offered
    corpus = Counter((line.lang, line.expect) for line in TUNE + HELD)
    for lang in sorted(offered):
        assert lang in detector.languages, f"no phrases for language {lang!r}"
        assert corpus[lang, "notice"] and corpus[lang, "not"], f"no corpus lines in {lang!r}"
