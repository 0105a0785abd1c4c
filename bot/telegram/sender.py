"""Outgoing calls: one queue per chat, so a slow or rate-limited chat never holds up
another, and each chat's messages arrive in the order they were written.

Every message (but an apology the database could not take) is an outbox row written with
the step it answers; the sender makes its call and then has the row deleted (`Marker`)
before the chat's next call. So a crash between a send and its mark repeats at most that
one message, and a crash anywhere else repeats nothing and loses nothing.

What each Bot API answer means here (REL-07, REL-08, issue 13):
- 429: wait the `retry_after` Telegram gave, plus jitter, then retry; only this chat waits.
- 5xx, timeouts, network errors: retry with back-off (capped) for as long as it takes, up
  to the outbox's maximum age; then the message is dropped and counted as a dead letter.
  A timeout may hide a delivered message, so a reply can arrive twice: at-least-once.
- 403 (blocked, or the account is gone): drop the chat's queue and forget its draft.
- 400 on an edit ("can't be edited", "not found"): send the same text as a new message;
  "message is not modified" (a double tap) is already done. Other 400s: no retry.

Nothing here logs a chat id, a text or an exception message (which can echo either).
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
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.client import TelegramBot
from bot.telegram.counts import Counts
from bot.telegram.pacing import Pacing, PriorityGate, TokenBucket
from bot.telegram.render import Action, Edit, Leave, Message
from bot.telegram.safelog import describe

log = logging.getLogger(__name__)
PRUNE_AT = 1024  # idle per-chat buckets kept before the full ones are dropped
METHODS = {Message: "sendMessage", Leave: "leaveChat", Edit: "editMessageText"}
NOT_MODIFIED = "message is not modified"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Retry:
    """How to space retries: back-off doubles from `base` up to `cap` seconds."""

    base: float = 0.5
    cap: float = 30.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.base * 2 ** (failures - 1))


@dataclass
class Item:
    """One call for one chat. `seq`: its outbox row (None for the rare message that could
    not be stored); `born`: the hour it was written, for the maximum age."""

    chat_id: int
    action: Action
    seq: int | None = None
    urgent: bool = False
    born: dt.datetime = field(default_factory=utc_now)


class Marks:
    """What the sender needs from the outbox: delete a delivered row (returning once it is
    gone), and forget a chat that blocked the bot. These do nothing (a bare sender)."""

    async def delivered(self, seq: int) -> None:
        return None

    async def blocked(self, chat_id: int) -> None:
        return None


class Sender:
    def __init__(
        self,
        bot: TelegramBot,
        *,
        marks: Marks | None = None,
        counts: Counts | None = None,
        pacing: Pacing | None = None,
        retry: Retry | None = None,
        max_age: dt.timedelta = dt.timedelta(hours=24),
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,  # noqa: S311 (spreading retries, not secrecy)
    ) -> None:
        self._bot = bot
        self.marks = marks or Marks()
        self.counts = counts or Counts()
        self._pacing = pacing or Pacing()
        self._retry = retry or Retry()
        self._max_age = max_age
        self._clock = clock
        self._now = now
        self._sleep = sleep
        self._jitter = jitter
        self._queues: dict[int, deque[Item]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._side: set[asyncio.Task[None]] = set()
        self._buckets: dict[int, TokenBucket] = {}
        self._held: set[int] = set()  # outbox rows in the queues, so none is taken twice
        self._gate = (
            PriorityGate(
                TokenBucket(self._pacing.global_rate, self._pacing.global_burst, clock()),
                clock,
                sleep,
            )
            if self._pacing.global_rate
            else None
        )

    def push(self, items: Iterable[Item]) -> None:
        """Queue calls; each chat's go out in order, after any already queued."""
        for item in items:
            if item.seq is not None:
                if item.seq in self._held:
                    continue
                self._held.add(item.seq)
            queue = self._queues.setdefault(item.chat_id, deque())
            queue.append(item)
            if item.chat_id not in self._workers:
                worker = asyncio.create_task(self._work(item.chat_id, queue))
                self._workers[item.chat_id] = worker

    def send(self, chat_id: int, actions: Iterable[Action]) -> None:
        """Queue calls that are not in the outbox (tests, and the last-resort apology)."""
        self.push(Item(chat_id, action) for action in actions)

    def holds(self, seq: int) -> bool:
        return seq in self._held

    @property
    def queued(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def discard(self, chat_id: int) -> None:
        """Drop whatever is still queued for a chat (it blocked the bot)."""
        if (queue := self._queues.get(chat_id)) is not None:
            while len(queue) > 1:  # the first may be in flight; its worker lets it go
                self._let_go(queue.pop())

    def answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner at once; it is not a message, so it is not paced."""
        task = asyncio.create_task(self._answer(callback_id))
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    async def drain(self) -> None:
        """Wait until every queue is empty."""
        while self._workers or self._side:
            await asyncio.wait([*self._workers.values(), *self._side])

    async def close(self, timeout: float) -> int:  # noqa: ASYNC109 (a drain budget, not a wrapper)
        """Deliver for up to `timeout` seconds, then stop; the rest stays in the outbox for
        the next start (or another process). The number of calls left."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.drain()
        left = self.queued
        tasks = [*self._workers.values(), *self._side]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return left

    async def _work(self, chat_id: int, queue: deque[Item]) -> None:
        blocked = False
        try:
            while queue and not blocked:
                item = queue[0]
                try:
                    blocked = not await self._deliver(item)
                    if item.seq is not None and not blocked:
                        await self.marks.delivered(item.seq)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a bug must not strand the messages behind it
                    log.error("telegram: a send failed unexpectedly: %s", describe(exc))
                if queue and queue[0] is item:
                    queue.popleft()
                    self._let_go(item)
        finally:
            del self._workers[chat_id]
            if not queue:
                self._queues.pop(chat_id, None)
        if blocked:
            for item in queue:
                self._let_go(item)
            queue.clear()
            self._queues.pop(chat_id, None)
            try:
                await self.marks.blocked(chat_id)
            except Exception as exc:  # the draft still expires at its TTL (AN-03)
                log.error("telegram: forgetting a blocked chat failed: %s", type(exc).__name__)

    def _let_go(self, item: Item) -> None:
        if item.seq is not None:
            self._held.discard(item.seq)

    async def _deliver(self, item: Item) -> bool:
        """Try until delivered, refused or too old; False when the chat blocked the bot."""
        failures = 0
        while True:
            if self._now() - item.born > self._max_age:
                self.counts.dead_letters += 1
                log.warning("telegram: dropped a message past the outbox's maximum age")
                return True
            method = METHODS[type(item.action)]
            await self._pace(item)
            try:
                await self._call(item.chat_id, item.action)
                return True
            except RetryAfter as exc:
                log.info("telegram %s: 429", method)
                self.counts.rate_limited += 1
                self.counts.send_retries += 1
                await self._sleep(_seconds(exc.retry_after) + 0.5 * self._jitter())
            except Forbidden:
                log.info("telegram %s: 403", method)
                return isinstance(item.action, Leave)
            except BadRequest as exc:  # before NetworkError, which PTB makes its base class
                if isinstance(item.action, Edit):
                    if NOT_MODIFIED in exc.message:
                        return True
                    log.info("telegram %s: 400, sending it as a new message", method)
                    item.action = Message(item.action.text, item.action.reply_markup)
                    continue
                log.warning("telegram %s: 400", method)
                return True
            except NetworkError as exc:  # 5xx, timeouts, connection failures
                failures += 1
                self.counts.send_retries += 1
                log.log(
                    logging.WARNING if failures == 1 else logging.DEBUG,
                    "telegram %s: %s, retrying",
                    method,
                    type(exc).__name__,
                )
                delay = self._retry.delay(failures)
                await self._sleep(delay * (1 + 0.1 * self._jitter()))
            except TelegramError as exc:  # bad token, chat migrated, ...: retrying cannot help
                log.error("telegram %s: refused (%s)", method, type(exc).__name__)
                return True

    async def _call(self, chat_id: int, action: Action) -> None:
        if isinstance(action, Leave):
            await self._bot.call("leaveChat", {"chat_id": chat_id})
            return
        params: dict[str, Any] = {"chat_id": chat_id, "text": action.text}
        if action.reply_markup is not None:
            params["reply_markup"] = action.reply_markup
        if isinstance(action, Edit):
            params["message_id"] = action.message_id
        await self._bot.call(METHODS[type(action)], params)

    async def _pace(self, item: Item) -> None:
        if self._pacing.chat_rate:
            wait = self._bucket(item.chat_id, self._pacing.chat_rate).reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)
        if self._gate is not None:
            await self._gate.take(item.urgent)

    def _bucket(self, chat_id: int, rate: float) -> TokenBucket:
        now = self._clock()
        if chat_id not in self._buckets and len(self._buckets) >= PRUNE_AT:
            self._buckets = {c: b for c, b in self._buckets.items() if not b.full(now)}
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = TokenBucket(rate, self._pacing.chat_burst, now)
        return bucket

    async def _answer(self, callback_id: str) -> None:
        """Once more after a short pause if it fails, so the spinner clears (issue 13)."""
        for attempt in range(2):
            try:
                await self._bot.answer_callback_query(callback_id)
                return
            except RetryAfter as exc:
                self.counts.rate_limited += 1
                if attempt == 0:
                    self.counts.send_retries += 1
                    await self._sleep(min(_seconds(exc.retry_after), 5.0))
            except (BadRequest, Forbidden) as exc:  # too old, or gone: nothing to clear
                log.info("telegram answerCallbackQuery: %s", type(exc).__name__)
                return
            except TelegramError as exc:
                log.info("telegram answerCallbackQuery: %s", type(exc).__name__)
                if attempt == 0:
                    self.counts.send_retries += 1
                    await self._sleep(self._retry.base)


def _seconds(retry_after: int | dt.timedelta) -> float:
    # PTB 22 gives a timedelta with PTB_TIMEDELTA=true, otherwise an int.
    if isinstance(retry_after, dt.timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
