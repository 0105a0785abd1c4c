"""The arithmetic of disclosure control: rounding, percentages, means and bands.

Each function is pure and total over the values the gateway passes it, so the small-group
auditor (`audit.py`) can re-run them on every possible count to see what a reader could
work out from the text they produce.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round5(n: int) -> int:
    """Nearest multiple of 5 (SDC-06); 3 and 4 go up, 1 and 2 go down."""
    return 5 * ((n + 2) // 5)


def count_text(n: int, exact: bool) -> tuple[int, str]:
    """An organisation-level count is exact; anything below it is rounded to 5 (SDC-06)."""
    shown = n if exact else round5(n)
    return shown, str(shown)


def percent(n: int, base: int) -> int:
    """Whole-number share (SDC-03), half up, never 0 or 100 unless it truly is none or all."""
    pct = (200 * n + base) // (2 * base)
    if 0 < n < base:
        pct = min(max(pct, 1), 99)
    return pct


def mean_text(score_sum: int, answered: int) -> tuple[float, str]:
    """Mean on the 1-5 scale to one decimal place, half up."""
    value = (Decimal(score_sum) / Decimal(answered)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value), str(value)


def small(base: int, k: int) -> bool:
    """A group under 2k is small: all-or-none answers there are shown as bands (SDC-04)."""
    return base < 2 * k


def margin(base: int) -> int:
    """How close to none or all a count must be to fall in an end band.

    At least one person, so "very few" always covers both 0 and 1 (and "almost all" both
    all and all-but-one): the band never says which.
    """
    return max(1, base // 10)


VERY_FEW = "very few"
SOME = "some"
ABOUT_HALF = "about half"
MOST = "most"
ALMOST_ALL = "almost all"


def end_band(n: int, base: int) -> str | None:
    """ "very few" / "almost all" when n is near none or all of base, else None."""
    if n <= margin(base):
        return VERY_FEW
    if n >= base - margin(base):
        return ALMOST_ALL
    return None


def band(n: int, base: int) -> str:
    """A five-step word band for n out of base, used where exact shares are not shown."""
    if (end := end_band(n, base)) is not None:
        return end
    if 5 * n < 2 * base:
        return SOME
    if 5 * n > 3 * base:
        return MOST
    return ABOUT_HALF


def size_band(n: int, k: int) -> str:
    """A respondent count as a k-wide band, e.g. "10–19" (worker view, SDC-10)."""
    low = (n // k) * k
    return f"{low}–{low + k - 1}"
