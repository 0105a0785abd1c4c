"""Fixed calendar periods (SDC-07): months or quarters, results only after they close."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.gateway import Period, closed_periods, containing, is_closed, months


@pytest.mark.parametrize("text", ["2026-09", "2026-Q3", "1999-12", "2030-Q1"])
def test_parse_and_format_round_trip(text: str) -> None:
    """SDC-07: a period is named "YYYY-MM" or "YYYY-Qn" and reads back the same."""
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "2026-9",
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "2026-09-01",
        "2026-09..2026-10",
        "last 30 days",
        " 2026-09",
        "2026-q3",
    ],
)
def test_dates_ranges_and_rolling_windows_are_refused(text: str) -> None:
    """SDC-07: no free date ranges, days or rolling windows can be named as a period."""
    with pytest.raises(ValueError):
        Period.parse(text)


def test_containing_finds_the_month_and_quarter_of_a_day() -> None:
    """SDC-07: every day falls in exactly one month and one quarter."""
    day = dt.date(2026, 8, 31)
    assert containing(day, "month") == Period.parse("2026-08")
    assert containing(day, "quarter") == Period.parse("2026-Q3")
    assert containing(dt.date(2026, 10, 1), "quarter") == Period.parse("2026-Q4")


@pytest.mark.parametrize(
    ("text", "closes"),
    [
        ("2026-09", dt.date(2026, 10, 1)),
        ("2026-12", dt.date(2027, 1, 1)),
        ("2026-Q3", dt.date(2026, 10, 1)),
        ("2026-Q4", dt.date(2027, 1, 1)),
    ],
)
def test_a_period_closes_the_day_after_its_last_day(text: str, closes: dt.date) -> None:
    """SDC-07, AN-10: results appear only once the whole period is over."""
    period = Period.parse(text)
    assert not is_closed(period, closes - dt.timedelta(days=1))
    assert is_closed(period, closes)


def test_closed_periods_are_the_latest_closed_ones_oldest_first() -> None:
    """SDC-07: a trend reads the most recent closed periods, never the open one."""
    today = dt.date(2026, 2, 10)
    assert [str(p) for p in closed_periods(today, "month", 3)] == ["2025-11", "2025-12", "2026-01"]
    assert [str(p) for p in closed_periods(today, "quarter", 2)] == ["2025-Q3", "2025-Q4"]
    assert closed_periods(today, "month", 0) == ()


def test_a_quarter_adds_up_its_three_stored_months() -> None:
    """SDC-07: stored buckets are months; a quarter is exactly its three months."""
    assert months(Period.parse("2026-Q4")) == ("2026-10", "2026-11", "2026-12")
    assert months(Period.parse("2026-02")) == ("2026-02",)


def test_periods_sort_in_time_order() -> None:
    """SDC-07: trends are ordered by time, across year ends too."""
    texts = ["2027-01", "2026-11", "2026-12"]
    assert [str(p) for p in sorted(Period.parse(t) for t in texts)] == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
