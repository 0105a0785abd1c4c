"""Small groups (under 2k) never give away that everyone or no one gave an answer (SDC-04)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.gateway.shares import present

from .reader import gives_away


@st.composite
def small_groups(draw: st.DrawFn) -> tuple[int, list[int]]:
    k = draw(st.sampled_from([5, 6, 10]))
    base = draw(st.integers(k, 2 * k - 1))
    cuts = sorted(draw(st.lists(st.integers(0, base), min_size=4, max_size=4)))
    # Bias towards lopsided groups, where giving things away is likeliest.
    if draw(st.booleans()):
        cuts = [0, 0, cuts[1], cuts[2]]
    bounds = [0, *cuts, base]
    return k, [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@settings(max_examples=150, deadline=None)
@given(small_groups())
def test_a_reader_cannot_prove_an_answer_was_unanimous_or_unused(
    group: tuple[int, list[int]],
) -> None:
    """SDC-04: brute force over every count consistent with the printed shares and mean."""
    k, counts = group
    shown = present(counts, k)
    if shown.points[0].suppressed:
        return  # nothing printed, nothing to read
    texts = [c.text for c in shown.points]
    mean = None if shown.mean.suppressed else shown.mean.text
    assert not gives_away(sum(counts), counts, texts, mean)
    assert "100%" not in texts and "0%" not in texts


def test_examples_reach_every_rung_of_the_ladder() -> None:
    """SDC-04: exact shares, shares without mean, bands, hidden are all really used."""
    exact = present([2, 3, 3, 2, 2], 10)
    assert exact.exact and not exact.mean.suppressed
    no_mean = present([0, 0, 1, 2, 7], 10)  # the mean 4.6 would say the 1 is in "3"
    assert [c.text for c in no_mean.points] == ["very few"] * 3 + ["20%", "70%"]
    assert no_mean.mean.suppressed
    bands = present([0, 3, 3, 3, 3], 10)
    assert [c.text for c in bands.points] == ["very few", "some", "some", "some", "some"]
    hidden = present([0, 0, 2, 4, 4], 10)  # "some" >= 2 and "about half" >= 4 add up to all 10
    assert hidden.points[0].text == "hidden: answers too alike to show safely"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=5, max_size=5).filter(lambda c: sum(c) >= 20))
def test_groups_of_2k_or_more_get_exact_shares_and_mean(counts: list[int]) -> None:
    """SDC-03: from 2k answered, every share is an exact whole percentage."""
    shown = present(counts, 10)
    assert shown.exact and all(c.text.endswith("%") for c in shown.points)
    assert not shown.mean.suppressed
