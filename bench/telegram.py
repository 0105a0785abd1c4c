"""Telegram channel benchmark: full-stack updates per second beside a bare PTB floor.

100 simulated young people answer at once, each sending its next update only when the
reply to the last one has arrived. Two stacks are measured in the same run, behind the
same in-process network layer (a PTB `BaseRequest` that answers Bot API calls without a
socket, so the network is not what is measured, while PTB still encodes every request and
parses every answer):

- full stack: getUpdates -> whitelist -> conversation service -> engine -> SQLite commit
  of the step with its sealed outbox rows (group commit, synchronous=FULL) -> per-chat
  send queues -> sendMessage or editMessageText -> the row deleted. Pacing is off (it
  exists to wait), as are retries (nothing fails).
- floor: a bare python-telegram-bot `Application` polling the same layer, whose handler
  answers the button and replies with a keyboard, no storage.

Each person runs the real check-in (deep link, taps, words, review, Send) again and again
under fresh chat ids. Printed: updates/s for both, the ratio, p50/p99 latency from an
update being offered to getUpdates to the last message of its reply, and how many updates
shared each write transaction. The full stack runs three ways: with the WAL wipe after
each Send on its default timer (WAL_WIPE_SECONDS), with it at 0 s (a checkpoint as soon
as one is due: the worst case), and with the wipe off, to show what it costs (AN-11).
`--profile` adds a cProfile of the full stack; `--ceiling` also runs the full stack with
drafts kept in a dict instead of SQL, which shows what the channel, PTB and the engine
cost without storage.
`--http` runs both stacks against the fake Bot API server over loopback HTTP instead
(see bench/telegram_http.py).
Run: .venv/bin/python bench/telegram.py [--seconds 5] [--chats 100] [--profile] [--ceiling]
     [--http]
"""

# ruff: noqa: E402 (the path fix below must run before `telegram` is imported)
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder leads sys.path and its name would hide the
# `telegram` package; the project root takes its place.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import pstats
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.conversation import Reply
from bot.delivery.pacing import UNPACED
from bot.telegram.channel import build_channel
from bot.telegram.client import make_bot
from flows import engine
from flows.events import Say
from flows.inputs import Input, Start
from flows.state import State
from storage import catalog
from storage.catalog import InviteInfo
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

TOKEN = "123456789:AAHbenchTokenNotReal_0123456789-abcdefgh"
BASE_URL = "http://loopback.invalid/bot"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
WORDS = "They listen and help me sort out college stuff"
WIPE_DEFAULT = Settings.model_fields["wal_wipe_seconds"].default
# The full stack's variants: WAL_WIPE_SECONDS, or None for the wipe off.
WIPES: dict[str, float | None] = {"full": WIPE_DEFAULT, "wipe0": 0.0, "nowipe": None}
# The check-in as a person does it: (kind, value); "start" takes the invite code.
SCRIPT = [
    ("start", ""),
    ("tap", "a:intro:next"),
    ("tap", "a:trust:4"),
    ("tap", "a:relatability:5"),
    ("tap", "a:heard:3"),
    ("tap", "a:power:skip"),
    ("tap", "a:agency:pns"),
    ("tap", "a:aliveness:4"),
    ("text", WORDS),
    ("text", "keeps changing the time we meet"),
    ("text", "/skip"),
    ("tap", "a:review:send"),
]


