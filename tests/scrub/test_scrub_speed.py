"""Both text filters run on every free-text message, so their cost is measured and
printed. The bounds are loose on purpose: they catch a regex that backtracks
catastrophically, not a slow machine."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.safety.detector import DisclosureDetector
from flows.scrub.scrubber import Scrubber

LABELLED = Path(__file__).with_name("labelled.tsv")
MESSAGES = 1000
HOSTILE = [
    "my worker " * 300,
    "he always " * 300,
    "07700 " * 300,
    "x" * 5000,
    "Sarah Will Hope " * 200,
    "my worker said " + "and then " * 400 + "hit me",
    # Issue 11's cues: addresses, saints' names, self-introductions, schools.
    "14 elm " * 700,
    "st " * 1500,
    "call me " * 600,
    "6th form " * 500,
]


def _sample() -> list[str]:
    texts = [
        line.split("\t")[0]
        for line in LABELLED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return (texts * (MESSAGES // len(texts) + 1))[:MESSAGES]


def test_scrub_and_detect_time_per_thousand_messages(report: list[str]) -> None:
    scrubber = Scrubber.load(staff_names=["Sarah Okafor"], place_names=["Hillside"])
    detector = DisclosureDetector.load()
    messages = _sample()
    started = time.perf_counter()
    for text in messages:
        detector.detect(text)
        scrubber.scrub(text)
    elapsed = time.perf_counter() - started
    line = f"scrub + detect: {elapsed * 1000:.0f} ms per {MESSAGES} messages"
    print(line)
    report.append(line)
    assert elapsed < 5.0


@pytest.mark.parametrize("text", HOSTILE, ids=[t[:15] for t in HOSTILE])
def test_long_hostile_input_stays_fast(text: str) -> None:
    scrubber = Scrubber.load(staff_names=["Sarah Okafor"])
    detector = DisclosureDetector.load()
    started = time.perf_counter()
    detector.detect(text)
    scrubber.scrub(text)
    assert time.perf_counter() - started < 0.5
