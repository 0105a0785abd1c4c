"""A reader of published cells, written from the rules' plain meaning, not the gateway's code.

Given what a page prints for a group, it lists every count a careful reader could not rule
out, then brute-forces all combinations: the independent check on `audit.py` (SDC-04/05).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from fractions import Fraction


def margin(base: int) -> int:
    return max(1, base // 10)


def could_be(text: str, n: int, base: int) -> bool:
    """Could n out of base have been printed as `text`? (A share hidden by the auditor,
    issue 10, says nothing.)"""
    if text.startswith("hidden"):
        return True
    low, high = margin(base), base - margin(base)
    if m := re.fullmatch(r"(\d+)%", text):
        pct = int(m[1])
        if pct in (0, 100):
            return n == (0 if pct == 0 else base)
        exact = Fraction(100 * n, base)
        rounds = pct - Fraction(1, 2) <= exact < pct + Fraction(1, 2)
        clamped = (pct == 1 and 0 < exact < 1) or (pct == 99 and 99 < exact < 100)
        return 0 < n < base and (rounds or clamped)
    five_n = 5 * n
    return {
        "very few": n <= low,
        "almost all": n >= high,
        "some": low < n < high and five_n < 2 * base,
        "about half": low < n < high and 2 * base <= five_n <= 3 * base,
        "most": low < n < high and five_n > 3 * base,
    }[text]


def mean_could_be(text: str, score: int, base: int) -> bool:
    mean = Fraction(text)
    return mean - Fraction(1, 20) <= Fraction(score, base) < mean + Fraction(1, 20)


def gives_away(base: int, truth: Sequence[int], shown: Sequence[str], mean: str | None) -> bool:
    """True if the printed cells prove some answer was given by no one or by everyone."""
    options = [[n for n in range(base + 1) if could_be(t, n, base)] for t in shown]
    seen_nonzero = [False] * len(truth)
    seen_not_all = [False] * len(truth)
    for combo in itertools.product(*options):
        if sum(combo) != base:
            continue
        score = sum(w * n for w, n in enumerate(combo, start=1))
        if mean is not None and not mean_could_be(mean, score, base):
            continue
        for i, n in enumerate(combo):
            seen_nonzero[i] |= n > 0
            seen_not_all[i] |= n < base
    return any(
        (t == 0 and not seen_nonzero[i]) or (t == base and not seen_not_all[i])
        for i, t in enumerate(truth)
    )
