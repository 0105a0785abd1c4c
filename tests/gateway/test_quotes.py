"""Quotes (SDC-11, AN-18): reviewer only, k, length, little scrubbing, random order, bare text."""

from __future__ import annotations

import dataclasses

import pytest

from reports.gateway import QuoteCandidate

from .builders import OCT, SEPT, gateway

LONG = "my worker actually listens to me and helps me sort things out"


def candidate(text: str = LONG, *, cell: int = 12, ratio: float = 0.0, worker: str | None = None):
    return QuoteCandidate(text, cell_respondents=cell, changed_ratio=ratio, worker_id=worker)


def numbered(n: int) -> list[QuoteCandidate]:
    return [candidate(f"{LONG} ({i:02d})") for i in range(n)]


@pytest.mark.parametrize("role", ["manager", "worker", "dsl", "admin", "Reviewer", ""])
def test_only_reviewers_see_quotes(role: str) -> None:
    """SDC-11: managers see themes with counts, not quotes."""
    assert gateway().quotes(SEPT, role, numbered(5)) == []


def test_at_most_three_in_an_order_that_is_not_insertion_order() -> None:
    """SDC-11: up to three, drawn with the injected random generator."""
    pool = numbered(10)
    orders = {
        tuple(q.text for q in gateway(seed=s).quotes(SEPT, "reviewer", pool)) for s in range(20)
    }
    assert all(len(o) == 3 for o in orders)
    assert len(orders) > 1  # depends on the generator, not on the input order
    first_three = tuple(c.text for c in pool[:3])
    assert any(o != first_three for o in orders)


def test_the_same_seed_gives_the_same_quotes() -> None:
    """SDC-11: randomness is injected, so tests and audits can reproduce a page."""
    pool = numbered(10)
    assert gateway(seed=7).quotes(SEPT, "reviewer", pool) == gateway(seed=7).quotes(
        SEPT, "reviewer", pool
    )


@pytest.mark.parametrize(
    "bad",
    [
        candidate(cell=9),
        candidate("too short to quote safely, ok"),
        candidate(ratio=0.21),
        candidate(ratio=-0.1),
        candidate(" " * 50 + "short"),
    ],
)
def test_unsafe_candidates_are_never_quoted(bad: QuoteCandidate) -> None:
    """SDC-11/AN-18: group under k, shorter than 40 characters, or heavily scrubbed."""
    assert gateway().quotes(SEPT, "reviewer", [bad]) == []


def test_boundaries_are_allowed() -> None:
    """AN-18: exactly k respondents, exactly 40 characters and exactly 20% changed are fine."""
    ok = candidate("x" * 40, cell=10, ratio=0.2)
    assert [q.text for q in gateway().quotes(SEPT, "reviewer", [ok])] == ["x" * 40]


def test_a_quote_is_never_shown_to_the_worker_it_is_about() -> None:
    """SDC-11(e): a reviewer who is the worker concerned does not get it."""
    pool = [candidate(worker="w1"), candidate(LONG + "!", worker="w2")]
    shown = gateway().quotes(SEPT, "reviewer", pool, viewer_worker_id="w1")
    assert [q.text for q in shown] == [LONG + "!"]


def test_quotes_carry_only_their_words() -> None:
    """SDC-11(d): no date, team or age field exists on a shown quote."""
    (quote,) = gateway().quotes(SEPT, "reviewer", [candidate(worker="w1")])
    assert [f.name for f in dataclasses.fields(quote)] == ["text"]


def test_no_quotes_for_an_open_period() -> None:
    """SDC-07: quotes wait for the period to close too."""
    assert gateway().quotes(OCT, "reviewer", numbered(5)) == []
