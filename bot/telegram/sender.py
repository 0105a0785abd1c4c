"""Outgoing messages: one queue per chat, so a slow or rate-limited chat never holds up
another, and each chat's messages arrive in the order they were produced.

What each Bot API answer means here (REL-07, REL-08):
- 429: wait the `retry_after` Telegram gave, plus jitter, then retry; only this chat's
  queue waits.
- 5xx, timeouts, network errors: retry with exponential back-off up to a cap, then give
  up and log an error (the alert). A timeout may hide a message that was delivered, so a
  reply can arrive twice: accepted and documented, at-least-once.
- 403 (blocked, or the account is gone): drop the chat's queue and forget its draft.
- 400 and other refusals: no retry; the log names the method and the code only.

Taking the buttons off an answered message is cosmetic (a stale tap is answered by the
engine anyway): its 400s ("message is not modified", "message can't be edited") are
expected, and a 5xx or timeout is not retried, so it never holds up the chat's next reply.

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
from dataclasses import dataclass

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.pacing import Pacing, TokenBucket
from bot.telegram.render import Action, ClearKeyboard, Leave, Message
from bot.telegram.safelog import describe

log = logging.getLogger(__name__)
PRUNE_AT = 1024  # idle per-chat buckets kept before the full ones are dropped
METHODS = {Message: "sendMessage", Leave: "leaveChat", ClearKeyboard: "editMessageReplyMarkup"}


@dataclass(frozen=True)
class Retry:
    """How hard to try one message: back-off doubles from `base` up to `cap` seconds."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    floods: int = 5  # 429 answers tolerated for one message

    def delay(self, failures: int) -> float:
        return min(self.cap, self.base * 2 ** (failures - 1))


class Sender:
    def __init__(
        self,
        bot: Bot,
        *,
        on_blocked: Callable[[int], Awaitable[None]],
        pacing: Pacing | None = None,
        retry: Retry | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,  # noqa: S311 (spreading retries, not secrecy)
    ) -> None:
        self._bot = bot
        self._on_blocked = on_blocked
        self._pacing = pacing or Pacing()
        self._retry = retry or Retry()
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._queues: dict[int, deque[Action]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._side: set[asyncio.Task[None]] = set()
        self._buckets: dict[int, TokenBucket] = {}
        self._global = (
            TokenBucket(self._pacing.global_rate, self._pacing.global_burst, clock())
            if self._pacing.global_rate
            else None
        )

    def send(self, chat_id: int, actions: Iterable[Action]) -> None:
        """Queue messages for a chat; they go out in order, after any already queued."""
        queue = self._queues.setdefault(chat_id, deque())
        queue.extend(actions)
        if chat_id in self._workers:
            return
        if queue:
            self._workers[chat_id] = asyncio.create_task(self._work(chat_id, queue))
        else:
            del self._queues[chat_id]

    def discard(self, chat_id: int) -> None:
        """Drop whatever is still queued for a chat (it blocked the bot)."""
        if (queue := self._queues.get(chat_id)) is not None:
            queue.clear()

    def answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner at once; it is not a message, so it is not paced."""
        task = asyncio.create_task(self._answer(callback_id))
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    async def drain(self) -> None:
        """Wait until every queue is empty."""
        while self._workers or self._side:
            await asyncio.wait([*self._workers.values(), *self._side])

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget, not a wrapper)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.drain()
        unsent = sum(len(queue) for queue in self._queues.values())
        tasks = [*self._workers.values(), *self._side]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if unsent:
            log.warning("telegram: stopped with %d messages unsent", unsent)

    async def _work(self, chat_id: int, queue: deque[Action]) -> None:
        blocked = False
        try:
            while queue and not blocked:
                action = queue[0]
                try:
                    blocked = not await self._deliver(chat_id, action)
                except Exception as exc:  # a bug must not strand the messages behind it
                    log.error("telegram: a send failed unexpectedly: %s", describe(exc))
                # `discard` may have emptied the queue meanwhile, and `send` refilled it.
                if queue and queue[0] is action:
                    queue.popleft()
        finally:
            del self._workers[chat_id]
            self._queues.pop(chat_id, None)
        if blocked:
            try:
                await self._on_blocked(chat_id)
            except Exception as exc:  # the draft still expires at its TTL (AN-03)
                log.error("telegram: forgetting a blocked chat failed: %s", type(exc).__name__)

    async def _deliver(self, chat_id: int, action: Action) -> bool:
        """Try until delivered or given up; False when the chat has blocked the bot."""
        method = METHODS[type(action)]
        cosmetic = isinstance(action, ClearKeyboard)
        failures = floods = 0
        while True:
            await self._pace(chat_id)
            try:
                await self._call(chat_id, action)
                return True
            except RetryAfter as exc:
                floods += 1
                if floods > self._retry.floods:
                    log.error("telegram %s: still rate limited, gave up on a message", method)
                    return True
                await self._sleep(_seconds(exc.retry_after) + 0.5 * self._jitter())
            except Forbidden:
                log.info("telegram %s: 403", method)
                return isinstance(action, Leave)
            except BadRequest:  # before NetworkError, which PTB makes its base class
                log.log(logging.INFO if cosmetic else logging.WARNING, "telegram %s: 400", method)
                return True
            except NetworkError as exc:  # 5xx, timeouts, connection failures
                failures += 1
                if cosmetic:
                    log.info("telegram %s: not retried (%s)", method, type(exc).__name__)
                    return True
                if failures >= self._retry.attempts:
                    log.error(
                        "telegram %s: gave up after %d attempts (%s)",
                        method,
                        failures,
                        type(exc).__name__,
                    )
                    return True
                delay = self._retry.delay(failures)
                await self._sleep(delay * (1 + 0.1 * self._jitter()))
            except TelegramError as exc:  # bad token, chat migrated, ...: retrying cannot help
                log.error("telegram %s: refused (%s)", method, type(exc).__name__)
                return True

    async def _call(self, chat_id: int, action: Action) -> None:
        if isinstance(action, Message):
            await self._bot.send_message(chat_id, action.text, reply_markup=action.reply_markup)
        elif isinstance(action, ClearKeyboard):
            # No reply_markup removes the keyboard. PTB would send an empty
            # InlineKeyboardMarkup as {}, which the Bot API contract refuses.
            await self._bot.edit_message_reply_markup(chat_id, action.message_id)
        else:
            await self._bot.leave_chat(chat_id)

    async def _pace(self, chat_id: int) -> None:
        if self._pacing.chat_rate:
            wait = self._bucket(chat_id, self._pacing.chat_rate).reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)
        if self._global is not None:
            wait = self._global.reserve(self._clock())
            if wait > 0:
                await self._sleep(wait)

    def _bucket(self, chat_id: int, rate: float) -> TokenBucket:
        now = self._clock()
        if chat_id not in self._buckets and len(self._buckets) >= PRUNE_AT:
            self._buckets = {c: b for c, b in self._buckets.items() if not b.full(now)}
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = TokenBucket(rate, self._pacing.chat_burst, now)
        return bucket

    async def _answer(self, callback_id: str) -> None:
        try:
            await self._bot.answer_callback_query(callback_id)
        except TelegramError as exc:  # a lost answer only leaves a spinner turning
            log.info("telegram answerCallbackQuery: %s", type(exc).__name__)


def _seconds(retry_after: int | dt.timedelta) -> float:
    # PTB 22 gives a timedelta with PTB_TIMEDELTA=true, otherwise an int.
    if isinstance(retry_after, dt.timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
