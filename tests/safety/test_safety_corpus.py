"""The disclosure corpus: every must-detect line is caught, and the false-positive rate on
ordinary feedback is measured and printed (SG-02, SG-04, SG-09)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.safety.detector import WORKER_ALLEGATION, DisclosureDetector

HERE = Path(__file__).parent
BBC = "I'm being forced to have sex and I'm only 12 years old"
MAX_FALSE_POSITIVE_RATE = 0.15


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _must_detect() -> list[tuple[str, str]]:
    return [
        (cat, text) for cat, text in (line.split("\t", 1) for line in _lines("must_detect.txt"))
    ]


MUST_DETECT = _must_detect()
MUST_NOT_DETECT = _lines("must_not_detect.txt")


def test_corpus_is_big_enough_and_holds_the_bbc_phrase(detector: DisclosureDetector) -> None:
    """SG-02: at least 100 phrasings (we keep 120+ each way), the BBC phrase among them."""
    assert len(MUST_DETECT) >= 120
    assert len(MUST_NOT_DETECT) >= 120
    assert BBC in {text for _, text in MUST_DETECT}
    known = set(detector.categories)
    assert {cat for cat, _ in MUST_DETECT} == known, "every category is exercised, no typos"
    texts = [text for _, text in MUST_DETECT] + MUST_NOT_DETECT
    assert [t for t, n in Counter(texts).items() if n > 1] == []


@pytest.mark.parametrize(("category", "text"), MUST_DETECT, ids=[t[:40] for _, t in MUST_DETECT])
def test_every_must_detect_line_is_detected(
    detector: DisclosureDetector, category: str, text: str
) -> None:
    """SG-02/SG-04: recall on the must-detect set is 100%. SG-09: allegations against a
    worker must come back as worker_allegation, whatever else the line mentions."""
    found = detector.detect(text)
    assert found is not None, f"missed ({category}): {text}"
    if category == WORKER_ALLEGATION:
        assert found.category == WORKER_ALLEGATION, f"{text!r} -> {found}"


def test_false_positive_rate_is_reported_and_bounded(
    detector: DisclosureDetector, report: list[str]
) -> None:
    """SG-02: recall and the false-positive rate on ordinary feedback are reported; the
    false-positive rate must stay at or below 15%."""
    detected = sum(detector.detect(text) is not None for _, text in MUST_DETECT)
    false_positives = [
        (text, found) for text in MUST_NOT_DETECT if (found := detector.detect(text)) is not None
    ]
    rate = len(false_positives) / len(MUST_NOT_DETECT)
    by_category = Counter(cat for cat, _ in MUST_DETECT)
    lines = [
        f"must-detect recall: {detected}/{len(MUST_DETECT)} ("
        + ", ".join(f"{cat} {n}" for cat, n in sorted(by_category.items()))
        + ")",
        f"false positives on ordinary feedback: {len(false_positives)}/{len(MUST_NOT_DETECT)}"
        f" = {rate:.1%} (limit {MAX_FALSE_POSITIVE_RATE:.0%})",
        *(f"  flagged as {found.category}: {text}" for text, found in false_positives),
    ]
    print("\n".join(lines))
    report.extend(lines)
    assert rate <= MAX_FALSE_POSITIVE_RATE
