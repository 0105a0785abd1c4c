"""Outgoing messages for any channel: one queue per recipient, so a slow or rate-limited
recipient never holds up another, and each one's messages arrive in the order they were
written (REL-07, REL-08).

Every message (but an apology the database could not take) is an outbox row written with
the step it answers; the sender makes its call and then has the row deleted (`Marks`)
before the recipient's next call. So a crash between a send and its mark repeats at most
that one message, and a crash anywhere else repeats nothing and loses nothing.

A channel subclasses `Sender` and says, in `attempt`, how to send one message and what
its answer means (an `Outcome`); queues, pacing, back-off and the maximum age are here.
Nothing here logs a recipient, a text or an exception message (which can echo either).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from bot.delivery.pacing import Pacing, PriorityGate, TokenBucket
from bot.safelog import describe

log = logging.getLogger(__name__)
PRUNE_AT = 1024  # idle per-recipient buckets kept before the full ones are dropped
K = TypeVar("K", bound=Hashable)  # who a message is for: a chat id, a wa_id
B = TypeVar("B")  # what is sent: a Telegram call, a Graph message body


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Retry:
    """How to space retries: back-off doubles from `base` up to `cap` seconds."""

    base: float = 0.5
    cap: float = 30.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.base * 2.0 ** (failures - 1))


@dataclass
class SendCounts:
    """What sending counts for the operator's metrics (REL-18): totals only."""

    rate_limited: int = 0  # "too many requests" answers (REL-07)
    send_retries: int = 0  # calls made again after a 429, a 5xx, a time-out or a network error
    dead_letters: int = 0  # messages dropped past OUTBOX_MAX_AGE_HOURS, or refused


@dataclass
class Item(Generic[K, B]):
    """One message for one recipient. `seq`: its outbox row (None for the rare message
    that could not be stored); `born`: the hour it was written, for the maximum age."""

    to: K
    body: B
    seq: int | None = None
    urgent: bool = False
    born: dt.datetime = field(default_factory=utc_now)


class Outcome(enum.Enum):
    """What one attempt came to, as the channel reads its answer."""

    DELIVERED = "delivered"  # or nothing more to do: the row goes
    DROPPED = "dropped"  # refused, retrying cannot help: a dead letter, the row goes
    GONE = "gone"  # the recipient cannot be reached: their queue and rows go
    AGAIN = "again"  # try again at once (the channel changed the item)
    BACKOFF = "backoff"  # 5xx, time-out, network: retry with back-off


@dataclass(frozen=True)
class Wait:
    """Rate limited: retry after the `seconds` the API asked for (plus jitter)."""

    seconds: float


@dataclass(frozen=True)
class Backoff:
    """Retry with back-off; `reason` names the failure for the log (never its message)."""

    reason: str


class Marks(Generic[K]):
    """What the sender needs from the outbox: delete a delivered row (returning once it is
    gone), and drop what waits for a recipient who cannot be reached (how many rows).
    These do nothing (a bare sender)."""

    async def delivered(self, seq: int) -> None:
        return None

    async def gone(self, to: K) -> int:
        return 0


