"""Small builders so tests read as data: a team as a list of answers, a gateway on a fixed day."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable

from reports.gateway import CellKeys, Gateway, GatewaySettings, ItemCounts, Period

TODAY = dt.date(2026, 10, 15)
SEPT = Period.parse("2026-09")
OCT = Period.parse("2026-10")  # still open on TODAY


def gateway(
    k: int = 10, *, worker_results: bool = False, seed: int = 1, noise: CellKeys | None = None
) -> Gateway:
    settings = GatewaySettings(k=k, period_kind="month", worker_results=worker_results)
    return Gateway(settings, today=lambda: TODAY, rng=random.Random(seed), noise=noise)


def answers(unit_id: str, given: Iterable[str | int]) -> ItemCounts:
    """One unit's counts from a list of answers, e.g. [5, 5, 4, "skip"]."""
    return ItemCounts(unit_id, dict(Counter(str(a) for a in given)))


def spread(*counts: int) -> list[int]:
    """Answers with counts[i] people choosing scale point i + 1."""
    return [point for point, n in enumerate(counts, start=1) for _ in range(n)]


def texts(rows: list[tuple[str, ...]]) -> str:
    """Everything an export or page would print, as one string to search."""
    return " | ".join(" ".join(row) for row in rows)