@dataclass
class Hub:
    """The far side of the network: updates waiting for getUpdates, replies per chat."""

    pending: list[dict[str, Any]] = field(default_factory=list)
    offered: dict[int, float] = field(default_factory=dict)
    waiters: dict[int, tuple[int, asyncio.Future[None]]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    messages: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    sent: Counter[int] = field(default_factory=Counter)

    def offer(self, update: dict[str, Any]) -> None:
        self.pending.append({"update_id": next(self.ids), **update})
        self.arrived.set()

    async def take(self, timeout: float) -> list[dict[str, Any]]:  # noqa: ASYNC109
        if not self.pending:
            self.arrived.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self.arrived.wait()
            except TimeoutError:
                return []
        batch, self.pending = self.pending[:100], self.pending[100:]
        return batch

    def delivered(self, chat_id: int) -> None:
        self.sent[chat_id] += 1
        if (waiting := self.waiters.get(chat_id)) is None:
            return
        left, future = waiting
        if left <= 1:
            del self.waiters[chat_id]
            future.set_result(None)
        else:
            self.waiters[chat_id] = (left - 1, future)

    def expect(self, chat_id: int, replies: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = (replies, future)
        return future


class LoopbackRequest(BaseRequest):
    """Answers Bot API calls in-process, after encoding them as PTB would for the wire."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        encoded = request_data.json_parameters if request_data else {}  # the wire's cost
        params = request_data.parameters if request_data else {}
        result: Any = True
        if endpoint == "getUpdates":
            result = await self.hub.take(float(params.get("timeout", 0)))
        elif endpoint == "getMe":
            result = BOT_USER
        elif endpoint in ("sendMessage", "editMessageText"):
            chat_id = int(params["chat_id"])
            result = {
                "message_id": params.get("message_id") or next(self.hub.messages),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params["text"],
            }
            if "reply_markup" in encoded:
                result["reply_markup"] = json.loads(encoded["reply_markup"])
            self.hub.delivered(chat_id)
        return 200, json.dumps({"ok": True, "result": result}).encode()


def update_for(kind: str, value: str, chat_id: int, code: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    chat = {"id": chat_id, "type": "private", "first_name": "Sam"}
    if kind == "tap":
        return {
            "callback_query": {
                "id": f"q{chat_id}{value}",
                "from": user,
                "chat_instance": "1",
                "data": value,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": chat,
                    "text": "q",
                    # The tapped message's own buttons: it can become the next screen.
                    "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": value}]]},
                },
            }
        }
    text = f"/start {code}" if kind == "start" else value
    return {"message": {"message_id": 1, "date": 0, "chat": chat, "from": user, "text": text}}


@dataclass
class Result:
    updates: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, p: float) -> float:
        return statistics.quantiles(self.latencies, n=100)[int(p) - 1] * 1000


async def drive(hub: Hub, code: str, replies: list[int], chats: int, seconds: float) -> Result:
    """`chats` people answering at once until the time is up; completed updates only."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    fresh = itertools.count(10_000_000)

    async def person() -> None:
        while time.perf_counter() < deadline:
            chat_id = next(fresh)
            for (kind, value), count in zip(SCRIPT, replies, strict=True):
                done = hub.expect(chat_id, count)
                began = time.perf_counter()
                hub.offer(update_for(kind, value, chat_id, code))
                await done
                if (ended := time.perf_counter()) > deadline:
                    return
                latencies.append(ended - began)

    started = time.perf_counter()
    await asyncio.gather(*(person() for _ in range(chats)))
    return Result(len(latencies), min(time.perf_counter(), deadline) - started, latencies)


async def reply_counts(hub: Hub, stack: Stack) -> list[int]:
    """How many messages the full stack sends for each step, from one person alone: once
    the first message of a reply is out, the rest is already queued (all of a reply is
    queued at once, after the commit), so draining the sender completes it."""
    counts, chat_id = [], 9_999_999
    for kind, value in SCRIPT:
        before = hub.sent[chat_id]
        first = hub.expect(chat_id, 1)
        hub.offer(update_for(kind, value, chat_id, stack.code))
        await first
        await stack.drain()
        counts.append(hub.sent[chat_id] - before)
    return counts


@dataclass
class Stack:
    code: str
    transactions: Callable[[], int]
    drain: Callable[[], Awaitable[None]]
    checkpoints: Callable[[], list[float]]


def keep_drafts_in_memory(services: Services, invite: InviteInfo) -> None:
    """Diagnostic (--ceiling): the conversation service's storage swapped for a dict, so
    what is left is this channel, PTB and the engine: the most the adapter could do."""
    conversations = services.conversations
    drafts: dict[str, State] = {}
    seen: set[str | None] = set()
    context = (("invite", invite.id), ("team", invite.team_id), ("worker", ""))
    flow = conversations.flows[invite.flow_id]

    async def handle(
        channel: str, external_id: str, inp: Input, *, update_key: str | None = None
    ) -> Reply:
        if update_key in seen:
            return Reply([], open=True, duplicate=True)
        seen.add(update_key)
        key = conversations.key(channel, external_id)
        if isinstance(inp, Start):
            inp = Start(context, inp.lang)
        result = engine.step(flow, drafts.pop(key, None), inp, conversations.kit)
        if result.state is not None:
            drafts[key] = result.state
        says = [e for e in result.events if isinstance(e, Say)]
        return Reply(says, open=result.state is not None)

    conversations.handle = handle  # type: ignore[method-assign]


@asynccontextmanager
async def full_stack(
    hub: Hub | None,
    data_dir: Path,
    in_memory: bool = False,
    *,
    token: str = TOKEN,
    api_url: str = BASE_URL,
    wipe: float | None = WIPE_DEFAULT,
) -> AsyncIterator[Stack]:
    """The product's channel; with a `hub` its network is faked in process, without one
    it talks HTTP to `api_url` through its own client (`--http`). `wipe` is
    WAL_WIPE_SECONDS; None turns the WAL wipe off."""
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        demo_data=False,
        telegram_bot_token=token,
        telegram_api_url=api_url,
        wal_wipe_seconds=wipe or 0,
    )
    services = await bootstrap(settings)
    checkpoints: list[float] = []  # seconds each, waiting for the writer included
    checkpoint = services.db.checkpoint

    async def counted_checkpoint() -> bool:
        began = time.perf_counter()
        done = await checkpoint()
        checkpoints.append(time.perf_counter() - began)
        return done

    services.db.checkpoint = counted_checkpoint  # type: ignore[method-assign]
    if wipe is None:
        services.db.wipe_soon = lambda: None  # type: ignore[method-assign]
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "Bench")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="bench", now=services.clock()
        )
    transactions = 0
    write = services.db.write

    @asynccontextmanager
    async def counted() -> AsyncIterator[Any]:
        nonlocal transactions
        transactions += 1
        async with write() as conn:
            yield conn

    services.db.write = counted  # type: ignore[method-assign]
    if in_memory:
        keep_drafts_in_memory(services, invite)
    bot = None
    if hub is not None:
        loopback = LoopbackRequest(hub)
        bot = make_bot(TOKEN, BASE_URL, request=loopback, get_updates_request=LoopbackRequest(hub))
    channel = build_channel(services, pacing=UNPACED, bot=bot, poll_timeout=1)
    await channel.start()
    try:
        yield Stack(
            invite.code, lambda: transactions, channel.handler.sender.drain, lambda: checkpoints
        )
    finally:
        await channel.stop(timeout=5)
        await services.close()


