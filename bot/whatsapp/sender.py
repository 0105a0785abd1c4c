"""Outgoing messages: one queue per recipient, so a slow or rate-limited chat never holds
up another, and each chat's messages arrive in the order they were written. Pacing is
Telegram's (`bot.telegram.pacing`): a per-recipient token bucket and an overall rate
handed out safety messages first.

As for Telegram, every message is an outbox row; the sender makes its call, then has the
row deleted before the recipient's next call (at-least-once, nothing lost).

What Graph's answers mean here:
- 130429 (throughput) and 131056 (too many messages to one person): wait with back-off,
  plus jitter, and retry; only this recipient waits. So do 5xx, timeouts and network
  errors, up to the outbox's maximum age, after which the message is a dead letter.
- 131047 (more than 24 hours since the person last wrote) and 131026 (undeliverable:
  blocked us, or no WhatsApp): the recipient's queue is dropped, their draft forgotten,
  and each dropped message counted as a dead letter. We never message first (CC-11), so
  no template is ever sent to reopen the window.
- Any other refusal: retrying cannot help; the message is dropped and counted.

Nothing here logs a wa_id, a text, or Graph's error message (which can echo either).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import httpx

from bot.telegram.pacing import Pacing, PriorityGate, TokenBucket
from bot.telegram.sender import Retry
from bot.whatsapp.client import GraphClient, GraphError
from bot.whatsapp.render import Body

log = logging.getLogger(__name__)
RATE_LIMITED = frozenset({130429, 131056, 131048, 80007})  # retry after a pause
GONE = frozenset({131047, 131026})  # outside the 24 h window, or blocked: drop the chat
PRUNE_AT = 1024


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Item:
    """One message for one recipient (`to`: a wa_id, or "g:<group id>"); `seq` its outbox
    row, `born` the hour it was written, for the maximum age."""

    to: str
    body: Body
    seq: int | None = None
    urgent: bool = False
    born: dt.datetime = field(default_factory=utc_now)


class Marks:
    """What the sender needs from the outbox (a bare sender: nothing)."""

    async def delivered(self, seq: int) -> None:
        return None

    async def gone(self, to: str) -> int:
        """Drop what waits for a recipient who cannot be reached; how many rows."""
        return 0


class Sender:
    def __init__(
        self,
        client: GraphClient,
        *,
        marks: Marks | None = None,
        pacing: Pacing | None = None,
        retry: Retry | None = None,
        max_age: dt.timedelta = dt.timedelta(hours=24),
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,  # noqa: S311 (spreading retries, not secrecy)
    ) -> None:
        self._client = client
        self.marks = marks or Marks()
        self._pacing = pacing or Pacing()
        self._retry = retry or Retry()
        self._max_age = max_age
        self._clock = clock
        self._now = now
        self._sleep = sleep
        self._jitter = jitter
        self._queues: dict[str, deque[Item]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._held: set[int] = set()
        rate = self._pacing.global_rate
        self._gate = (
            PriorityGate(TokenBucket(rate, self._pacing.global_burst, clock()), clock, sleep)
            if rate
            else None
        )
        self.dead_letters = 0

    def push(self, items: Iterable[Item]) -> None:
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

    def holds(self, seq: int) -> bool:
        return seq in self._held

    @property
    def queued(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def discard(self, to: str) -> int:
        """Drop whatever is still queued for a recipient; how many (the first may be in
        flight, and its worker lets it go)."""
        dropped = 0
        if (queue := self._queues.get(to)) is not None:
            while len(queue) > 1:
                self._let_go(queue.pop())
                dropped += 1
        return dropped

    async def drain(self) -> None:
        while self._workers:
            await asyncio.wait(list(self._workers.values()))

    async def close(self, timeout: float) -> int:  # noqa: ASYNC109 (a drain budget)
        """Deliver for up to `timeout` seconds, then stop; the number of messages left."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.drain()
        left = self.queued
        tasks = list(self._workers.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return left

    async def _work(self, to: str, queue: deque[Item]) -> None:
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
                    log.error("whatsapp: a send failed unexpectedly: %s", type(exc).__name__)
                if queue and queue[0] is item:
                    queue.popleft()
                    self._let_go(item)
        finally:
            del self._workers[to]
            if not queue:
                self._queues.pop(to, None)
        if gone:
            self.dead_letters += 1 + len(queue)
            for item in queue:
                self._let_go(item)
            queue.clear()
            self._queues.pop(to, None)
            try:
                await self.marks.gone(to)
            except Exception as exc:  # the draft still expires at its TTL (AN-03)
                log.error("whatsapp: forgetting a recipient failed: %s", type(exc).__name__)

    def _let_go(self, item: Item) -> None:
        if item.seq is not None:
            self._held.discard(item.seq)

    async def _deliver(self, item: Item) -> bool:
        """Try until delivered, refused or too old; False when the recipient is gone."""
        failures = 0
        while True:
            if self._now() - item.born > self._max_age:
                self.dead_letters += 1
                log.warning("whatsapp: a message passed the outbox's maximum age, dropped")
                return True
            await self._pace(item)
            try:
                group = item.to.startswith("g:")
                await self._client.send(item.to[2:] if group else item.to, item.body, group)
                return True
            except GraphError as exc:
                if exc.code in GONE:
                    log.info("whatsapp send: code %s, recipient dropped", exc.code)
                    return False
                if exc.code not in RATE_LIMITED and exc.status < 500:
                    self.dead_letters += 1
                    log.warning("whatsapp send: refused, HTTP %s code %s", exc.status, exc.code)
                    return True
                failures += 1
                log.log(
                    logging.WARNING if failures == 1 else logging.DEBUG,
                    "whatsapp send: HTTP %s code %s, retrying",
                    exc.status,
                    exc.code,
                )
            except httpx.HTTPError as exc:
                failures += 1
                log.log(
                    logging.WARNING if failures == 1 else logging.DEBUG,
                    "whatsapp send: %s, retrying",
                    type(exc).__name__,
                )
            await self._sleep(self._retry.delay(failures) * (1 + 0.1 * self._jitter()))

    async def _pace(self, item: Item) -> None:
        if self._pacing.chat_rate:
            wait = self._bucket(item.to, self._pacing.chat_rate).reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)
        if self._gate is not None:
            await self._gate.take(item.urgent)

    def _bucket(self, to: str, rate: float) -> TokenBucket:
        now = self._clock()
        if to not in self._buckets and len(self._buckets) >= PRUNE_AT:
            self._buckets = {c: b for c, b in self._buckets.items() if not b.full(now)}
        bucket = self._buckets.get(to)
        if bucket is None:
            bucket = self._buckets[to] = TokenBucket(rate, self._pacing.chat_burst, now)
        return bucket