class Sender(Generic[K, B]):
    name = "sender"  # the channel, for the log
    gone_are_dead = False  # whether a gone recipient's dropped messages are dead letters

    def __init__(
        self,
        *,
        marks: Marks[K] | None = None,
        counts: SendCounts | None = None,
        pacing: Pacing | None = None,
        retry: Retry | None = None,
        max_age: dt.timedelta = dt.timedelta(hours=24),
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,  # noqa: S311 (spreading retries, not secrecy)
    ) -> None:
        self.marks: Marks[K] = marks or Marks()
        self.counts = counts or SendCounts()
        self._pacing = pacing or Pacing()
        self._retry = retry or Retry()
        self._max_age = max_age
        self._clock = clock
        self._now = now
        self._sleep = sleep
        self._jitter = jitter
        self._queues: dict[K, deque[Item[K, B]]] = {}
        self._workers: dict[K, asyncio.Task[None]] = {}
        self._side: set[asyncio.Task[None]] = set()
        self._buckets: dict[K, TokenBucket] = {}
        self._held: set[int] = set()  # outbox rows in the queues, so none is taken twice
        rate = self._pacing.global_rate
        self._gate = (
            PriorityGate(TokenBucket(rate, self._pacing.global_burst, clock()), clock, sleep)
            if rate
            else None
        )

    async def attempt(self, item: Item[K, B]) -> Outcome | Wait | Backoff:
        """Send one message once, and say what the answer means."""
        raise NotImplementedError

    def push(self, items: Iterable[Item[K, B]]) -> None:
        """Queue messages; each recipient's go out in order, after any already queued."""
        for item in items:
            if item.seq is not None:
                if item.seq in self._held:
                    continue
                self._held.add(item.seq)
            queue = self._queues.setdefault(item.to, deque())
            queue.append(item)
            if item.to not in self._workers:
                self._workers[item.to] = asyncio.create_task(self._work(item.to, queue))

    def send(self, to: K, bodies: Iterable[B]) -> None:
        """Queue messages that are not in the outbox (tests, and the last-resort apology)."""
        self.push(Item(to, body) for body in bodies)

    def holds(self, seq: int) -> bool:
        return seq in self._held

    @property
    def queued(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def discard(self, to: K) -> int:
        """Drop whatever is still queued for a recipient; how many (the first may be in
        flight, and its worker lets it go)."""
        dropped = 0
        if (queue := self._queues.get(to)) is not None:
            while len(queue) > 1:
                self._let_go(queue.pop())
                dropped += 1
        return dropped

    def side(self, call: Coroutine[Any, Any, None]) -> None:
        """Run a call that is not a message (so not paced or queued), drained with them."""
        task = asyncio.create_task(call)
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    async def drain(self) -> None:
        """Wait until every queue is empty."""
        while self._workers or self._side:
            await asyncio.wait([*self._workers.values(), *self._side])

    async def close(self, timeout: float) -> int:  # noqa: ASYNC109 (a drain budget, not a wrapper)
        """Deliver for up to `timeout` seconds, then stop; the rest stays in the outbox for
        the next start (or another process). The number of messages left."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.drain()
        left = self.queued
        tasks = [*self._workers.values(), *self._side]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return left

    async def _work(self, to: K, queue: deque[Item[K, B]]) -> None:
        gone = False
        try:
            while queue and not gone:
                item = queue[0]
                try:
                    gone = not await self._deliver(item)
                    if item.seq is not None and not gone:
                        await self.marks.delivered(item.seq)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a bug must not strand the messages behind it
                    log.error("%s: a send failed unexpectedly: %s", self.name, describe(exc))
                if queue and queue[0] is item:
                    queue.popleft()
                    self._let_go(item)
        finally:
            del self._workers[to]
            if not queue:
                self._queues.pop(to, None)
        if gone:
            if self.gone_are_dead:
                self.counts.dead_letters += 1 + len(queue)
            for item in queue:
                self._let_go(item)
            queue.clear()
            self._queues.pop(to, None)
            try:
                await self.marks.gone(to)
            except Exception as exc:  # the draft still expires at its TTL (AN-03)
                log.error("%s: forgetting a recipient failed: %s", self.name, type(exc).__name__)

    def _let_go(self, item: Item[K, B]) -> None:
        if item.seq is not None:
            self._held.discard(item.seq)

    async def _deliver(self, item: Item[K, B]) -> bool:
        """Try until delivered, refused or too old; False when the recipient is gone."""
        failures = 0
        while True:
            if self._now() - item.born > self._max_age:
                self.counts.dead_letters += 1
                log.warning("%s: dropped a message past the outbox's maximum age", self.name)
                return True
            await self._pace(item)
            outcome = await self.attempt(item)
            if outcome is Outcome.DELIVERED:
                return True
            if outcome is Outcome.GONE:
                return False
            if outcome is Outcome.DROPPED:
                self.counts.dead_letters += 1
                return True
            if isinstance(outcome, Wait):
                self.counts.rate_limited += 1
                self.counts.send_retries += 1
                await self._sleep(outcome.seconds + 0.5 * self._jitter())
            elif isinstance(outcome, Backoff):
                failures += 1
                self.counts.send_retries += 1
                level = logging.WARNING if failures == 1 else logging.DEBUG
                log.log(level, "%s %s, retrying", self.name, outcome.reason)
                await self._sleep(self._retry.delay(failures) * (1 + 0.1 * self._jitter()))

    async def _pace(self, item: Item[K, B]) -> None:
        if self._pacing.chat_rate:
            wait = self._bucket(item.to, self._pacing.chat_rate).reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)
        if self._gate is not None:
            await self._gate.take(item.urgent)

    def _bucket(self, to: K, rate: float) -> TokenBucket:
        now = self._clock()
        if to not in self._buckets and len(self._buckets) >= PRUNE_AT:
            self._buckets = {c: b for c, b in self._buckets.items() if not b.full(now)}
        bucket = self._buckets.get(to)
        if bucket is None:
            bucket = self._buckets[to] = TokenBucket(rate, self._pacing.chat_burst, now)
        return bucket
