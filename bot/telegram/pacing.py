"""Send pacing (REL-07): at most about one message a second in each chat, with room for
the short bursts a reply is made of, and at most 25 a second overall. Telegram does not
publish exact limits, so the defaults are conservative and everything is configurable.

A token bucket that lends: `reserve` always takes a token and says how long to wait
before using it, so concurrent senders queue up fairly without a lock. The clock is
passed in, so the arithmetic is tested without waiting.
"""

from __future__ import annotations

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

    def full(self, now: float) -> bool:
        """Whether this bucket is back to its burst, so forgetting it changes nothing."""
        self._refill(now)
        return self.tokens >= self.burst

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
