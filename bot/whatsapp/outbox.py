"""The WhatsApp side of the shared outbox (issue 13): replies become sealed rows written
with the step they answer, in lanes of their own ("wa:" + an HMAC of the recipient); the
process that wrote them delivers them at once, and a loop picks up rows no live process
holds. Leases, release on stop and the maximum age work exactly as for Telegram
(`bot.telegram.outbox`); only the calls differ.

Status callbacks drive it too: a failed delivery that says the person is out of reach
(`sender.GONE`) drops what waits for them and forgets their draft, as a 131026 answer
does. Statuses are never stored or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from bot.conversation import Outbound
from bot.telegram.render import urgent
from bot.whatsapp.render import Body, render_all
from bot.whatsapp.sender import GONE, Item, Marks, Sender
from flows.events import Say
from storage import outbox as store
from storage.conversations import mark_once
from storage.db import Database
from storage.sealing import Sealer, SealError

log = logging.getLogger(__name__)
PREFIX = "wa:"
LEASE = dt.timedelta(seconds=30)
POLL = 1.0
LANES = 100


class Plan:
    """One reply on its way: rows written inside the step's transaction, and the messages
    remembered for handing straight to the sender."""

    def __init__(self, box: WhatsAppOutbox, to: str, lang_of: Callable[[list[Say]], str]) -> None:
        self._box = box
        self._to = to
        self._lang_of = lang_of
        self.bodies: list[Body] = []

    def rows(self, messages: list[Say], asked: str | None = None) -> list[store.Envelope]:
        self.bodies = render_all(messages, self._lang_of(messages)) if messages else []
        return self._box.envelopes(self._to, self.bodies, urgent(messages))

    def outbound(self) -> Outbound:
        return Outbound(self.rows, self._box.owner, self._box.lease_until())

    def hand_over(self, queued: Sequence[store.Stored]) -> None:
        self._box.sender.push(
            Item(self._to, body, row.seq, row.urgent, row.born)
            for row, body in zip(queued, self.bodies, strict=True)
            if row.held
        )


class WhatsAppOutbox(Marks):
    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        key: Callable[[str], str],
        sender: Sender,
        *,
        forget: Callable[[str], Any],
        max_age: dt.timedelta,
        now: Callable[[], dt.datetime],
        poll: float = POLL,
        lease: dt.timedelta = LEASE,
    ) -> None:
        self.db = db
        self.sealer = sealer
        self._key = key
        self.sender = sender
        self.owner = secrets.token_hex(8)
        self._forget = forget
        self._max_age = max_age
        self._now = now
        self._poll = poll
        self._lease = lease
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def lane(self, to: str) -> str:
        return (PREFIX + self._key(to))[:64]

    def plan(self, to: str, lang_of: Callable[[list[Say]], str]) -> Plan:
        return Plan(self, to, lang_of)

    def lease_until(self) -> dt.datetime:
        return self._now() + self._lease

    def envelopes(self, to: str, bodies: list[Body], is_urgent: bool) -> list[store.Envelope]:
        chat, lane, seal = self.sealer.seal(to), self.lane(to), self.sealer.seal
        return [
            store.Envelope(lane, chat, seal(json.dumps(b, ensure_ascii=False)), is_urgent)
            for b in bodies
        ]

    async def tell(
        self, to: str, bodies: list[Body], is_urgent: bool = False, once: str | None = None
    ) -> None:
        """Store messages that answer no step (a notice), then send them. `once`: the
        message's mark, written with them, so a redelivery is not answered twice."""
        async with self.db.write() as conn:
            if once is not None and not await mark_once(conn, once, self._now()):
                return
            stored = await store.put(
                conn,
                self.envelopes(to, bodies, is_urgent),
                self._now(),
                self.owner,
                self.lease_until(),
            )
        self.sender.push(
            Item(to, b, row.seq, row.urgent, row.born)
            for row, b in zip(stored, bodies, strict=True)
            if row.held
        )

    # --- Marks: what the sender and status callbacks call ---------------------------------

    async def delivered(self, seq: int) -> None:
        await store.delivered(self.db, [seq])

    async def gone(self, to: str) -> int:
        dropped = await store.drop_lane(self.db, self.lane(to))
        await self._forget(to)
        return dropped

    async def failed(self, to: str, codes: Sequence[int]) -> None:
        """A status callback said a message of ours failed: if the person is out of
        reach, stop sending to them (the rows left are dead letters)."""
        if GONE.intersection(codes):
            self.sender.discard(to)
            self.sender.counts.dead_letters += await self.gone(to)  # the rows are the count

    # --- the loop that takes over rows nobody holds ---------------------------------------

    async def start(self, single: bool) -> None:
        if single:
            await store.release(self.db)
        self._task = asyncio.create_task(self._run(), name="whatsapp-outbox")

    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget)
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        left = await self.sender.close(timeout)
        try:
            await store.release(self.db, self.owner)
        except Exception as exc:  # the leases run out by themselves
            log.warning("whatsapp: could not hand back the outbox: %s", type(exc).__name__)
        if left:
            log.info("whatsapp: %d messages left in the outbox for the next start", left)

    async def _run(self) -> None:
        renewed = self._now()
        failures = 0
        while not self._stopping.is_set():
            try:
                now = self._now()
                if now - renewed >= self._lease / 4:
                    await self._housekeep(now)
                    renewed = now
                taken = await self._take(now)
                failures = 0
            except Exception as exc:  # the database is away: try again shortly
                failures += 1
                log.warning("whatsapp: outbox unavailable: %s", type(exc).__name__)
                await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                continue
            if taken < LANES:
                await asyncio.sleep(self._poll)

    async def _housekeep(self, now: dt.datetime) -> None:
        await store.renew(self.db, self.owner, now + self._lease)
        if dropped := await store.expire(self.db, now - self._max_age):
            self.sender.counts.dead_letters += dropped
            log.warning("whatsapp: dropped %d messages past the outbox's maximum age", dropped)

    async def _take(self, now: dt.datetime) -> int:
        if not await store.waiting(self.db, now, PREFIX):
            return 0
        rows = await store.claim(self.db, self.owner, now, now + self._lease, LANES, PREFIX)
        items = []
        for row in rows:
            if self.sender.holds(row.seq):
                continue
            try:
                to = self.sealer.unseal(row.chat)
                body = json.loads(self.sealer.unseal(row.body))
            except (SealError, ValueError) as exc:
                log.error("whatsapp: an outbox row cannot be opened: %s", type(exc).__name__)
                await store.delivered(self.db, [row.seq])
                continue
            items.append(Item(to, body, row.seq, row.urgent, row.born))
        self.sender.push(items)
        return len({row.lane for row in rows})
