"""Faults inside the gateway fail closed (SEC-19): "not available", never unprotected numbers."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping

import pytest

import reports.gateway.book as book_module
import reports.gateway.gateway as gateway_module
from reports.gateway import ItemCounts, Population, QuoteCandidate, Scope

from .builders import SEPT, answers, gateway, spread

POP = Population({"a": 40, "b": 3})
GOOD = [answers("a", spread(8, 8, 8, 8, 8)), answers("b", [1, 1, 1])]


class Exploding(Mapping[str, int]):
    """A data source that breaks part-way through being read."""

    def __getitem__(self, key: str) -> int:
        raise RuntimeError("database went away")

    def __iter__(self) -> Iterator[str]:
        return iter(["1", "2"])

    def __len__(self) -> int:
        return 2


def no_numbers(rows: list[tuple[str, ...]]) -> bool:
    """No digit in any shown value (the last column; labels such as "mean (1-5)" aside)."""
    return not any(re.search(r"\d", row[-1]) for row in rows[1:])


def test_a_fault_in_the_data_gives_not_available(caplog: pytest.LogCaptureFixture) -> None:
    """SEC-19: an exception while reading counts hides everything and is logged."""
    bad = [GOOD[0], ItemCounts("b", Exploding())]
    with caplog.at_level(logging.ERROR):
        r = gateway().item_report(SEPT, Scope.org(), "trust", bad, POP)
    assert r.notice == "not available"
    assert all(c.suppressed and c.value is None for c in r.cells())
    assert no_numbers(r.to_rows())
    assert "failed closed" in caplog.text


def test_a_fault_inside_the_suppression_code_gives_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SEC-19: make the gateway's own code raise mid-report; every view shows no numbers."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("injected fault")

    monkeypatch.setattr(book_module, "item_cells", broken)
    monkeypatch.setattr(book_module, "theme_cells", broken)
    monkeypatch.setattr(gateway_module, "pick_quotes", broken)
    g = gateway(worker_results=True)
    assert no_numbers(g.item_report(SEPT, Scope.team("a"), "trust", GOOD, POP).to_rows())
    assert no_numbers(g.team_comparison(SEPT, "trust", GOOD, POP).to_rows())
    assert g.trend(Scope.org(), "trust", [object()]).notice == "not available"  # type: ignore[list-item]
    themes = g.theme_counts(SEPT, Scope.org(), ["heard"], {"a": {"heard": 20}}, POP)
    assert no_numbers(themes.to_rows())
    candidate = QuoteCandidate("a long enough comment that would be quotable here", 40, 0.0)
    assert g.quotes(SEPT, "reviewer", [candidate]) == []


def test_inconsistent_counts_fail_closed_rather_than_guess() -> None:
    """SEC-19: more answers than respondents, negatives, unknown categories: not available."""
    g = gateway()
    for bad in (
        [answers("a", [5] * 41)],
        [ItemCounts("a", {"5": -1})],
        [ItemCounts("a", {"6": 12})],
        [ItemCounts("nobody", {"5": 12})],
        [answers("a", [5] * 12), answers("a", [5] * 12)],
    ):
        assert g.item_report(SEPT, Scope.org(), "trust", bad, POP).notice == "not available"
