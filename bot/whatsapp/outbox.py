"""The WhatsApp side of the shared outbox (issue 13, `bot.delivery.outbox`): Graph
message bodies as sealed JSON, in lanes of their own ("wa:" + an HMAC of the recipient).
Leases, release on stop and the maximum age work exactly as for Telegram.

Status callbacks drive it too: a failed delivery that says the person is out of reach
(`sender.GONE`) drops what waits for them and forgets their draft, as a 131026 answer
does. Statuses are never stored or logged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bot.delivery import outbox as delivery
from bot.telegram.render import urgent
from bot.whatsapp.render import Body, render_all
from bot.whatsapp.sender import GONE, Sender
from flows.events import Say
from storage import outbox as store
from storage.db import Database
from storage.sealing import Sealer

PREFIX = "wa:"


class Plan(delivery.Plan[str, Body]):
    def __init__(self, box: WhatsAppOutbox, to: str, lang_of: Callable[[list[Say]], str]) -> None:
        super().__init__(box, to)
        self._lang_of = lang_of

    def rows(self, messages: list[Say], asked: str | None = None) -> list[store.Envelope]:
        bodies = render_all(messages, self._lang_of(messages)) if messages else []
        return self._rows(bodies, urgent(messages))


class WhatsAppOutbox(delivery.Outbox[str, Body]):
    name = "whatsapp"
    prefix = PREFIX
    sender: Sender

    def __init__(
        self, db: Database, sealer: Sealer, key: Callable[[str], str], sender: Sender, **kw: Any
    ) -> None:
        super().__init__(db, sealer, lambda to: (PREFIX + key(to))[:64], sender, **kw)

    def plan(self, to: str, lang_of: Callable[[list[Say]], str]) -> Plan:
        return Plan(self, to, lang_of)

    def encode(self, body: Body) -> str:
        return json.dumps(body, ensure_ascii=False)

    def decode(self, text: str) -> Body:
        body: Body = json.loads(text)
        return body

    def recipient(self, text: str) -> str:
        return text

    async def failed(self, to: str, codes: Sequence[int]) -> None:
        """A status callback said a message of ours failed: if the person is out of
        reach, stop sending to them (the rows left are dead letters)."""
        if GONE.intersection(codes):
            self.sender.discard(to)
            self.sender.counts.dead_letters += await self.gone(to)  # the rows are the count
