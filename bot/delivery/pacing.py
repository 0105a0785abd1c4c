"""Send pacing (REL-07): at most about one message a second in each chat, with room for
the short bursts a reply is made of, and at most 25 a second overall. Telegram does not
publish exact limits, so the defaults are conservative and everything is configurable.

A token bucket that lends: `reserve` always takes a token and says how long to wait
before using it, so concurrent senders queue up fairly without a lock. The clock is
passed in, so the arithmetic is tested without waiting.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pacing:
    """Rates in messages per second; None turns that limit off (tests, benchmarks)."""

    chat_rate: float | None = 1.0
    chat_burst: int = 3
    global_rate: float | None = 25.0
    global_burst: int = 5


UNPACED = Pacing(chat_rate=None, global_rate=None)


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: float) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = now

    def reserve(self, now: float) -> float:
        """Take one token; the seconds to wait before it may be used (0 when at once)."""
        self._refill(now)
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def take(self, now: float) -> bool:
        """Take a whole token if one is there now, without borrowing."""
        self._refill(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def full(self, now: float) -> bool:
        """Whether this bucket is back to its burst, so forgetting it changes nothing."""
        self._refill(now)
        return self.tokens >= self.burst

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now


class PriorityGate:
    """The overall rate shared by every chat, handed out safety messages first: when the
    bot is busy, a young person who asked for help does not queue behind other chats'
    questions. Within one class, first come first served."""

    def __init__(
        self,
        bucket: TokenBucket,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._bucket = bucket
        self._clock = clock
        self._sleep = sleep
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None

    async def take(self, urgent: bool) -> None:
        if not self._waiting and self._bucket.take(self._clock()):
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if urgent else 1, next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out())
        await future

    async def _hand_out(self) -> None:
        while self._waiting:
            wait = self._bucket.reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)
            # Whoever ranks first now gets the token, including one that came meanwhile.
            while self._waiting:
                _, _, future = heapq.heappop(self._waiting)
                if not future.done():
                    future.set_result(None)
                    break
