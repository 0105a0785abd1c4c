"""Every view and its export come from the same cells (SDC-12): tables, trends, themes, counts."""

from __future__ import annotations

from reports.gateway import Period, PeriodCounts, Population, Scope

from .builders import OCT, SEPT, answers, gateway, spread

POP = Population({"b-team": 25, "a-team": 40, "c-team": 4})
COUNTS = [
    answers("a-team", spread(1, 4, 10, 15, 10)),
    answers("b-team", spread(10, 5, 5, 3, 0) + ["pns"] * 2),
    answers("c-team", spread(0, 0, 0, 0, 4)),
]


def test_export_rows_are_exactly_the_cells_on_screen() -> None:
    """SDC-12: the CSV holds each cell's text, in the screen's order, nothing else."""
    r = gateway().item_report(SEPT, Scope.team("a-team"), "trust", COUNTS, POP)
    rows = r.to_rows({"a-team": "Northside"})
    assert [row[-1] for row in rows[1:]] == [c.text for c in r.cells()]
    assert {row[2] for row in rows[1:]} == {"Northside"}


def test_team_comparison_matches_each_team_report_and_is_not_ranked() -> None:
    """SDC-05/12: one decision per period: the table and each team page hide the same cells."""
    g = gateway()
    table = g.team_comparison(SEPT, "trust", COUNTS, POP)
    assert [row.key for row in table.rows] == ["a-team", "b-team", "c-team"]  # by id, not score
    for row in table.rows:
        report = g.item_report(SEPT, Scope.team(row.key), "trust", COUNTS, POP)
        assert row.cells == report.cells()
    assert table.total is not None
    assert table.total.cells == g.item_report(SEPT, Scope.org(), "trust", COUNTS, POP).cells()
    exported = table.to_rows()
    assert exported[1][2:] == tuple(c.text for c in table.rows[0].cells)


def test_trend_points_are_the_period_reports_and_open_periods_say_so() -> None:
    """SDC-07/12: trends use the same cells as each closed period; the open one is withheld."""
    g = gateway()
    aug = Period.parse("2026-08")
    series = [PeriodCounts(p, COUNTS, POP) for p in (OCT, SEPT, aug)]
    trend = g.trend(Scope.org(), "trust", series)
    assert [p.period for p in trend.points] == ["2026-08", "2026-09", "2026-10"]
    sept = g.item_report(SEPT, Scope.org(), "trust", COUNTS, POP)
    assert trend.points[1].mean == sept.mean and trend.points[1].respondents == sept.respondents
    assert trend.points[2].mean.text == "not yet available"
    assert [row[-1] for row in trend.to_rows()[1:]] == [p.mean.text for p in trend.points]


def test_themes_list_the_whole_catalogue_in_catalogue_order() -> None:
    """SDC-11: themes with counts; a theme nobody mentioned is listed like any small one."""
    themes = {"a-team": {"heard": 12, "time": 3}, "b-team": {"heard": 11}, "c-team": {"heard": 2}}
    catalogue = ["time", "heard", "family"]
    g = gateway()
    org = g.theme_counts(SEPT, Scope.org(), catalogue, themes, POP)
    assert [(row.key, row.cells[0].text) for row in org.rows] == [
        ("time", "fewer than 10"),
        ("heard", "25"),
        ("family", "fewer than 10"),
    ]
    team_b = g.theme_counts(SEPT, Scope.team("b-team"), catalogue, themes, POP)
    # 25 - 12 (a-team) - 11 would leave c-team's 2: b-team's count is hidden to protect it.
    assert team_b.rows[1].cells[0].text == "hidden to protect another group"
    team_a = g.theme_counts(SEPT, Scope.team("a-team"), catalogue, themes, POP)
    assert team_a.rows[1].cells[0].text == "10"  # 12 rounded to 5


def test_themes_reject_ids_outside_the_catalogue() -> None:
    """SDC-08: a theme outside the fixed catalogue is not shown; the table fails closed."""
    table = gateway().theme_counts(SEPT, Scope.org(), ["heard"], {"a-team": {"secret": 20}}, POP)
    assert table.notice == "not available" and table.rows == ()


def test_org_counts_are_exact_at_k_and_protected_by_their_total() -> None:
    """CC-20/SDC-02/05: safety messages shown: exact from k, total minus shown protected."""
    g = gateway()
    assert g.org_count(SEPT, 10).text == "10"
    assert g.org_count(SEPT, 9).text == "fewer than 10"
    assert g.org_count(OCT, 50).text == "not yet available"
    table = g.org_counts(SEPT, "safety messages", {"self-harm": 30, "abuse": 12, "other": 2})
    shown = [(row.key, row.cells[0].text) for row in table.rows]
    assert shown == [
        ("self-harm", "30"),
        ("abuse", "hidden to protect another group"),
        ("other", "fewer than 10"),
    ]
    assert table.total is not None and table.total.cells[0].text == "44"
