"""WhatsApp's calls for the shared sender (`bot.delivery.sender`), paced like Telegram's:
a per-recipient token bucket and an overall rate handed out safety messages first.

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

import logging
from typing import Any

import httpx

from bot.delivery import sender as delivery
from bot.delivery.sender import Backoff, Outcome, Wait
from bot.whatsapp.client import GraphClient, GraphError
from bot.whatsapp.render import Body

log = logging.getLogger(__name__)
RATE_LIMITED = frozenset({130429, 131056, 131048, 80007})  # retry after a pause
GONE = frozenset({131047, 131026})  # outside the 24 h window, or blocked: drop the chat
Item = delivery.Item[str, Body]  # `to`: a wa_id, or "g:<group id>"
Marks = delivery.Marks[str]


class Sender(delivery.Sender[str, Body]):
    name = "whatsapp"
    gone_are_dead = True

    def __init__(self, client: GraphClient, **kw: Any) -> None:
        super().__init__(**kw)
        self._client = client

    async def attempt(self, item: Item) -> Outcome | Wait | Backoff:
        try:
            group = item.to.startswith("g:")
            await self._client.send(item.to[2:] if group else item.to, item.body, group)
            return Outcome.DELIVERED
        except GraphError as exc:
            if exc.code in GONE:
                log.info("whatsapp send: code %s, recipient dropped", exc.code)
                return Outcome.GONE
            if exc.code not in RATE_LIMITED and exc.status < 500:
                log.warning("whatsapp send: refused, HTTP %s code %s", exc.status, exc.code)
                return Outcome.DROPPED
            return Backoff(f"send: HTTP {exc.status} code {exc.code}")
        except httpx.HTTPError as exc:
            return Backoff(f"send: {type(exc).__name__}")
