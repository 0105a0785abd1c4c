"""The Telegram side of the outbox (issue 13): replies become sealed rows written with the
step they answer, the process that wrote them delivers them at once, and a loop picks up
any row no live process holds — after a crash or restart, or left by another process.

- Rows are sealed with `Services.sealer`: the chat id and the call (text and buttons) are
  never readable in the database, and a row is deleted as soon as its call succeeds.
- A process holds what it delivers (`owner`, with a lease it renews); on a clean stop it
  lets go of what is left, so the next start or another process sends it at once; after
  a kill the lease runs out and anyone takes over. With SQLite there is one deliverer,
  which takes everything over at start.
- Rows past `OUTBOX_MAX_AGE_HOURS` are dropped and counted as dead letters.

Nothing here logs a chat id or a text.
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
from bot.telegram.render import Action, Edit, Leave, Message, render_all, urgent
from bot.telegram.sender import Item, Marks, Sender
from flows.engine import SAFETY_NODE
from flows.events import Say
from storage import outbox as store
from storage.db import Database
from storage.sealing import Sealer, SealError

log = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=30)  # how long a silent process keeps what it holds
POLL = 1.0  # seconds between looks for rows nobody holds
LANES = 100  # chats taken over at a time


def encode(action: Action) -> str:
    """A call as JSON, to be sealed."""
    if isinstance(action, Leave):
        return json.dumps({"k": "leave"})
    body: dict[str, Any] = {"k": "edit" if isinstance(action, Edit) else "send", "t": action.text}
    if isinstance(action, Edit):
        body["m"] = action.message_id
    if action.reply_markup is not None:
        body["b"] = action.reply_markup
    return json.dumps(body, ensure_ascii=False)


def decode(text: str) -> Action:
    body = json.loads(text)
    if body["k"] == "leave":
        return Leave()
    markup = body.get("b")
    if body["k"] == "edit":
        return Edit(int(body["m"]), body["t"], markup)
    return Message(body["t"], markup)


class Plan:
    """One reply on its way: renders the messages into rows (inside the transaction that
    commits the step), and remembers the calls for handing straight to the sender."""

    def __init__(self, box: TelegramOutbox, chat_id: int) -> None:
        self._box = box
        self._chat_id = chat_id
        self._tapped: tuple[int, str] | None = None
        self._sealed_chat = box.sealer.seal(str(chat_id))
        self.actions: list[Action] = []
        self.urgent = False

    def tapped(self, message_id: int, screen: str) -> None:
        """The update is a tap on a message showing `screen`'s buttons."""
        self._tapped = (message_id, screen)

    def rows(self, messages: list[Say], asked: str | None = None) -> list[store.Envelope]:
        """`asked`: the screen the conversation showed before this step. Only a tap on
        that screen's message changes it in place, and never the pause after a disclosure
        (its helplines stay on screen); any other reply comes as new messages."""
        edit = None
        if self._tapped is not None and asked not in (None, SAFETY_NODE):
            message_id, screen = self._tapped
            edit = message_id if screen == asked else None
        self.actions = render_all(messages, edit) if messages else []
        self.urgent = urgent(messages)
        lane, seal = self._box.lane(self._chat_id), self._box.sealer.seal
        return [
            store.Envelope(lane, self._sealed_chat, seal(encode(a)), self.urgent)
            for a in self.actions
        ]

    def outbound(self) -> Outbound:
        return Outbound(self.rows, self._box.owner, self._box.lease_until())

    def hand_over(self, queued: Sequence[store.Stored]) -> None:
        """Give the sender what this process holds of the rows just committed."""
        self._box.sender.push(
            Item(self._chat_id, action, row.seq, row.urgent, row.born)
            for row, action in zip(queued, self.actions, strict=True)
            if row.held
        )


