"""A worker's own results (SDC-10): off by default; when on, closed periods, k, bands only."""

from __future__ import annotations

import re

from reports.gateway import ItemCounts, Population

from .builders import OCT, SEPT, answers, gateway, spread, texts

POP = Population({"a": 30, "w": 14}, parents={"w": "a"})


def item(worker: list[str | int], rest: list[str | int]) -> list[ItemCounts]:
    """The worker's answers and the team's, which include the worker's."""
    return [answers("a", worker + rest), answers("w", worker)]


ITEMS = {
    "trust": item(spread(0, 1, 2, 5, 6), spread(2, 3, 4, 3, 4)),
    "heard": item(spread(2, 2, 2, 2, 2) + ["skip"] * 4, spread(4, 4, 4, 4, 0)),
}


def test_worker_results_are_off_unless_the_deployment_turns_them_on() -> None:
    """SDC-10: the default gateway shows a worker nothing."""
    view = gateway().worker_view(SEPT, "w", ITEMS, POP)
    assert view.notice == "worker results are turned off" and view.items == ()
    assert not re.search(r"\d", texts(view.to_rows()).replace("2026-09", ""))


def test_worker_sees_only_bands() -> None:
    """SDC-10: no exact count, percentage or mean; the size is a k-wide band."""
    view = gateway(worker_results=True).worker_view(SEPT, "w", ITEMS, POP)
    assert view.respondents.text == "10–19"
    trust, heard = view.items
    assert (trust.answered.text, trust.positive.text, trust.negative.text) == (
        "10–19",
        "most",
        "very few",
    )
    assert heard.answered.text == "10–19" and heard.positive.text == "about half"
    printed = texts(view.to_rows())
    assert "%" not in printed and not re.search(r"\d\.\d", printed)
    assert all(
        c.value is None for it in view.items for c in (it.answered, it.positive, it.negative)
    )


def test_worker_item_with_fewer_than_k_answers_is_hidden() -> None:
    """SDC-02/10: the group may be big enough while too few answered the item."""
    items = {"heard": item(spread(2, 2, 2, 2, 1) + ["skip"] * 5, spread(4, 4, 4, 4, 0))}
    view = gateway(worker_results=True).worker_view(SEPT, "w", items, POP)
    assert view.items[0].positive.text == "fewer than 10"


def test_worker_results_wait_for_the_period_to_close() -> None:
    """SDC-07/10: closed periods only."""
    assert (
        gateway(worker_results=True).worker_view(OCT, "w", ITEMS, POP).notice == "not yet available"
    )


def test_a_small_caseload_shows_nothing() -> None:
    """SDC-10: fewer than k respondents for the worker: no bands either."""
    pop = Population({"a": 30, "w": 8}, parents={"w": "a"})
    items = {"trust": item([5] * 8, spread(6, 6, 6, 4, 0))}
    view = gateway(worker_results=True).worker_view(SEPT, "w", items, pop)
    assert view.respondents.text == "fewer than 10"
    assert view.items[0].positive.text == "fewer than 10"
