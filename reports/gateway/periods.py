"""Fixed calendar reporting periods (SDC-07): a month "2026-09" or a quarter "2026-Q3".

There are no free date ranges, rolling windows or "since" filters anywhere: a report is
always for one whole period, and only once that period has closed, so a count can never
be watched rising after an invite is sent (SDC-09, AN-10). Stored buckets are always
months; a quarter is the sum of its three months.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["month", "quarter"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter")

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """One calendar month (index 1-12) or quarter (index 1-4) of one year."""

    kind: PeriodKind
    year: int
    index: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"period kind must be month or quarter, not {self.kind!r}")
        top = 12 if self.kind == "month" else 4
        if not (1 <= self.year <= 9998 and 1 <= self.index <= top):
            raise ValueError(f"no such {self.kind}: {self.year}/{self.index}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "YYYY-MM" or "YYYY-Qn"; anything else (a date, a range) is refused."""
        if m := _MONTH.fullmatch(text):
            return cls("month", int(m[1]), int(m[2]))
        if m := _QUARTER.fullmatch(text):
            return cls("quarter", int(m[1]), int(m[2]))
        raise ValueError(f"not a reporting period (expected YYYY-MM or YYYY-Qn): {text!r}")

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}-Q{self.index}"

    def __lt__(self, other: Period) -> bool:
        return (self.start, self.kind) < (other.start, other.kind)

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        first_month = self.index if self.kind == "month" else 3 * self.index - 2
        return dt.date(self.year, first_month, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period (exclusive end)."""
        return self.following().start

    def following(self) -> Period:
        top = 12 if self.kind == "month" else 4
        if self.index == top:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def preceding(self) -> Period:
        if self.index == 1:
            return Period(self.kind, self.year - 1, 12 if self.kind == "month" else 4)
        return Period(self.kind, self.year, self.index - 1)


def containing(day: dt.date, kind: PeriodKind) -> Period:
    """The period of the given kind that the day falls in."""
    if kind == "month":
        return Period("month", day.year, day.month)
    return Period(kind, day.year, (day.month - 1) // 3 + 1)


def is_closed(period: Period, today: dt.date) -> bool:
    """True once the whole period lies in the past: results may then be shown."""
    return today >= period.end


def closed_periods(today: dt.date, kind: PeriodKind, count: int) -> tuple[Period, ...]:
    """The most recent `count` closed periods, oldest first (the order a trend reads in)."""
    if count < 0:
        raise ValueError("count must not be negative")
    found: list[Period] = []
    period = containing(today, kind).preceding()
    for _ in range(count):
        found.append(period)
        period = period.preceding()
    return tuple(reversed(found))


def months(period: Period) -> tuple[str, ...]:
    """The stored month buckets ("YYYY-MM") a period adds up."""
    if period.kind == "month":
        return (str(period),)
    first = 3 * period.index - 2
    return tuple(f"{period.year:04d}-{m:02d}" for m in range(first, first + 3))