@asynccontextmanager
async def bare_floor(
    hub: Hub | None, *, token: str = TOKEN, api_url: str = BASE_URL
) -> AsyncIterator[None]:
    """A bare PTB Application; over `hub`, or over HTTP to `api_url` with PTB's defaults."""
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"{n}", callback_data=f"a:trust:{n}")] for n in range(1, 6)]
        + [
            [
                InlineKeyboardButton("Skip", callback_data="a:trust:skip"),
                InlineKeyboardButton("Help", callback_data="c:help"),
            ]
        ]
    )

    async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, "Question", reply_markup=keyboard)

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, "Question", reply_markup=keyboard)

    builder = Application.builder().token(token).base_url(api_url).concurrent_updates(True)
    if hub is not None:
        builder = builder.request(LoopbackRequest(hub)).get_updates_request(LoopbackRequest(hub))
    app = builder.build()
    app.add_handler(CallbackQueryHandler(on_tap))
    app.add_handler(MessageHandler(filters.ALL, on_text))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


async def measure(seconds: float, chats: int, profile: bool, ceiling: bool) -> None:
    rounds: dict[str, list[Result]] = {name: [] for name in ("floor", *WIPES, "ceiling")}
    shared: list[float] = []
    checkpoints: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub()
        async with full_stack(hub, Path(tmp) / "counts") as stack:
            counts = await reply_counts(hub, stack)
        print(f"messages sent for each step of the check-in: {counts}")
        floor_counts = [1] * len(SCRIPT)
        for n in range(2):
            hub = Hub()
            async with bare_floor(hub):
                await drive(hub, stack.code, floor_counts, chats, 0.5)  # warm-up
                rounds["floor"].append(await drive(hub, stack.code, floor_counts, chats, seconds))
            for name, wipe in WIPES.items():
                hub = Hub()
                async with full_stack(hub, Path(tmp) / f"{name}{n}", wipe=wipe) as stack:
                    await drive(hub, stack.code, counts, chats, 0.5)
                    before, wiped = stack.transactions(), len(stack.checkpoints())
                    profiler = cProfile.Profile() if profile and n == 1 and name == "full" else None
                    if profiler:
                        profiler.enable()
                    result = await drive(hub, stack.code, counts, chats, seconds)
                    if profiler:
                        profiler.disable()
                        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
                    rounds[name].append(result)
                    checkpoints.setdefault(name, []).extend(stack.checkpoints()[wiped:])
                    if name == "full":
                        shared.append(result.updates / max(1, stack.transactions() - before))
            if ceiling:
                hub = Hub()
                async with full_stack(hub, Path(tmp) / f"mem{n}", in_memory=True) as stack:
                    await drive(hub, stack.code, counts, chats, 0.5)
                    rounds["ceiling"].append(await drive(hub, stack.code, counts, chats, seconds))
    best = {name: max(results, key=lambda r: r.rate) for name, results in rounds.items() if results}
    names = {
        "floor": "bare PTB handler (floor)",
        "full": f"full stack, outbox, edits, WAL wipe {WIPE_DEFAULT:g} s",
        "wipe0": "same, WAL wipe 0 s",
        "nowipe": "same, WAL wipe off",
        "ceiling": "same, drafts in a dict (no SQL)",
    }
    print(f"{f'{chats} chats answering at once':34} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in best.items():
        print(f"{names[name]:34} {r.rate:10,.0f} {r.percentile(50):8.1f} {r.percentile(99):8.1f}")
    ratio = best["full"].rate / best["floor"].rate
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(f"full stack / floor: {ratio:.0%} (target >= 50%: {verdict})")
    if "ceiling" in best:
        print(f"without SQL / floor: {best['ceiling'].rate / best['floor'].rate:.0%}")
    print(f"updates per write transaction (group commit): {max(shared):.1f}")
    for name in WIPES:
        change = best[name].rate / best["nowipe"].rate - 1
        took = checkpoints.get(name, [])
        each = f", {statistics.mean(took) * 1000:.0f} ms each" if took else ""
        print(f"{names[name]}: {len(took)} checkpoints{each}; updates/s {change:+.1%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="cProfile the full stack")
    parser.add_argument(
        "--ceiling", action="store_true", help="also run the stack with drafts in a dict"
    )
    parser.add_argument(
        "--http", action="store_true", help="both stacks over loopback HTTP to the fake Bot API"
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    if args.http:
        from bench.telegram_http import measure_http

        asyncio.run(measure_http(args.seconds, args.chats, args.profile))
        return
    asyncio.run(measure(args.seconds, args.chats, args.profile, args.ceiling))


if __name__ == "__main__":
    main()
