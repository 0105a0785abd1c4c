"""Engine benchmark: whole check-ins through the pure `step` function on one core.

Prints steps per second for button taps and for a whole check-in with typed words, beside
the floor for typed words: the disclosure detector and the scrubber alone on the same
words, which every step that takes text must pay whatever the engine does.
Run: .venv/bin/python bench/engine.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from flows import engine
from flows.inputs import Choose, Command, Input, Start, Text
from flows.kit import Kit
from flows.loader import load_copy, load_flows, load_helplines
from flows.safety.detector import DisclosureDetector
from flows.scrub.scrubber import Scrubber

CHECKIN: list[Input] = [
    Start(context=(("invite", "i"), ("team", "t"), ("worker", ""))),
    Choose("intro", "next"),
    Choose("trust", "4"),
    Choose("relatability", "5"),
    Choose("heard", "3"),
    Choose("power", "skip"),
    Choose("agency", "pns"),
    Choose("aliveness", "4"),
    Text("She actually listens and helps me sort out college stuff"),
    Text("keeps changing the time we meet"),
    Command("skip"),
    Choose("review", "send"),
]


def build_kit() -> Kit:
    detector = DisclosureDetector.load()
    scrubber = Scrubber.load(staff_names=["Priya Sharma", "Dave Okafor"])
    return Kit(
        copy=load_copy(),
        helplines=load_helplines("GB"),
        detect=detector.detect,
        scrub=lambda t: scrubber.scrub(t).text,
        names={
            "org_name": "Bench",
            "with_org": {"en": "Bench", "cy": "â Bench"},
            "retention": {"en": "2 years", "cy": "dwy flynedd"},
            "privacy_url": "http://x",
            "concern_contact": "x",
        },
    )


def measure(run_once: Callable[[], int], seconds: float) -> float:
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        steps += run_once()
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    kit = build_kit()
    flow = load_flows()["relationship-checkin"]
    buttons = [i for i in CHECKIN if not isinstance(i, Text)]

    def conversation(inputs: list[Input]) -> Callable[[], int]:
        def once() -> int:
            state = None
            for inp in inputs:
                state = engine.step(flow, state, inp, kit).state
            return len(inputs)

        return once

    words = [i.text for i in CHECKIN if isinstance(i, Text)]

    def filters_only() -> int:
        for text in words:
            kit.detect(text)
            kit.scrub(text)
        return len(CHECKIN)

    taps = measure(conversation(buttons), seconds)
    mixed = measure(conversation(CHECKIN), seconds)
    floor = measure(filters_only, seconds)
    print(f"{'what':44} {'steps/s':>12}")
    print(f"{'engine, button taps only':44} {taps:12,.0f}")
    print(f"{'engine, full check-in with typed words':44} {mixed:12,.0f}")
    print(f"{'floor: detector + scrubber on the same words':44} {floor:12,.0f}")
    print(f"target >= 20,000 steps/s: {'met' if mixed >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
