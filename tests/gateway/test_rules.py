"""The arithmetic: rounding to 5 (SDC-06), whole percentages (SDC-03), means, bands (SDC-04)."""

from __future__ import annotations

import pytest

from reports.gateway.rules import band, end_band, mean_text, percent, round5, size_band


@pytest.mark.parametrize(
    ("n", "shown"), [(10, 10), (11, 10), (12, 10), (13, 15), (14, 15), (15, 15), (22, 20), (23, 25)]
)
def test_counts_round_to_the_nearest_five(n: int, shown: int) -> None:
    """SDC-06: team and worker counts are rounded to the nearest 5."""
    assert round5(n) == shown


@pytest.mark.parametrize(
    ("n", "base", "pct"),
    [
        (1, 3, 33),
        (2, 3, 67),
        (1, 8, 13),
        (1, 200, 1),
        (199, 200, 99),
        (1, 1000, 1),
        (999, 1000, 99),
        (0, 50, 0),
        (50, 50, 100),
        (5, 22, 23),
        (5, 23, 22),
    ],
)
def test_percentages_are_whole_and_never_round_to_none_or_all(n: int, base: int, pct: int) -> None:
    """SDC-03/04: half up to a whole number; 0% and 100% only when truly none or all."""
    assert percent(n, base) == pct


@pytest.mark.parametrize(
    ("total", "answered", "text"),
    [(35, 10, "3.5"), (45, 10, "4.5"), (41, 12, "3.4"), (50, 10, "5.0")],
)
def test_means_have_one_decimal_rounded_half_up(total: int, answered: int, text: str) -> None:
    """Means per item: one decimal place."""
    assert mean_text(total, answered)[1] == text


@pytest.mark.parametrize("base", range(5, 60))
def test_end_bands_always_cover_both_none_and_one_and_all_and_all_but_one(base: int) -> None:
    """SDC-04: "very few" never singles out 0, nor "almost all" the whole group."""
    assert end_band(0, base) == end_band(1, base) == "very few"
    assert end_band(base, base) == end_band(base - 1, base) == "almost all"
    assert end_band(base // 2, base) is None


def test_word_bands_run_from_very_few_to_almost_all() -> None:
    """SDC-04/10: bands used where exact shares are not shown."""
    assert [band(n, 20) for n in (0, 2, 3, 7, 8, 10, 12, 13, 17, 18, 20)] == [
        "very few",
        "very few",
        "some",
        "some",
        "about half",
        "about half",
        "about half",
        "most",
        "most",
        "almost all",
        "almost all",
    ]


def test_size_bands_are_k_wide() -> None:
    """SDC-10: a worker sees how many answered only as a band."""
    assert [size_band(n, 10) for n in (10, 19, 20, 37)] == ["10–19", "10–19", "20–29", "30–39"]
    assert size_band(12, 7) == "7–13"
