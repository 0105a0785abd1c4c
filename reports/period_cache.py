"""What reports read for a period, kept for a while once the period has closed.

Shared by `reports.service` and `reports.theme_report`. An open period is never queried:
the gateway shows "not yet available" whatever it is given (SDC-07). A closed period's
buckets no longer change, so what was read is kept for CACHE_SECONDS (then re-read, so
that retention deletions show).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from reports.gateway import Period, is_closed

CACHE_SECONDS = 600
T = TypeVar("T")


class ClosedPeriodCache:
    """today: the organisation's current date, which decides which periods have closed."""

    def __init__(self, today: Callable[[], dt.date]) -> None:
        self.today = today
        self._kept: dict[tuple[Hashable, str], tuple[float, Any]] = {}

    async def get(
        self, key: Hashable, period: Period, load: Callable[[], Awaitable[T]], empty: T
    ) -> T:
        """`load()`'s value for a closed period (from the cache when fresh), else `empty`."""
        if not is_closed(period, self.today()):
            return empty
        slot = (key, str(period))
        kept = self._kept.get(slot)
        if kept is None or time.monotonic() - kept[0] >= CACHE_SECONDS:
            kept = (time.monotonic(), await load())
            self._kept[slot] = kept
        return cast(T, kept[1])
