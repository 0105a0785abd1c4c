"""The auditor: can anything shown for a period be solved back to a hidden count?

Everything a viewer can see for one period (every page and export: item results, teams
side by side, trends, themes, topics, the safety report) is written down as linear
constraints on the true counts behind it (`book.py` does the writing): the margins
(young people = answered + skipped + prefer not to say, per item), organisation = sum of
teams, safety "sent" = young people, what a rounded count, a percentage, a band, a mean
or "fewer than k" says, and the cell-key noise as a box around each team count.

Then, for every hidden or banded cell, a MILP solver (HiGHS) finds the range of true
counts a reader could not rule out. A cell is protected when that range

1. is not a single value, except 0 (a remainder of nobody reveals no one, SDC-05) but not
   for a team's number of young people (an empty team must look like a small one) nor
   for an answer's count in a group under 2k (SDC-04: "none of them said"); and
2. for a count of young people, does not lie within 1..k-1 (a small group proven).

Where a cell is not protected, the auditor hides one more shown cell near it (means
first, then shares and bands, then counts, smallest first) and checks again, until every
cell is protected (SDC-05, SDC-14).

Speed: the true counts are one feasible point, so most cells are cleared in batches: one
solve pushes all of a kind of cell away from their true values at once, and only the
cells that did not move are solved one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

INF = highspy.kHighsInf
Terms = Mapping[int, int]
MEAN, SHARE, COUNT = 0, 1, 2  # kinds of shown cell, for the order of hiding
BIG = 10**6  # an upper bound on any count, so "as large as you like" is a finite answer


@dataclass(frozen=True)
class Row:
    """lo <= sum(coef * var) <= hi; `source` is the shown cell that says it (None: a fact
    of the data's shape, such as a margin)."""

    terms: Terms
    lo: float
    hi: float
    source: str | None = None


@dataclass(frozen=True)
class Target:
    """A hidden or banded cell: a sum of true counts and its true value.

    zero_ok: a proven 0 is acceptable (see rule 1 in the module doc).
    small_rule: rule 2 applies. It does for counts of young people; not for a share's
    count inside a group (a band such as "some" is meant to say 2 to 5 of 15).
    """

    cell: str
    terms: Terms
    truth: int
    zero_ok: bool
    small_rule: bool = True


@dataclass
class Problem:
    """Variables (integer, with bounds and their true values) and rows."""

    lows: list[float] = field(default_factory=list)
    highs: list[float] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    priority: dict[str, tuple[int, int]] = field(default_factory=dict)  # cell -> hide order

    def var(self, truth: int, lo: float = 0, hi: float = BIG) -> int:
        self.lows.append(lo)
        self.highs.append(hi)
        self.truth.append(truth)
        return len(self.truth) - 1

    def add(self, terms: Terms, lo: float, hi: float, source: str | None = None) -> None:
        clean = {v: c for v, c in terms.items() if c != 0}
        if clean:
            self.rows.append(Row(clean, lo, hi, source))

    def value(self, terms: Terms) -> int:
        return sum(c * self.truth[v] for v, c in terms.items())


class Solver:
    """HiGHS models of the problem without the rows of `dropped` cells: the integer
    program, and its linear relaxation, whose optimum is often a whole-number point
    already (and then a valid witness, found at a fraction of the cost)."""

    def __init__(self, problem: Problem, dropped: frozenset[str]) -> None:
        self.n = len(problem.truth)
        self.lp = self._model(problem, dropped, integer=False)
        self.mip = self._model(problem, dropped, integer=True)

    def _model(self, problem: Problem, dropped: frozenset[str], integer: bool) -> highspy.Highs:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.silent()
        h.setOptionValue("threads", 1)
        n = self.n
        h.addVars(n, np.array(problem.lows, dtype=float), np.array(problem.highs, dtype=float))
        if integer:
            kinds = np.array([highspy.HighsVarType.kInteger] * n)
            h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
        for row in problem.rows:
            if row.source in dropped:
                continue
            idx = np.array(list(row.terms), dtype=np.int32)
            val = np.array(list(row.terms.values()), dtype=float)
            h.addRow(row.lo, row.hi, len(idx), idx, val)
        return h

    def _run(self, h: highspy.Highs, costs: np.ndarray) -> list[float] | None:
        h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), costs)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return list(h.getSolution().col_value)

    def point(
        self, objective: Mapping[int, float], maximise: bool, exact: bool = False
    ) -> list[float] | None:
        """A whole-number feasible point optimising the objective (exact: proven optimal
        over whole numbers), or None if there is none."""
        costs = np.zeros(self.n)
        for v, c in objective.items():
            costs[v] += -c if maximise else c
        if not exact:
            relaxed = self._run(self.lp, costs)
            if relaxed is not None and all(abs(x - round(x)) < 1e-7 for x in relaxed):
                return relaxed
        return self._run(self.mip, costs)


