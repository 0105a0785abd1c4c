"""What the gateway is given: counts the database has already grouped, never rows.

Every count is a number of distinct young people (one submission answers an item once).
Inputs are checked before use; anything inconsistent raises `InputError`, which the
gateway turns into "not available" rather than guessing (SEC-19).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

SCALE = ("1", "2", "3", "4", "5")
CATEGORIES = (*SCALE, "skip", "pns")

Level = Literal["org", "team", "worker"]


class InputError(ValueError):
    """Counts that cannot all be true at once (negative, over the respondent total, ...)."""


@dataclass(frozen=True)
class Scope:
    """One entry of the breakdown catalogue (SDC-08): the organisation, a team or a worker."""

    level: Level
    unit_id: str = ""

    @classmethod
    def org(cls) -> Scope:
        return cls("org")

    @classmethod
    def team(cls, team_id: str) -> Scope:
        return cls("team", team_id)

    @classmethod
    def worker(cls, worker_id: str) -> Scope:
        return cls("worker", worker_id)


ORG = Scope.org()


@dataclass(frozen=True)
class ItemCounts:
    """One unit's answers to one item in one period: "1".."5", "skip", "pns" -> respondents.

    keys: the same categories -> sum of their submissions' record keys mod 256 (SDC-14).
    """

    unit_id: str
    counts: Mapping[str, int]
    keys: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Population:
    """Who answered at all in one period.

    respondents: team or worker id -> submissions. Teams are the ids without a parent.
    parents: worker id -> team id. A team's count includes submissions not about any
        worker, so it may exceed the sum of its workers.
    keys: team or worker id -> sum of its submissions' record keys mod 256 (SDC-14).
    """

    respondents: Mapping[str, int]
    parents: Mapping[str, str] = field(default_factory=dict)
    keys: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteCandidate:
    """A scrubbed comment offered for quoting, with what the rules need to judge it (SDC-11).

    It deliberately has no date, team or age: a quote is shown as bare text.
    cell_respondents: distinct respondents in the group the comment comes from.
    changed_ratio: share of the text the scrubber replaced (AN-18).
    worker_id: the worker it is about, so it is never shown to that worker.
    """

    text: str
    cell_respondents: int
    changed_ratio: float
    worker_id: str | None = None


def count(value: object) -> int:
    """A non-negative whole number, or InputError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("counts must be whole numbers of zero or more")
    return value