class TelegramOutbox(Marks):
    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        lane: Callable[[int], str],
        sender: Sender,
        *,
        forget: Callable[[int], Any],
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
        self._marking: list[tuple[int, asyncio.Future[None]]] = []
        self._marker: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def plan(self, chat_id: int) -> Plan:
        return Plan(self, chat_id)

    def lease_until(self) -> dt.datetime:
        return self._now() + self._lease

    async def tell(self, chat_id: int, actions: list[Action], urgent: bool = False) -> None:
        """Store calls that answer no step (a notice), then send them."""
        chat, lane, seal = self.sealer.seal(str(chat_id)), self.lane(chat_id), self.sealer.seal
        envelopes = [store.Envelope(lane, chat, seal(encode(a)), urgent) for a in actions]
        now = self._now()
        async with self.db.write() as conn:
            stored = await store.put(conn, envelopes, now, self.owner, self.lease_until())
        self.sender.push(
            Item(chat_id, a, row.seq, row.urgent, row.born)
            for row, a in zip(stored, actions, strict=True)
            if row.held
        )

    # --- Marks: what the sender calls ---------------------------------------------------

    async def delivered(self, seq: int) -> None:
        """Delete the row; returns once it is gone. Deletes are batched across chats."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._marking.append((seq, future))
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._mark())
        await future

    async def gone(self, chat_id: int) -> int:
        dropped = await store.drop_lane(self.db, self.lane(chat_id))
        await self._forget(chat_id)
        return dropped

    async def _mark(self) -> None:
        failures = 0
        while self._marking:
            batch, self._marking = self._marking, []
            try:
                await store.delivered(self.db, [seq for seq, _ in batch])
            except Exception as exc:  # the database is away: keep the marks and try again
                self._marking[:0] = batch
                failures += 1
                log.warning("telegram: could not mark messages sent: %s", type(exc).__name__)
                await asyncio.sleep(min(5.0, 0.1 * 2**failures))
                continue
            failures = 0
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    # --- the loop that takes over rows nobody holds ---------------------------------------

    async def start(self, single: bool) -> None:
        """Begin delivering. `single` (SQLite): this is the only deliverer, so whatever
        another (dead) process held is taken over at once."""
        if single:
            await store.release(self.db)
        try:
            await self._housekeep(self._now())
        except Exception as exc:  # the loop tries again
            log.warning("telegram: outbox unavailable: %s", type(exc).__name__)
        self._task = asyncio.create_task(self._run(), name="telegram-outbox")

    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget)
        """Deliver for up to `timeout` seconds, then let go of the rest for the next start."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        left = await self.sender.close(timeout)
        if self._marker is not None:
            with contextlib.suppress(TimeoutError, Exception):
                async with asyncio.timeout(2):
                    await self._marker
        try:
            await store.release(self.db, self.owner)
        except Exception as exc:  # the leases run out by themselves
            log.warning("telegram: could not hand back the outbox: %s", type(exc).__name__)
        if left:
            log.info("telegram: %d messages left in the outbox for the next start", left)

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
                log.warning("telegram: outbox unavailable: %s", type(exc).__name__)
                await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                continue
            if taken < LANES:
                await asyncio.sleep(self._poll)

    async def _housekeep(self, now: dt.datetime) -> None:
        await store.renew(self.db, self.owner, now + self._lease)
        if dropped := await store.expire(self.db, now - self._max_age):
            self.sender.counts.dead_letters += dropped
            log.warning("telegram: dropped %d messages past the outbox's maximum age", dropped)

    async def _take(self, now: dt.datetime) -> int:
        """Claim free lanes and queue their rows; the number of lanes taken."""
        if not await store.waiting(self.db, now):
            return 0
        rows = await store.claim(self.db, self.owner, now, now + self._lease, LANES)
        items = []
        for row in rows:
            if self.sender.holds(row.seq):
                continue
            try:
                chat_id = int(self.sealer.unseal(row.chat))
                action = decode(self.sealer.unseal(row.body))
            except (SealError, ValueError, KeyError) as exc:
                log.error("telegram: an outbox row cannot be opened: %s", type(exc).__name__)
                await store.delivered(self.db, [row.seq])
                continue
            items.append(Item(chat_id, action, row.seq, row.urgent, row.born))
        self.sender.push(items)
        return len({row.lane for row in rows})
