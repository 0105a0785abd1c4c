"""Per-client pacing of check-ins: starts, Sends and "talk to a person" requests, per web
client address or Telegram chat (issue 10 part 1, issue 12 finding 4).

Why in memory, and only here: to pace a client we must recognise it again for a while,
and any record of "this address (or chat) did this, at about this time" that outlived the
moment would be exactly the trail young people are promised we never keep (AN-01, AN-02,
SEC-18). So a client is known only by an HMAC of its address under a key made at random
when the process starts and never written anywhere; its bucket lives in this dictionary,
and is dropped as soon as it has filled up again. Nothing of it is stored or logged, and a
restart forgets everyone. The cost is honest: each process paces on its own, and a restart
gives a client a fresh allowance. What a client gets past this is still counted per
invite and per organisation in the database (`storage.pace`, counts only), and a burst
beyond the invite's expected pace is held out of every figure.

Kinds paced: "start" (which also counts a link that opens nothing, so invite codes cannot
be guessed quickly), "send", "help" (a "Get help now" counted in the safety report) and
"person" (a "talk to a person" request for the safeguarding queue). Help is never refused
by pacing: the helplines are shown whatever the buckets say; only a flood stops being
counted or queued.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Full buckets are dropped once this many clients are known, so memory stays bounded by
# the clients active within one refill time.
SWEEP_AT = 4096


@dataclass(frozen=True)
class Allowance:
    """`burst` at once, then `per_hour` spread evenly (a token bucket)."""

    burst: int
    per_hour: float


class ClientPacer:
    def __init__(
        self,
        allowances: Mapping[str, Allowance],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._allowances = dict(allowances)
        self._clock = clock
        # Made here, never stored: a client key means nothing outside this process.
        self._key = secrets.token_bytes(32)
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def client(self, address: str) -> str:
        """The in-memory name of a client address: an HMAC under this process's own key."""
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()

    def take(self, kind: str, client: str | None) -> bool:
        """Whether `client` may do one more `kind` now; counts it if so. A channel with no
        client to tell apart (the terminal) passes None and is never paced."""
        allowance = self._allowances.get(kind)
        if client is None or allowance is None:
            return True
        now = self._clock()
        tokens = self._level(kind, client, now)
        if tokens < 1:
            return False
        self._buckets[(kind, client)] = (tokens - 1, now)
        if len(self._buckets) >= SWEEP_AT:
            self._sweep(now)
        return True

    def spent(self, kind: str, client: str | None) -> bool:
        """Whether `client` has no `kind` left just now, without counting anything."""
        if client is None or kind not in self._allowances:
            return False
        return self._level(kind, client, self._clock()) < 1

    def known(self) -> int:
        """How many buckets are held right now (a test checks they are forgotten)."""
        self._sweep(self._clock())
        return len(self._buckets)

    def _level(self, kind: str, client: str, now: float) -> float:
        allowance = self._allowances[kind]
        held = self._buckets.get((kind, client))
        if held is None:
            return float(allowance.burst)
        tokens, since = held
        refilled = tokens + (now - since) * allowance.per_hour / 3600
        return min(float(allowance.burst), refilled)

    def _sweep(self, now: float) -> None:
        full = [
            (kind, client)
            for kind, client in self._buckets
            if self._level(kind, client, now) >= self._allowances[kind].burst
        ]
        for key in full:
            del self._buckets[key]
