"""The small-group auditor: could a reader work out that everyone, or no one, gave an answer?

Banding a 0% as "very few" is not enough on its own: if the other shares are exact and add
up to 100%, the banded one must be 0. So before a small group's distribution is shown,
we solve it the way a reader would: which counts per answer are consistent with
everything on the page (each share's text, the number who answered, the mean)? If some
answer that truly nobody (or everybody) gave could not have been given by at least one
(or been missed by at least one), the presentation gives the group away and a coarser one
is tried (SDC-04, and the integer-constraint check of SDC-05).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Render = Callable[[int, int], str]


def readable_counts(base: int, render: Render, shown: str) -> frozenset[int]:
    """Every count out of `base` whose text would be `shown`: what a reader can narrow it to."""
    return frozenset(n for n in range(base + 1) if render(n, base) == shown)


def gives_away(
    base: int,
    truth: Sequence[int],
    allowed: Sequence[frozenset[int]],
    weights: Sequence[int],
    score_sums: frozenset[int] | None,
) -> bool:
    """True if some answer given by no one (or everyone) can be proven so from `allowed`.

    truth: the real count per answer; allowed: the counts a reader cannot rule out;
    weights: each answer's scale value; score_sums: the totals the shown mean allows
    (None when no mean is shown).
    """
    for i, n in enumerate(truth):
        if n == 0:
            other = frozenset(a for a in allowed[i] if a > 0)
        elif n == base:
            other = frozenset(a for a in allowed[i] if a < base)
        else:
            continue
        options = [*allowed[:i], other, *allowed[i + 1 :]]
        if not _feasible(base, options, weights, score_sums):
            return True
    return False


def _feasible(
    base: int,
    options: Sequence[frozenset[int]],
    weights: Sequence[int],
    score_sums: frozenset[int] | None,
) -> bool:
    """Is there a count per answer, each from its options, adding to base (and a shown mean)?"""
    states = {(0, 0)}
    for weight, allowed in zip(weights, options, strict=True):
        w = weight if score_sums is not None else 0  # no mean shown: only the count matters
        states = {(c + n, s + w * n) for c, s in states for n in allowed if c + n <= base}
        if not states:
            return False
    return any(c == base and (score_sums is None or s in score_sums) for c, s in states)
