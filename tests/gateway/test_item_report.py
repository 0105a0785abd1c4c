"""One item for one unit and period: the k, denominator and 0%/100% rules at their boundaries."""

from __future__ import annotations

import re

import pytest

from reports.gateway import Population, Scope
from reports.gateway.cells import AUDITED

from .builders import OCT, SEPT, answers, gateway, spread, texts

TEAM = Scope.team("a")


def report(k: int, team_answers: list[str | int], *, others: int = 60, scope: Scope = TEAM):
    """A team with the given answers beside a big team, so the org total hides nothing."""
    big = spread(12, 12, 12, 12, 12)[:others]
    pop = Population({"a": len(team_answers), "big": len(big)})
    counts = [answers("a", team_answers), answers("big", big)]
    return gateway(k).item_report(SEPT, scope, "trust", counts, pop)


@pytest.mark.parametrize(("k", "answered", "shown"), [(10, 9, False), (10, 10, True), (9, 9, True)])
def test_percentages_need_a_denominator_of_at_least_k(k: int, answered: int, shown: bool) -> None:
    """SDC-02/03: boundary k = 9/10 with denominators 9 and 10. (A group of 9 has an answer
    given by at most one, whose band the exact shares beside it would prove; the auditor
    then hides those shares too, issue 10, so "allowed" is: not hidden for being under k.)"""
    team = spread(2, 2, 2, 2, answered - 8)
    r = report(k, team)
    under_k = f"fewer than {k}"
    assert all((c.text == under_k) is not shown for c in r.distribution)
    assert (r.mean.text == under_k) is not shown
    if not shown:
        assert {c.text for c in r.distribution} == {f"fewer than {k}"}


@pytest.mark.parametrize(
    ("k", "answered", "shown"), [(10, 22, True), (10, 23, True), (23, 22, False), (23, 23, True)]
)
def test_denominators_22_and_23(k: int, answered: int, shown: bool) -> None:
    """SDC-03: 22 and 23 (HESA's 22.5) as denominators, with the default and a stricter k."""
    team = spread(5, 5, 5, 5, answered - 20)
    r = report(k, team)
    assert all(c.suppressed is not shown for c in r.distribution)
    if shown and answered >= 2 * k:
        assert [c.text for c in r.distribution] == [
            f"{round(100 * n / answered + 1e-9)}%" for n in (5, 5, 5, 5, answered - 20)
        ]


def test_an_all_same_answer_team_of_12_shows_no_100_percent() -> None:
    """SDC-04: twelve young people all answering "totally" do not show as 100%."""
    r = report(10, [5] * 12)
    printed = texts(r.to_rows())
    assert "100%" not in printed and not re.search(r"(?<!\d)0%", printed)
    assert r.distribution[4].text == "almost all"
    assert r.mean.suppressed  # a mean of 5.0 would say the same thing


def test_a_happy_team_does_not_reveal_that_nobody_chose_the_lowest_answer() -> None:
    """SDC-04: 0,3,3,3,3 as exact 25% shares would add up to prove "not at all" was 0%."""
    r = report(10, spread(0, 3, 3, 3, 3))
    assert [c.text for c in r.distribution][0] == "very few"
    assert [c.value for c in r.distribution][1:] == [None] * 4  # banded, not 25% each


def test_large_groups_show_exact_shares_including_true_zero_and_all() -> None:
    """SDC-03/04: from 2k respondents exact shares are shown, 0% where truly none."""
    r = report(10, spread(0, 0, 10, 10, 0))
    assert [c.text for c in r.distribution] == ["0%", "0%", "50%", "50%", "0%"]
    assert r.mean.text == "3.5"


def test_counts_below_org_are_rounded_and_org_counts_are_exact() -> None:
    """SDC-06: team counts to the nearest 5; the organisation's from unrounded data, exact."""
    team = spread(4, 3, 3, 3, 3) + ["skip"] * 11
    org = report(10, team, scope=Scope.org())
    team_r = report(10, team)
    assert team_r.respondents.text == "25"  # 27 young people
    assert team_r.answered.text == "15"  # 16 answered
    assert team_r.skip.text == "10"  # 11 skipped
    assert org.respondents.text == "87" and org.answered.text == "76" and org.skip.text == "11"


def test_skip_and_prefer_not_to_say_follow_the_count_rules() -> None:
    """SDC-02/03: skip and pns are counts, shown only when at least k. Issue 10: young
    people - answered - prefer not to say would give the hidden 9 skips, so the auditor
    hides the prefer-not-to-say count as well."""
    r = report(10, spread(4, 4, 4, 4, 4) + ["skip"] * 9 + ["pns"] * 10)
    assert r.skip.text == "fewer than 10" and r.pns.text == AUDITED
    r = report(10, spread(4, 4, 4, 4, 4) + ["skip"] * 10 + ["pns"] * 10)
    assert r.skip.text == "10" and r.pns.text == "10"


def test_mean_needs_k_answered_and_has_one_decimal() -> None:
    """SDC-02: a mean is shown only with k answered respondents."""
    assert report(10, spread(5, 0, 0, 0, 4) + ["skip"] * 3).mean.text == "fewer than 10"
    assert report(10, spread(0, 5, 5, 10, 5)).mean.text == "3.6"


def test_an_open_period_is_not_yet_available() -> None:
    """SDC-07: the current period shows "not yet available", never numbers."""
    g = gateway()
    pop = Population({"a": 40})
    r = g.item_report(OCT, Scope.org(), "trust", [answers("a", [4] * 40)], pop)
    assert r.notice == "not yet available"
    assert all(c.text == "not yet available" and c.value is None for c in r.cells())


def test_one_more_response_in_an_open_period_changes_nothing_shown() -> None:
    """SDC-09, AN-10: submitting a response during the period changes no page."""
    g = gateway()
    before = g.item_report(
        OCT, Scope.org(), "trust", [answers("a", [4] * 40)], Population({"a": 40})
    )
    after = g.item_report(
        OCT, Scope.org(), "trust", [answers("a", [4] * 41)], Population({"a": 41})
    )
    assert before == after


def test_a_period_of_the_wrong_kind_or_a_worker_scope_is_not_in_the_catalogue() -> None:
    """SDC-08: only org and team reports, only for the deployment's period kind."""
    from reports.gateway import Period

    g = gateway()
    pop = Population({"a": 40})
    quarter = g.item_report(Period.parse("2026-Q3"), Scope.org(), "trust", [], pop)
    worker = g.item_report(SEPT, Scope.worker("w"), "trust", [], pop)
    assert quarter.notice == worker.notice == "not in the report catalogue"


def test_a_team_without_submissions_shows_fewer_than_k() -> None:
    """SDC-02: a team absent from the period's data looks like any small team."""
    r = gateway().item_report(SEPT, Scope.team("ghost"), "trust", [], Population({"a": 40}))
    assert {c.text for c in r.cells()} == {"fewer than 10"}
