"""The padding attack, simulated (issue 10, SDC-14): an insider pads a team of r real young
people (r = 1 .. k-1) with check-ins of their own, whose answers they know, up to and past
k, then reads the team's results and subtracts what they sent.

Over many random datasets (random real answers, random record keys, another team beside
it) the insider makes their best guess of each real young person's answer: the Bayes
guess, using the public p-table (restated here from the README, not imported) and what
the team page prints (shares, the answered count), read back to counts as a careful reader
would. Real answers are uniform over the five points, so chance is 20%.

The bound, and why: with the p-table's flat +-2 moves, one noisy count per answer is all
the insider gets, and the best guess for a single real young person is then right 40% of
the time at most (exact for r = 1 by enumeration; groups are lower: the insider can only
guess the group's commonest answer for everyone). We assert at most 45%: the 40% plus
room for this simulation's sampling error (400 datasets per r: one standard error is
about 2.5 points). Without noise the same insider is right 100% of the time for r = 1,
which is printed beside it.

Pages are read before the auditor runs: the auditor only ever hides more, so this is the
insider's best case.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import product
from math import factorial

import pytest

from reports.gateway import CellKeys, ItemCounts, Population, Scope
from reports.gateway.groups import Groups
from reports.gateway.item_view import item_cells
from reports.gateway.noise import publish, publish_respondents
from reports.gateway.rules import percent
from reports.gateway.tree import build_tree, tally
from tests.conftest import figures

K = 10
SCALE = ("1", "2", "3", "4", "5")
CATEGORIES = (*SCALE, "skip", "pns")
TRIALS = 400
BOUND = 0.45
PERIOD = "2026-Q3"
# The README's p-table: of 256 cell keys, 51, 51, 52, 51, 51 move a count by -2..+2,
# and a move below zero publishes 0.
MOVES = {-2: 51, -1: 51, 0: 52, 1: 51, 2: 51}


@cache
def p_published(true: int, shown: int) -> float:
    return sum(n for move, n in MOVES.items() if max(0, true + move) == shown) / 256


@cache
def compositions(r: int, parts: int = 5) -> tuple[tuple[int, ...], ...]:
    if parts == 1:
        return ((r,),)
    return tuple((i, *rest) for i in range(r + 1) for rest in compositions(r - i, parts - 1))


def multinomial(x: Sequence[int]) -> float:
    out = factorial(sum(x))
    for n in x:
        out //= factorial(n)
    return float(out)


def read_counts(texts: Sequence[str], answered: str) -> list[tuple[int, ...]]:
    """Every count vector a careful reader finds consistent with five printed shares and a
    printed (rounded, never below k) answered count."""
    if not all(t.endswith("%") for t in texts):
        return []
    shown = int(answered)
    found = []
    for base in range(max(1, shown - 2), shown + 3):
        options = [[n for n in range(base + 1) if percent(n, base) == int(t[:-1])] for t in texts]
        found += [c for c in product(*options) if sum(c) == base]
    return found


def page(team: list[int], other: list[int], keys: random.Random, noise: CellKeys | None):
    """The padded team's shares and answered count as its page prints them."""
    units = {"harbour": team, "other": other}
    pop = Population({u: len(a) for u, a in units.items()})
    counts, record = [], {}
    for unit, answers in units.items():
        ks = [keys.randrange(256) for _ in answers]
        by: dict[str, int] = Counter(str(a) for a in answers)
        sums = {
            c: sum(k for k, a in zip(ks, answers, strict=True) if str(a) == c) % 256 for c in by
        }
        counts.append(ItemCounts(unit, dict(by), sums))
        record[unit] = sum(ks) % 256
    pop = Population(pop.respondents, keys=record)
    tree = build_tree(pop, with_workers=False)
    tallies = tally(tree, pop, [(c.unit_id, c.counts) for c in counts], CATEGORIES, additive=True)
    published = publish(noise, PERIOD, "trust", tree, tallies, {c.unit_id: c.keys for c in counts})
    groups = Groups.decide(tree, K, publish_respondents(noise, PERIOD, tree, record))
    unit = item_cells(groups, tallies, published)[Scope.team("harbour")]
    return [c.text for c in unit.points], unit.answered.text


def best_guess(readings: list[tuple[int, ...]], pad: Sequence[int], r: int, noisy: bool) -> int:
    """The answer (0..4) the insider guesses for every real young person: the one with the
    most real answers expected, given the page and the public p-table."""
    expect = [0.0] * 5
    for x in compositions(r):
        prior = multinomial(x)
        for seen in readings:
            if noisy:
                like = 1.0
                for c, m, n in zip(seen, pad, x, strict=True):
                    like *= p_published(m + n, c)
            else:
                like = float(all(c == m + n for c, m, n in zip(seen, pad, x, strict=True)))
            for j in range(5):
                expect[j] += prior * like * x[j]
    return max(range(5), key=lambda j: expect[j])


def accuracy(r: int, noise: CellKeys | None, seed: int) -> float:
    rng = random.Random(seed)
    right = 0.0
    for _ in range(TRIALS):
        real = [rng.randrange(5) + 1 for _ in range(r)]
        pad = (4, 4, 4, 4, 4)  # >= 2 per answer (no cut at zero) and past 2k: exact shares
        team = real + [point + 1 for point, n in enumerate(pad) for _ in range(n)]
        other = [rng.randrange(5) + 1 for _ in range(rng.randrange(20, 60))]
        texts, answered = page(team, other, rng, noise)
        readings = read_counts(texts, answered)
        assert readings, (texts, answered)  # the page is readable: the attack is real
        guess = best_guess(readings, pad, r, noise is not None) + 1
        right += sum(a == guess for a in real) / r
    return right / TRIALS


@pytest.fixture(scope="module")
def noise() -> CellKeys:
    return CellKeys(random.Random(7).randbytes(32))


def test_padding_recovers_nothing_sure(request: pytest.FixtureRequest, noise: CellKeys) -> None:
    """Issue 10 (1): Harbour's 1 real young person padded with 9+ known check-ins.
    Without noise the insider is always right; with cell-key noise they are right at most
    BOUND of the time for every r."""
    lines = figures(request.config, "padding attack: insider's best-guess accuracy (issue 10)")
    lines.append(f"{TRIALS} random datasets per r; five-point item, chance 20%; bound {BOUND:.0%}")
    assert accuracy(1, None, seed=1) == 1.0  # the attack as reported works without noise
    for r in range(1, K):
        noisy = accuracy(r, noise, seed=r)
        lines.append(f"r = {r}: {noisy:.1%} with cell-key noise")
        assert noisy <= BOUND, (r, noisy)
    lines.append("r = 1: 100.0% without noise (the attack as reported)")
