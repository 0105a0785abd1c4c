"""Complementary suppression (SDC-05): nothing hidden can be recovered by subtraction."""

from __future__ import annotations

from reports.gateway import Population, Scope

from .builders import SEPT, answers, gateway, spread

PROTECTED = "hidden to protect another group"
AUDITED = "hidden so that other figures cannot be used to work out a small group"


def comparison(sizes: dict[str, int], k: int = 10):
    pop = Population(sizes)
    counts = [answers(t, spread(*(n // 5,) * 4, n - 4 * (n // 5))) for t, n in sizes.items()]
    return gateway(k).team_comparison(SEPT, "trust", counts, pop)


def respondents(table) -> dict[str, str]:
    shown = {row.key: row.cells[0].text for row in table.rows}
    shown["org"] = table.total.cells[0].text
    return shown


def test_one_small_team_forces_the_next_smallest_to_be_hidden() -> None:
    """SDC-05: org 55 - A 40 - B 12 would give C's 3 away, so B is hidden too."""
    shown = respondents(comparison({"a": 40, "b": 12, "c": 3}))
    assert shown == {"a": "40", "b": PROTECTED, "c": "fewer than 10", "org": "55"}


def test_hiding_stops_once_the_hidden_total_reaches_k() -> None:
    """SDC-05: smallest first, only as many as needed (3 + 4 + 5 = 12 >= 10 needs no more)."""
    shown = respondents(comparison({"a": 40, "b": 30, "c": 3, "d": 4, "e": 5}))
    assert shown["a"] == "40" and shown["b"] == "30"
    assert {shown[t] for t in "cde"} == {"fewer than 10"}


def test_a_team_of_zero_cannot_be_told_from_a_small_team() -> None:
    """Issue 10 (row presence): a team with nobody must look like a team with 1 to k-1.
    Here B's exact shares prove it is 12, A's prove 40: a total of 52 would prove C empty,
    so the auditor hides the organisation's count of young people."""
    shown = respondents(comparison({"a": 40, "b": 12, "c": 0}))
    assert shown == {"a": "40", "b": "10", "c": "fewer than 10", "org": AUDITED}


def test_every_team_hidden_when_nothing_else_protects_the_small_one() -> None:
    """SDC-05: with two teams, showing either gives the other away; the total stays."""
    shown = respondents(comparison({"a": 15, "b": 3}))
    assert shown == {"a": PROTECTED, "b": "fewer than 10", "org": "18"}


def test_skip_counts_are_protected_across_teams_too() -> None:
    """SDC-05: org skips 12 - team A's shown 10 skips would reveal team B's 2."""
    pop = Population({"a": 40, "b": 30})
    counts = [
        answers("a", spread(6, 6, 6, 6, 6) + ["skip"] * 10),
        answers("b", spread(6, 6, 6, 5, 5) + ["skip"] * 2),
    ]
    table = gateway().team_comparison(SEPT, "trust", counts, pop)
    skip = 7  # column of "skipped", after young people, answered, 1..5
    assert table.total.cells[skip].text == "12"
    assert [row.cells[skip].text for row in table.rows] == [PROTECTED, "fewer than 10"]


def test_shares_are_hidden_when_subtraction_would_expose_a_small_unanimous_group() -> None:
    """SDC-04/05: org shares minus team A's exact shares would show B+C all chose 5."""
    pop = Population({"a": 40, "b": 12, "c": 3})
    counts = [answers("a", spread(2, 5, 10, 13, 10)), answers("b", [5] * 12), answers("c", [5] * 3)]
    g = gateway()
    team_a = g.item_report(SEPT, Scope.team("a"), "trust", counts, pop)
    org = g.item_report(SEPT, Scope.org(), "trust", counts, pop)
    assert org.distribution[4].value is not None
    assert {c.text for c in team_a.distribution} == {PROTECTED}
    assert team_a.respondents.text == "40"  # the group itself is still shown


def test_exact_team_shares_stay_when_the_left_over_group_is_large() -> None:
    """SDC-04: a left-over group of 2k or more may be unanimous; no extra hiding."""
    pop = Population({"a": 40, "b": 12, "c": 12})
    counts = [
        answers("a", spread(2, 5, 10, 13, 10)),
        answers("b", [5] * 12),
        answers("c", [5] * 12),
    ]
    team_a = gateway().item_report(SEPT, Scope.team("a"), "trust", counts, pop)
    assert [c.text for c in team_a.distribution] == ["5%", "13%", "25%", "33%", "25%"]


def test_workers_hidden_so_the_team_cannot_be_split_by_subtraction() -> None:
    """SDC-05/10: team 25 = worker 12 + worker 10 + 3 unattributed; hide the smaller worker."""
    pop = Population({"a": 25, "w1": 12, "w2": 10}, parents={"w1": "a", "w2": "a"})
    counts = [
        answers("a", spread(5, 5, 5, 5, 5)),
        answers("w1", spread(3, 3, 2, 2, 2)),
        answers("w2", spread(2, 2, 2, 2, 2)),
    ]
    g = gateway(worker_results=True)
    views = [g.worker_view(SEPT, w, {"trust": counts}, pop) for w in ("w1", "w2")]
    assert [v.respondents.text for v in views] == ["10–19", PROTECTED]
    assert views[1].items[0].positive.text == PROTECTED
    assert not views[0].items[0].positive.suppressed
