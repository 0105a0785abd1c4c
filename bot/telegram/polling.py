"""Long polling (the default mode, one process): fetch a batch, handle it, and only then
confirm it by asking for the next offset (REL-04).

- Each chat's updates are handled in the order Telegram sent them; different chats run
  concurrently. If one update fails, the rest of its chat's updates wait with it.
- A batch is confirmed only when all of it is handled. Until then the same offset is
  asked for again after a back-off; updates already handled are skipped in memory, and
  a restart is covered by the `tg:<update_id>` marks the conversation service commits.
- An update that keeps failing is given up after `attempts` tries spread over at least
  `patience` seconds (REL-05, issue 13): a database away for up to 30 s delays the reply
  but shows no apology. Then the person gets an apology and the safety block, the log
  gets an error, and polling moves on.
- Update ids are never compared with "the last one seen": they are remembered by
  membership, because Telegram may restart them lower (REL-02).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable

from telegram.error import Conflict, InvalidToken, TelegramError

from bot.delivery.sender import Retry
from bot.safelog import describe
from bot.telegram.client import TelegramBot
from bot.telegram.handler import TelegramHandler
from bot.telegram.ingest import Incoming

log = logging.getLogger(__name__)
DEFAULT_RETRY = Retry()
PATIENCE = 60.0  # seconds an update keeps being retried before the apology
LONGEST_PAUSE = 5.0  # between retries of a batch, so a recovered database is used soon


async def handle_batch(
    handler: TelegramHandler, batch: list[Incoming]
) -> tuple[set[int], set[int]]:
    """Handle chats concurrently, each chat in order; the update ids handled and failed."""
    done: set[int] = set()
    failed: set[int] = set()
    chats: dict[object, list[Incoming]] = {}
    for inc in batch:
        key = inc.chat_id if inc.chat_id is not None else ("update", inc.update_id)
        chats.setdefault(key, []).append(inc)

    async def one_chat(items: list[Incoming]) -> None:
        for inc in items:
            try:
                await handler.process(inc)
            except Exception as exc:  # retried by the caller; never log the update itself
                log.warning("telegram: an update of kind %s failed: %s", inc.kind, describe(exc))
                failed.add(inc.update_id)
                return
            done.add(inc.update_id)

    await asyncio.gather(*(one_chat(items) for items in chats.values()))
    return done, failed


class Poller:
    def __init__(
        self,
        bot: TelegramBot,
        handler: TelegramHandler,
        *,
        timeout: float = 25,
        attempts: int = 5,
        pause: Callable[[int], float] = DEFAULT_RETRY.delay,
        patience: float = PATIENCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._handler = handler
        self._timeout = timeout
        self._attempts = attempts
        self._pause_for = pause
        self._patience = patience
        self._clock = clock
        self._stopping = asyncio.Event()
        self._offset: int | None = None
        self._unconfirmed = False

    async def run(self) -> None:
        """Poll until `stop()`; a batch being handled is finished first."""
        done: set[int] = set()
        failures: Counter[int] = Counter()
        first_failed: dict[int, float] = {}
        while not self._stopping.is_set():
            raw = await self._fetch()
            if raw is None:
                continue
            batch = [inc for r in raw if (inc := self._handler.parse(r)) is not None]
            handled, failed = await handle_batch(
                self._handler, [inc for inc in batch if inc.update_id not in done]
            )
            done |= handled
            log.debug("telegram: %d updates handled, %d failed", len(handled), len(failed))
            retrying = []
            for inc in batch:
                if inc.update_id in failed:
                    failures[inc.update_id] += 1
                    since = first_failed.setdefault(inc.update_id, self._clock())
                    patient = self._clock() - since < self._patience
                    if failures[inc.update_id] >= self._attempts and not patient:
                        await self._handler.apologise(inc)
                        done.add(inc.update_id)
                    else:
                        retrying.append(failures[inc.update_id])
            if all(inc.update_id in done for inc in batch):
                if batch:
                    self._offset = max(inc.update_id for inc in batch) + 1
                    self._unconfirmed = True
                done.clear()
                failures.clear()
                first_failed.clear()
            elif retrying:
                await self._pause(min(LONGEST_PAUSE, self._pause_for(max(retrying))))
            # Else only updates behind one just given up are left: ask again at once.
        await self._confirm()

    def stop(self) -> None:
        self._stopping.set()

    async def _fetch(self) -> list[dict[str, object]] | None:
        """The next batch, or None if stopping or Telegram could not be asked."""
        fetch = asyncio.create_task(self._bot.raw_updates(self._offset, self._timeout))
        stopping = asyncio.create_task(self._stopping.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            # Nothing fetched is lost: unconfirmed updates are delivered again.
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            return None
        try:
            raw = fetch.result()
        except Conflict:
            log.warning("telegram: getUpdates conflict (another poller, or a webhook is set)")
            await self._pause(5.0)
            return None
        except InvalidToken:
            log.error("telegram: the bot token was refused")
            await self._pause(60.0)
            return None
        except TelegramError as exc:
            log.warning("telegram: getUpdates failed: %s", type(exc).__name__)
            await self._pause(2.0)
            return None
        self._unconfirmed = False
        return raw

    async def _confirm(self) -> None:
        """On the way out, tell Telegram the last batch is handled (else it comes again)."""
        if not self._unconfirmed:
            return
        try:
            await self._bot.raw_updates(self._offset, 0, limit=1)
        except TelegramError as exc:  # the marks in the database make a repeat harmless
            log.info("telegram: confirming the last batch failed: %s", type(exc).__name__)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
