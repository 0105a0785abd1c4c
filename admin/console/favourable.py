"""Favourable shares and their change, read only from cells the gateway showed (SDC-01).

"Favourable" is the share of those who answered a question with 4 or 5 ("mostly" or
"totally"). It is the sum of the two whole-number shares the report page shows, so it
says nothing the page does not (it may differ by one point from an unrounded sum). A
small group shown only in words, or a hidden one, has no favourable figure.

A change between two periods counts as clear only when the 95% Wilson score intervals
of the two shares do not overlap. The base is the "answered" count the gateway shows
(rounded to 5 below organisation level), so noise from small groups is not read as news.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reports.gateway import Cell

Z95 = 1.959964
FAVOURABLE_POINTS = (3, 4)  # indexes of scale points 4 and 5 in a distribution
WORDS_ONLY = "small group: shown only in words"
METHOD = (
    "A change is shown only when both periods have a figure and their 95% Wilson "
    "intervals do not overlap; otherwise it says \u201cno clear change\u201d."
)


@dataclass(frozen=True)
class Favourable:
    """A favourable % (None when hidden, with the reason) and the base it is out of."""

    percent: int | None
    base: int | None
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.percent is not None

    @property
    def text(self) -> str:
        return f"{self.percent}%" if self.percent is not None else ""


def favourable(answered: Cell, distribution: Sequence[Cell]) -> Favourable:
    """The favourable share of one unit's item, from its shown cells only."""
    for cell in (answered, *(distribution[i] for i in FAVOURABLE_POINTS)):
        if cell.value is None:
            return Favourable(None, None, _why(cell))
    total = sum(int(distribution[i].value or 0) for i in FAVOURABLE_POINTS)
    return Favourable(min(100, total), int(answered.value or 0))


def _why(cell: Cell) -> str:
    if cell.suppressed and cell.reason:
        return cell.reason
    return WORDS_ONLY


def wilson(percent: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a share, as fractions."""
    p = percent / 100
    centre = p + Z95 * Z95 / (2 * n)
    spread = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n))
    scale = 1 + Z95 * Z95 / n
    return (centre - spread) / scale, (centre + spread) / scale


@dataclass(frozen=True)
class Change:
    """How a favourable share moved since the previous period, in words and points."""

    points: int | None  # None: no figure to compare, or no clear change
    text: str


def change(now: Favourable, before: Favourable) -> Change:
    if now.percent is None or before.percent is None or not now.base or not before.base:
        return Change(None, "no earlier figure to compare")
    low_now, high_now = wilson(now.percent, now.base)
    low_before, high_before = wilson(before.percent, before.base)
    if low_now > high_before or high_now < low_before:
        diff = now.percent - before.percent
        word = "up" if diff > 0 else "down"
        return Change(diff, f"{word} {abs(diff)} points")
    return Change(None, "no clear change")