def _at(point: Sequence[float], terms: Terms) -> int:
    return round(sum(c * point[v] for v, c in terms.items()))


def _ok(target: Target, lo: int, hi: int, k: int) -> bool:
    single = lo == hi and not (lo == 0 and target.zero_ok)
    small = target.small_rule and 1 <= lo and hi <= k - 1
    return not single and not small


def exposed(
    problem: Problem, targets: Sequence[Target], k: int, dropped: frozenset[str]
) -> list[Target]:
    """Targets whose feasible range breaks rule 1 or 2 (see the module doc)."""
    solver = Solver(problem, dropped)
    seen: dict[str, tuple[int, int]] = {t.cell: (t.truth, t.truth) for t in targets}

    def cleared(t: Target) -> bool:  # a wider range is never less protected
        return _ok(t, *seen[t.cell], k)

    def note(point: Sequence[float]) -> None:
        for t in targets:
            v = _at(point, t.terms)
            lo, hi = seen[t.cell]
            seen[t.cell] = (min(lo, v), max(hi, v))

    # Batches: push every uncleared target down at once, then up at once, while that
    # clears any; each point found is a witness for every target it moves.
    for maximise in (False, True):
        while open_ := [t for t in targets if not cleared(t)]:
            objective: dict[int, float] = {}
            for t in open_:
                for v, c in t.terms.items():
                    objective[v] = objective.get(v, 0) + c
            found = solver.point(objective, maximise)
            if found is None:
                return list(targets)  # the page contradicts itself: all exposed
            note(found)
            if len(open_) == sum(not cleared(t) for t in targets):
                break
    # One by one for the rest: the exact range, proven over whole numbers.
    out = []
    for t in targets:
        if cleared(t):
            continue
        for maximise in (False, True):
            found = solver.point(dict(t.terms), maximise, exact=True)
            if found is not None:
                note(found)
        if not _ok(t, *seen[t.cell], k):
            out.append(t)
    return out


def _neighbours(problem: Problem, target: Target, dropped: frozenset[str]) -> list[str]:
    """Shown cells whose rows reach the target's counts, nearest first (through at most
    two rows of facts such as margins), each once. For a count, other counts go first;
    for a share's count, the mean, then the shares (SDC-04: the mean is dropped first)."""
    frontier = set(target.terms)
    order = (COUNT, SHARE, MEAN) if target.small_rule else (MEAN, SHARE, COUNT)
    found: list[str] = []
    for _ in range(3):
        reached: set[int] = set()
        layer: list[str] = []
        for row in problem.rows:
            if row.source in dropped or not frontier.intersection(row.terms):
                continue
            reached.update(row.terms)
            if row.source is not None and row.source not in found and row.source not in layer:
                layer.append(row.source)
        layer.sort(key=lambda c: _rank(problem.priority.get(c, (COUNT, 0)), order))
        found.extend(layer)
        frontier |= reached
    return found


def _rank(priority: tuple[int, int], order: tuple[int, ...]) -> tuple[int, int]:
    kind, size = priority
    return order.index(kind), size


def audit(
    problem: Problem, targets: Sequence[Target], k: int, hideable: Iterable[str]
) -> tuple[frozenset[str], list[Target]]:
    """Cells to hide so that every target is protected; and targets still exposed after
    hiding every cell that could help (the caller hides those too). Each round hides, for
    every exposed target, the first nearby shown cell whose hiding protects it (or, failing
    that, at least widens its range; or else simply the first nearby one)."""
    allowed = set(hideable)
    dropped: frozenset[str] = frozenset()
    while True:
        bad = exposed(problem, targets, k, dropped)
        if not bad:
            return dropped, []
        choices = set()
        for t in bad:
            near = [c for c in _neighbours(problem, t, dropped) if c in allowed]
            if near:
                choices.add(_best(problem, t, k, dropped, near[:CANDIDATES]))
        if not choices:
            return dropped, bad
        dropped = dropped | choices


CANDIDATES = 6  # nearby cells tried per exposed target and round


def _best(
    problem: Problem, target: Target, k: int, dropped: frozenset[str], near: Sequence[str]
) -> str:
    """Cheap witnesses only (see `Solver.point`): a candidate whose points already show
    the target protected is taken; otherwise the first that moves it at all."""
    before = _range(Solver(problem, dropped), target)
    widening = None
    for cell in near:
        lo, hi = _range(Solver(problem, dropped | {cell}), target)
        if _ok(target, lo, hi, k):
            return cell
        if widening is None and (lo, hi) != before:
            widening = cell
    return widening or near[0]


def _range(solver: Solver, target: Target) -> tuple[int, int]:
    """The target's values at the optima found, its true value included: at most its
    range, often all of it."""
    ends = [solver.point(dict(target.terms), up) for up in (False, True)]
    values = [target.truth, *(_at(p, target.terms) for p in ends if p is not None)]
    return min(values), max(values)
