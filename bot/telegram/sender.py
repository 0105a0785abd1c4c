"""Telegram's calls for the shared sender (`bot.delivery.sender`): how one call is made,
and what each Bot API answer means (REL-07, REL-08, issue 13):
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
import datetime as dt
import logging
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery import sender as delivery
from bot.delivery.sender import Backoff, Outcome, Wait
from bot.telegram.client import POOL, TelegramBot
from bot.telegram.counts import Counts
from bot.telegram.render import Action, Edit, Leave, Message

log = logging.getLogger(__name__)
METHODS = {Message: "sendMessage", Leave: "leaveChat", Edit: "editMessageText"}
NOT_MODIFIED = "message is not modified"
Item = delivery.Item[int, Action]
Marks = delivery.Marks[int]


class Sender(delivery.Sender[int, Action]):
    name = "telegram"

    def __init__(self, bot: TelegramBot, *, counts: Counts | None = None, **kw: Any) -> None:
        self.counts: Counts
        super().__init__(counts=counts or Counts(), **kw)
        self._bot = bot
        # No more calls in flight than the client keeps connections: httpcore scans every
        # waiting request against every connection whenever one frees, so a queue of a
        # hundred chats' calls inside the pool cost more CPU than the calls themselves.
        self._slots = asyncio.Semaphore(POOL)

    async def attempt(self, item: Item) -> Outcome | Wait | Backoff:
        method = METHODS[type(item.body)]
        try:
            await self._call(item.to, item.body)
            return Outcome.DELIVERED
        except RetryAfter as exc:
            log.info("telegram %s: 429", method)
            return Wait(_seconds(exc.retry_after))
        except Forbidden:
            log.info("telegram %s: 403", method)
            return Outcome.DELIVERED if isinstance(item.body, Leave) else Outcome.GONE
        except BadRequest as exc:  # before NetworkError, which PTB makes its base class
            if isinstance(item.body, Edit):
                if NOT_MODIFIED in exc.message:
                    return Outcome.DELIVERED
                log.info("telegram %s: 400, sending it as a new message", method)
                item.body = Message(item.body.text, item.body.reply_markup)
                return Outcome.AGAIN
            log.warning("telegram %s: 400", method)
            return Outcome.DELIVERED
        except NetworkError as exc:  # 5xx, timeouts, connection failures
            return Backoff(f"{method}: {type(exc).__name__}")
        except TelegramError as exc:  # bad token, chat migrated, ...: retrying cannot help
            log.error("telegram %s: refused (%s)", method, type(exc).__name__)
            return Outcome.DELIVERED

    def answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner at once; it is not a message, so it is not paced."""
        self.side(self._answer(callback_id))

    async def _call(self, chat_id: int, action: Action) -> None:
        params: dict[str, Any] = {"chat_id": chat_id}
        if not isinstance(action, Leave):
            params["text"] = action.text
            if action.reply_markup is not None:
                params["reply_markup"] = action.reply_markup
        if isinstance(action, Edit):
            params["message_id"] = action.message_id
        async with self._slots:
            await self._bot.call(METHODS[type(action)], params)

    async def _answer(self, callback_id: str) -> None:
        """Once more after a short pause if it fails, so the spinner clears (issue 13)."""
        for attempt in range(2):
            try:
                async with self._slots:
                    await self._bot.call("answerCallbackQuery", {"callback_query_id": callback_id})
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
