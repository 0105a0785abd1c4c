"""Issue 10's reproductions, each now failing to disclose (SDC-04, SDC-05, SDC-14).

Each test builds the data the security review used and reads the pages as the insider
did. Noise is off unless said, so each shows that the auditor alone closes the hole.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

from reports.gateway import CellKeys, ItemCounts, PeriodInputs, Population, Scope
from reports.gateway.cells import AUDITED

from .builders import SEPT, answers, gateway, spread
from .reader import could_be


def _number(text: str) -> bool:
    return text.isdigit()


def test_margin_no_longer_gives_prefer_not_to_say() -> None:
    """(2) young people - answered - skipped gave the hidden "prefer not to say" (2)."""
    pop = Population({"a": 44, "b": 30})
    counts = [
        answers("a", spread(6, 6, 6, 6, 6) + ["skip"] * 12 + ["pns"] * 2),
        answers("b", spread(6, 6, 6, 6, 6)),
    ]
    org = gateway().item_report(SEPT, Scope.org(), "trust", counts, pop)
    assert org.pns.text == "fewer than 10"
    shown = [org.respondents.text, org.answered.text, org.skip.text]
    assert not all(_number(t) for t in shown), shown  # before: 74 - 60 - 12 = 2
    assert AUDITED in shown


def _bases(answered: str) -> range:
    """A team's answered count is rounded to 5: the bases a reader cannot rule out."""
    return range(int(answered) - 2, int(answered) + 3)


def _counts_for(texts: list[str], mean: str | None, answered: str) -> set[tuple[int, ...]]:
    """Brute force: every count vector the printed shares, mean and answered allow."""
    found = set()
    for base in _bases(answered):
        options = [[n for n in range(base + 1) if could_be(t, n, base)] for t in texts]
        for combo in product(*options):
            if sum(combo) != base:
                continue
            if mean is not None:
                score = Fraction(sum(w * n for w, n in enumerate(combo, start=1)), base)
                low = Fraction(mean) - Fraction(1, 20)
                if not low <= score < low + Fraction(1, 10):
                    continue
            found.add(combo)
    return found


def test_bands_and_mean_no_longer_prove_a_count_of_one() -> None:
    """(2) "15 answered", "very few", "very few", 50%, 25%, 13% and a mean of 3.3 admitted
    only (1, 1, 8, 4, 2): the band proved exactly one young person gave answer 1."""
    team = spread(1, 1, 8, 4, 2)
    pop = Population({"a": 16, "big": 60})
    counts = [answers("a", team), answers("big", spread(12, 12, 12, 12, 12))]
    r = gateway().item_report(SEPT, Scope.team("a"), "trust", counts, pop)
    texts = [c.text for c in r.distribution]
    if any(c.suppressed for c in r.distribution):
        return  # nothing left to solve from
    mean = None if r.mean.suppressed else r.mean.text
    solutions = _counts_for(texts, mean, r.answered.text)
    assert solutions, texts
    for i, text in enumerate(texts):
        if text in ("very few", "almost all"):
            assert len({s[i] for s in solutions}) > 1, (texts, mean, solutions)


def test_safety_and_results_no_longer_give_a_hidden_cell() -> None:
    """(3) the safety report beside the results gave 45 - 22 - 17 = 6 by subtraction:
    "sent" (hidden on the safety page) is the number of young people on the results."""
    pop = Population({"a": 9, "b": 8, "c": 0})
    counts = [answers("a", spread(2, 2, 2, 2, 1)), answers("b", spread(2, 2, 2, 1, 1))]
    safety = {"start": 22, "sent": 17, "stop": 4, "help": 2}
    view = gateway().period_view(SEPT, PeriodInputs(pop, {"trust": counts}, safety=safety))
    table = view.safety()
    assert view.notice is None and table.total is not None
    shown = {row.key: row.cells[0].text for row in table.rows}
    assert shown["stop"] == shown["help"] == "fewer than 10"
    young = view.item_report(Scope.org(), "trust").respondents.text
    visible = [table.total.cells[0].text, shown["start"], shown["sent"], young]
    # Before: total 45, start 22 and young people 17 were all printed.
    assert sum(_number(t) for t in visible) <= 2, visible


def test_two_small_teams_cannot_be_proven_to_have_anyone() -> None:
    """Two teams under k in an organisation of k or more would prove both have someone
    (each is at least total - (k-1)): no organisation count of young people is shown."""
    pop = Population({"a": 9, "b": 8})
    counts = [answers("a", spread(2, 2, 2, 2, 1)), answers("b", spread(2, 2, 2, 1, 1))]
    org = gateway().period_view(SEPT, PeriodInputs(pop, {"trust": counts})).item_report(
        Scope.org(), "trust"
    )
    assert not _number(org.respondents.text) and not _number(org.answered.text)


def test_a_team_with_nobody_looks_like_a_small_team() -> None:
    """(4) teams side by side showed a row for a team with 2 check-ins and none for a
    team with 0. Every catalogue team now has a row, and 0 prints like 1 to k-1."""
    pop = Population({"a": 40, "big": 45, "two": 2, "none": 0})
    counts = [
        answers("a", spread(8, 8, 8, 8, 8)),
        answers("big", spread(9, 9, 9, 9, 9)),
        answers("two", [3, 4]),
    ]
    table = gateway().team_comparison(SEPT, "trust", counts, pop)
    rows = {row.key: [c.text for c in row.cells] for row in table.rows}
    assert set(rows) == {"a", "big", "two", "none"}
    assert rows["none"] == rows["two"]


def test_noise_is_the_same_every_time_and_small() -> None:
    """SDC-14 check: the same query twice gives the same value; noise within +-2; a shown
    count is never printed under k."""
    noise = CellKeys(b"k" * 32)
    pop = Population({"a": 23, "b": 40}, keys={"a": 17, "b": 200})
    counts = [
        ItemCounts("a", {"1": 3, "2": 5, "3": 5, "4": 5, "5": 5}, {"1": 9, "2": 100}),
        ItemCounts("b", {"3": 20, "4": 20}, {"3": 1, "4": 250}),
    ]
    first = gateway(noise=noise).item_report(SEPT, Scope.team("a"), "trust", counts, pop)
    again = gateway(noise=noise).item_report(SEPT, Scope.team("a"), "trust", counts, pop)
    assert first == again
    assert abs(int(first.respondents.text) - 23) <= 2 + 2  # noise, then rounding to 5
    assert int(first.answered.text) >= 10
