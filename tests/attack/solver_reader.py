"""A reader who solves what the pages print, written apart from the gateway's auditor.

It reads only printed text (the cells of every page and export of one period), turns each
into what its plain meaning allows (README: disclosure control), adds what anyone knows
about the data's shape, and asks HiGHS, as an integer program, for the range of each true
count behind a hidden or banded cell. It shares no code with `reports/gateway/auditor.py`
or `book.py`: the two were written from the same rules, so a blind spot would have to be
made twice.

What the reader knows besides the page: every young person answered, skipped or preferred
not to say each item; a theme's count is at most its team's young people; safety "sent"
is the number of young people; with noise on, the p-table (a published count is within 2
of the true one, never below 0) and that the organisation's figure is the sum of the
published figures of its teams with anyone in them (the reader is told which teams those
are: a stronger reader than any real one).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

INF = highspy.kHighsInf
Lin = dict[int, float]
BANDS = ("very few", "some", "about half", "most", "almost all")


@dataclass
class Reader:
    k: int
    lows: list[float] = field(default_factory=list)
    rows: list[tuple[Lin, float, float]] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)

    def new(self, truth: int) -> int:
        self.truth.append(truth)
        return len(self.truth) - 1

    def say(self, lin: Lin, lo: float, hi: float) -> None:
        self.rows.append(({v: c for v, c in lin.items() if c}, lo, hi))

    def value(self, lin: Lin) -> int:
        return round(sum(c * self.truth[v] for v, c in lin.items()))

    # --- the meaning of printed text

    def count(
        self, text: str, pub: Lin, true: Lin, exact: bool, group_shown: bool, group: Lin
    ) -> None:
        """A count: digits (the published count, exact or rounded to 5, never printed
        under k; and the true one is at least k), "fewer than k" (the true count), or
        "hidden to protect another group" (the count, or if its whole group is hidden, the
        group, is at least k)."""
        if text.isdigit():
            v = int(text)
            low, high = (v, v) if exact else (v - 2, v + 2)
            self.say(pub, -INF if low <= self.k else low, high)
            self.say(true, self.k, INF)
        elif text == f"fewer than {self.k}":
            self.say(true, -INF, self.k - 1)
        elif text == "hidden to protect another group":
            self.say(true if group_shown else group, self.k, INF)

    def share(self, text: str, n: Lin, base: Lin, base_range: tuple[int, int]) -> None:
        """A share of those who answered: a whole percent (1 and 99 for near-none and
        near-all) or a word band, whose end bands cover at least one young person."""
        if m := re.fullmatch(r"(\d+)%", text):
            p = int(m[1])
            if p == 0:
                self.say(n, 0, 0)
            elif p == 100:
                self.say(_sub(n, base), 0, 0)
            else:
                self.say(n, 1, INF)
                self.say(_sub(n, base), -INF, -1)
                if p > 1:  # 200 n >= (2p - 1) base
                    self.say(_sub(_mul(n, 200), _mul(base, 2 * p - 1)), 0, INF)
                if p < 99:  # 200 n < (2p + 1) base
                    self.say(_sub(_mul(n, 200), _mul(base, 2 * p + 1)), -INF, -1)
            return
        if text not in BANDS:
            return
        lo_b, hi_b = base_range
        small_m, big_m = max(1, lo_b // 10), max(1, hi_b // 10)
        if text == "very few":
            self.say(n, 0, big_m)
        elif text == "almost all":
            self.say(_sub(n, base), -big_m, 0)
        else:
            self.say(n, small_m + 1, INF)
            self.say(_sub(n, base), -INF, -small_m - 1)
            if text == "some":
                self.say(_sub(_mul(n, 5), _mul(base, 2)), -INF, -1)
            elif text == "about half":
                self.say(_sub(_mul(n, 5), _mul(base, 2)), 0, INF)
                self.say(_sub(_mul(n, 5), _mul(base, 3)), -INF, 0)
            else:
                self.say(_sub(_mul(n, 5), _mul(base, 3)), 1, INF)

    def mean(self, text: str, score: Lin, base: Lin) -> None:
        if not re.fullmatch(r"\d\.\d", text):
            return
        tenths = int(text.replace(".", ""))
        self.say(_sub(_mul(score, 20), _mul(base, 2 * tenths - 1)), 0, INF)
        self.say(_sub(_mul(score, 20), _mul(base, 2 * tenths + 1)), -INF, -1)

    # --- solving

    def ranges(
        self,
        targets: Mapping[str, Lin],
        settled: Callable[[str, int, int], bool],
        tries: int = 6,
    ) -> dict[str, tuple[int, int]]:
        """Each target's range, exact unless `settled` says a range seen so far already
        decides the question. Cheap witnesses first: optima of the linear relaxation in
        random directions, kept only when they are whole numbers (then they are real
        solutions); then each unsettled target is solved both ways as an integer program."""
        n = len(self.truth)
        lp, mip = self._model(n, integer=False), self._model(n, integer=True)
        seen = {name: (self.value(lin), self.value(lin)) for name, lin in targets.items()}

        def solve(h: highspy.Highs, costs: np.ndarray) -> bool:
            h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return False
            x = h.getSolution().col_value
            if any(abs(v - round(v)) > 1e-7 for v in x):
                return False
            for name, lin in targets.items():
                v = round(sum(c * x[i] for i, c in lin.items()))
                lo, hi = seen[name]
                seen[name] = (min(lo, v), max(hi, v))
            return True

        rng = random.Random(0)
        for _ in range(tries):
            solve(lp, np.array([rng.uniform(-1, 1) for _ in range(n)]))
        for name, lin in targets.items():
            for sign in (1.0, -1.0):
                if settled(name, *seen[name]):
                    break
                costs = np.zeros(n)
                for i, c in lin.items():
                    costs[i] = sign * c
                assert solve(mip, costs), "the page contradicts itself"
        return seen

    def _model(self, n: int, integer: bool) -> highspy.Highs:
        h = highspy.Highs()
        h.silent()
        h.addVars(n, np.zeros(n), np.full(n, 1e6))  # any count is below a million
        if integer:
            kinds = np.array([highspy.HighsVarType.kInteger] * n)
            h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
        for lin, lo, hi in self.rows:
            idx = np.array(list(lin), dtype=np.int32)
            h.addRow(lo, hi, len(idx), idx, np.array(list(lin.values()), dtype=float))
        return h


def _mul(lin: Lin, f: float) -> Lin:
    return {v: c * f for v, c in lin.items()}


def _sub(a: Lin, b: Lin) -> Lin:
    out = dict(a)
    for v, c in b.items():
        out[v] = out.get(v, 0) - c
    return out


def plus(*parts: Lin) -> Lin:
    out: Lin = {}
    for part in parts:
        for v, c in part.items():
            out[v] = out.get(v, 0) + c
    return out


def weighted(parts: Sequence[Lin]) -> Lin:
    return plus(*(_mul(p, w) for w, p in enumerate(parts, start=1)))
