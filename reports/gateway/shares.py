"""How one group's answers to one item are shown: shares of those who answered, and the mean.

Groups of at least 2k get exact whole-number percentages (SDC-03). Smaller groups try, in
order, until the auditor finds nothing given away (SDC-04):

1. exact shares, with near-none / near-all shares as "very few" / "almost all", and the mean;
2. the same without the mean;
3. every share as a word band (very few / some / about half / most / almost all);
4. nothing: "hidden: answers too alike to show safely".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.gateway.audit import Render, gives_away, readable_counts
from reports.gateway.cells import TOO_ALIKE, Cell
from reports.gateway.rules import band, end_band, mean_text, percent, small

WEIGHTS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Shares:
    """One group's shown distribution. `exact` means every share is a plain percentage,
    so a reader can use it in subtraction from a parent (see `item_view`)."""

    points: tuple[Cell, ...]
    mean: Cell
    exact: bool


def _pct_text(n: int, base: int) -> str:
    return f"{percent(n, base)}%"


def _ends_text(n: int, base: int) -> str:
    return end_band(n, base) or _pct_text(n, base)


def _cell(n: int, base: int, render: Render) -> Cell:
    text = render(n, base)
    if text.endswith("%"):
        return Cell.number(percent(n, base), text)
    return Cell.band(text)


def present(counts: Sequence[int], k: int) -> Shares:
    """The safest-but-most-informative presentation of counts for scale points 1..5."""
    base = sum(counts)
    if base == 0:  # published counts can all round away to 0 (SDC-14): nothing to share
        hidden = Cell.hidden(TOO_ALIKE)
        return Shares((hidden,) * len(counts), hidden, exact=False)
    score = sum(w * n for w, n in zip(WEIGHTS, counts, strict=True))
    value, text = mean_text(score, base)
    mean = Cell.number(value, text)
    if not small(base, k):
        return Shares(tuple(_cell(n, base, _pct_text) for n in counts), mean, exact=True)
    sums = frozenset(s for s in range(base, 5 * base + 1) if mean_text(s, base)[1] == text)
    for render, score_sums in ((_ends_text, sums), (_ends_text, None), (band, None)):
        shown = [render(n, base) for n in counts]
        allowed = [readable_counts(base, render, t) for t in shown]
        if not gives_away(base, counts, allowed, WEIGHTS, score_sums):
            points = tuple(_cell(n, base, render) for n in counts)
            exact = all(c.value is not None for c in points)
            return Shares(points, mean if score_sums is not None else Cell.hidden(TOO_ALIKE), exact)
    hidden = Cell.hidden(TOO_ALIKE)
    return Shares((hidden,) * len(counts), hidden, exact=False)
