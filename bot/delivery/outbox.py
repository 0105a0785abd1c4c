"""The outbox loop shared by the channels (issue 13): replies become sealed rows written
with the step they answer, the process that wrote them delivers them at once, and a loop
picks up any row no live process holds — after a crash or restart, or left by another
process. Each channel has lanes of its own (`prefix`) and says how its messages and
recipients are written down.

- Rows are sealed with `Services.sealer`: the recipient and the message are never
  readable in the database, and a row is deleted as soon as its call succeeds.
- A process holds what it delivers (`owner`, with a lease it renews); on a clean stop it
  lets go of what is left, so the next start or another process sends it at once; after
  a kill the lease runs out and anyone takes over. With SQLite there is one deliverer,
  which takes everything over at start.
- Rows past `OUTBOX_MAX_AGE_HOURS` are dropped and counted as dead letters.

Nothing here logs a recipient or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from bot.conversation import Outbound
from bot.delivery.sender import Item, Marks, Sender
from flows.events import Say
from storage import outbox as store
from storage.conversations import mark_once
from storage.db import Database
from storage.sealing import Sealer, SealError

log = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=30)  # how long a silent process keeps what it holds
POLL = 1.0  # seconds between looks for rows nobody holds
LANES = 100  # recipients taken over at a time
K = TypeVar("K", bound=Hashable)
B = TypeVar("B")


class Plan(Generic[K, B]):
    """One reply on its way: the channel renders the messages into rows (inside the
    transaction that commits the step), and they are remembered for handing straight to
    the sender."""

    def __init__(self, box: Outbox[K, B], to: K) -> None:
        self._box = box
        self._to = to
        self._sealed_to = box.sealer.seal(str(to))
        self.bodies: list[B] = []

    def _rows(self, bodies: list[B], urgent: bool) -> list[store.Envelope]:
        self.bodies = bodies
        return self._box.envelopes(self._to, bodies, urgent, self._sealed_to)

    def rows(self, messages: list[Say], asked: str | None = None) -> list[store.Envelope]:
        """`asked`: the screen the conversation showed before this step."""
        raise NotImplementedError

    def outbound(self) -> Outbound:
        return Outbound(self.rows, self._box.owner, self._box.lease_until())

    def hand_over(self, queued: Sequence[store.Stored]) -> None:
        """Give the sender what this process holds of the rows just committed."""
        self._box.hand_over(self._to, queued, self.bodies)


class Outbox(Marks[K], Generic[K, B]):
    name = "outbox"  # the channel, for the log and the task
    prefix = ""  # the channel's lanes ("" for Telegram's, see `storage.outbox`)
    renew_at_start = False  # renew leases and expire old rows before the loop's first look

    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        lane: Callable[[K], str],
        sender: Sender[K, B],
        *,
        forget: Callable[[K], Any],
        max_age: dt.timedelta,
        now: Callable[[], dt.datetime],
        poll: float = POLL,
        lease: dt.timedelta = LEASE,
    ) -> None:
        self.db = db
        self.sealer = sealer
        self.lane = lane
        self.sender = sender
        self.owner = secrets.token_hex(8)
        self._forget = forget
        self._max_age = max_age
        self._now = now
        self._poll = poll
        self._lease = lease
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def encode(self, body: B) -> str:
        """A message as text, to be sealed."""
        raise NotImplementedError

    def decode(self, text: str) -> B:
        raise NotImplementedError

    def recipient(self, text: str) -> K:
        """The recipient from its unsealed text (`str(to)` when sealed)."""
        raise NotImplementedError

    def lease_until(self) -> dt.datetime:
        return self._now() + self._lease

    def envelopes(
        self, to: K, bodies: Sequence[B], urgent: bool, sealed_to: bytes | None = None
    ) -> list[store.Envelope]:
        chat, lane, seal = sealed_to or self.sealer.seal(str(to)), self.lane(to), self.sealer.seal
        return [store.Envelope(lane, chat, seal(self.encode(b)), urgent) for b in bodies]

    def hand_over(self, to: K, stored: Sequence[store.Stored], bodies: Sequence[B]) -> None:
        self.sender.push(
            Item(to, body, row.seq, row.urgent, row.born)
            for row, body in zip(stored, bodies, strict=True)
            if row.held
        )

    async def tell(
        self, to: K, bodies: Sequence[B], urgent: bool = False, once: str | None = None
    ) -> None:
        """Store messages that answer no step (a notice), then send them. `once`: the
        message's mark, written with them, so a redelivery is not answered twice."""
        async with self.db.write() as conn:
            if once is not None and not await mark_once(conn, once, self._now()):
                return
            envelopes = self.envelopes(to, bodies, urgent)
            stored = await store.put(conn, envelopes, self._now(), self.owner, self.lease_until())
        self.hand_over(to, stored, bodies)

    # --- Marks: what the sender calls ---------------------------------------------------

    async def delivered(self, seq: int) -> None:
        await store.delivered(self.db, [seq])

    async def gone(self, to: K) -> int:
        dropped = await store.drop_lane(self.db, self.lane(to))
        await self._forget(to)
        return dropped

    # --- the loop that takes over rows nobody holds ---------------------------------------

    async def start(self, single: bool) -> None:
        """Begin delivering. `single` (SQLite): this is the only deliverer, so whatever
        another (dead) process held is taken over at once."""
        if single:
            await store.release(self.db)
        if self.renew_at_start:
            try:
                await self._housekeep(self._now())
            except Exception as exc:  # the loop tries again
                log.warning("%s: outbox unavailable: %s", self.name, type(exc).__name__)
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-outbox")

    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget)
        """Deliver for up to `timeout` seconds, then let go of the rest for the next start."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        left = await self.sender.close(timeout)
        await self._settle()
        try:
            await store.release(self.db, self.owner)
        except Exception as exc:  # the leases run out by themselves
            log.warning("%s: could not hand back the outbox: %s", self.name, type(exc).__name__)
        if left:
            log.info("%s: %d messages left in the outbox for the next start", self.name, left)

    async def _settle(self) -> None:
        """Finish marking what was delivered, before the rest is handed back."""
        return None

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
                log.warning("%s: outbox unavailable: %s", self.name, type(exc).__name__)
                await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                continue
            if taken < LANES:
                await asyncio.sleep(self._poll)

    async def _housekeep(self, now: dt.datetime) -> None:
        await store.renew(self.db, self.owner, now + self._lease)
        if dropped := await store.expire(self.db, now - self._max_age):
            self.sender.counts.dead_letters += dropped
            log.warning("%s: dropped %d messages past the outbox's maximum age", self.name, dropped)

    async def _take(self, now: dt.datetime) -> int:
        """Claim free lanes and queue their rows; the number of lanes taken."""
        if not await store.waiting(self.db, now, self.prefix):
            return 0
        lease = now + self._lease
        rows = await store.claim(self.db, self.owner, now, lease, LANES, self.prefix)
        items = []
        for row in rows:
            if self.sender.holds(row.seq):
                continue
            try:
                to = self.recipient(self.sealer.unseal(row.chat))
                body = self.decode(self.sealer.unseal(row.body))
            except (SealError, ValueError, KeyError) as exc:
                log.error("%s: an outbox row cannot be opened: %s", self.name, type(exc).__name__)
                await store.delivered(self.db, [row.seq])
                continue
            items.append(Item(to, body, row.seq, row.urgent, row.born))
        self.sender.push(items)
        return len({row.lane for row in rows})
