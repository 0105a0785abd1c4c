"""The fault loop (REL-14, issue 13): real `youthvoice serve` processes, young people
checking in through the fake Bot API over loopback HTTP, and a nemesis that breaks
things at random for a set time; then a check of everything young people saw.

- SQLite: one process, long polling. PostgreSQL: two processes behind webhooks, to which
  this loop delivers each update as Telegram does (again, to either, until answered 200).
- Nemesis (seeded): kill -9 and restart a process, SIGTERM and restart it, Telegram
  answering 429 or 5xx to every call for a few seconds, and on PostgreSQL the database
  restarted (every connection cut) or refusing connections for a few seconds.
- History: every update sent, and every message shown in every chat (sent or edited).
- Checks, once the nemesis stops and the backlog is delivered: every person got the reply
  to every step they took (so every saved step got its reply), no apology, nothing out of
  order, at most one repeat per crash; the database holds exactly one complete submission
  for each person who was told "Sent." and no outbox rows.

Run: .venv/bin/python bench/faults.py [--seconds 60] [--db sqlite|postgres] [--people 20]
     [--seed 1]   (postgres needs YV_TEST_POSTGRES_URL); exits 1 if a check fails.
"""

# ruff: noqa: E402 (the path fix below must run before `telegram` is imported)
from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import random
import signal
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select

from storage import catalog
from storage.schema import Answer, Comment, OutboxMessage, Submission
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.storage.conftest import _admin, drop_postgres, fresh_postgres
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

SECRET = "fault-loop-secret"
WORDS = ("They listen to me", "More trips please")
# Each step of the check-in, and what the last message of its reply says.
STEPS = [
    ("start", "", "If you need help now"),
    ("tap", "a:intro:next", "Question 1 of 9"),
    ("tap", "a:trust:4", "Question 2 of 9"),
    ("tap", "a:relatability:5", "Question 3 of 9"),
    ("tap", "a:heard:3", "Question 4 of 9"),
    ("tap", "a:power:skip", "Question 5 of 9"),
    ("tap", "a:agency:2", "Question 6 of 9"),
    ("tap", "a:aliveness:4", "Question 7 of 9"),
    ("text", WORDS[0], "Question 8 of 9"),
    ("text", WORDS[1], "Question 9 of 9"),
    ("text", "/skip", "Nearly done"),
    ("tap", "a:review:send", "If you need help now"),
]
SHOWN = ("sendMessage", "editMessageText")
APOLOGY = "Sorry, something went wrong"
PATIENCE = 150.0  # seconds a person waits for a reply before it counts as lost


@dataclass
class Chat:
    """One person's chat as they saw it."""

    texts: list[str] = field(default_factory=list)
    screen: int = 1  # the message id showing the current buttons
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class History:
    """Every message shown, per chat, from the fake's answered calls."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.chats: dict[int, Chat] = {}
        api.listen(self.heard)

    def heard(self, call: Call) -> None:
        if call.method not in SHOWN or call.status != 200:
            return
        chat = self.chats.setdefault(int(call.params["chat_id"]), Chat())
        chat.texts.append(call.params["text"])
        chat.screen = int(call.params.get("message_id") or call.result["message_id"])
        chat.arrived.set()

    async def reply(self, chat_id: int, marker: str, after: int) -> bool:
        """Wait until a message after the first `after` ends with the step's marker."""
        chat = self.chats.setdefault(chat_id, Chat())
        deadline = time.monotonic() + PATIENCE
        while not any(marker in t for t in chat.texts[after:]):
            chat.arrived.clear()
            try:
                async with asyncio.timeout(deadline - time.monotonic()):
                    await chat.arrived.wait()
            except TimeoutError:
                return False
        return True


def update_for(kind: str, value: str, chat_id: int, code: str, screen: int) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    where = {"id": chat_id, "type": "private"}
    if kind == "tap":
        message = {
            "message_id": screen,
            "date": 0,
            "chat": where,
            "text": "q",
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": value}]]},
        }
        query = {"id": f"q{chat_id}-{value}", "from": user, "chat_instance": "1", "data": value}
        return {"callback_query": {**query, "message": message}}
    text = f"/start {code}" if kind == "start" else value
    return {"message": {"message_id": 1, "date": 0, "chat": where, "from": user, "text": text}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One `youthvoice serve` process, restartable."""

    def __init__(self, env: dict[str, str], cwd: Path, api: FakeTelegramAPI) -> None:
        self.env, self.cwd, self.api = env, cwd, api
        self.port = free_port()
        self.proc: asyncio.subprocess.Process | None = None
        self.log = cwd / f"serve-{self.port}.log"

    async def start(self) -> None:
        ready = "setWebhook" if "TELEGRAM_WEBHOOK_SECRET" in self.env else "getUpdates"
        before = len(self.api.calls(ready))
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "youthvoice.cli",
            "serve",
            env={**self.env, "PORT": str(self.port)},
            cwd=self.cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        try:
            await self.api.wait_for(lambda: len(self.api.calls(ready)) > before, timeout=90)
        except TimeoutError:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"a serve process did not start; its log ends:\n{tail}") from None

    async def stop(self, how: signal.Signals) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(how)
            await self.proc.wait()

    @property
    def up(self) -> bool:
        return self.proc is not None and self.proc.returncode is None


@dataclass
class Loop:
    api: FakeTelegramAPI
    servers: list[Server]
    code: str
    webhook: bool
    db_name: str | None
    rng: random.Random
    history: History
    counts: Counter[str] = field(default_factory=Counter)  # what the nemesis did
    stats: Counter[str] = field(default_factory=Counter)
    stopping: bool = False
    lost: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # chats told "Sent."

    async def deliver(self, update: dict[str, Any]) -> None:
        """Hand one update to the bot, as Telegram does."""
        pushed = {"update_id": next(UPDATE_IDS), **update}
        if not self.webhook:
            self.api.push_update(pushed)
            return
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient(timeout=30) as client:
            for attempt in itertools.count():
                live = [s for s in self.servers if s.up] or self.servers
                target = self.rng.choice(live)
                url = f"http://127.0.0.1:{target.port}/telegram/webhook"
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.post(url, json=pushed, headers=headers)).status_code == 200:
                        return
                self.stats["webhook deliveries retried"] += 1
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))

    async def person(self, chats: itertools.count[int]) -> None:
        while not self.stopping:
            chat_id = next(chats)
            for kind, value, marker in STEPS:
                chat = self.history.chats.setdefault(chat_id, Chat())
                seen = len(chat.texts)
                await self.deliver(update_for(kind, value, chat_id, self.code, chat.screen))
                self.stats["updates"] += 1
                if not await self.history.reply(chat_id, marker, seen):
                    self.lost.append(chat_id)
                    return
            self.sent.append(chat_id)

    async def nemesis(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(self.rng.uniform(3, 8))
            actions = ["kill -9", "SIGTERM", "429 window", "5xx window"]
            if self.db_name is not None:
                actions += ["database restart", "database away"]
            action = self.rng.choice(actions)
            self.counts[action] += 1
            await self.act(action)

    async def act(self, action: str) -> None:
        server = self.rng.choice(self.servers)
        if action in ("kill -9", "SIGTERM"):
            await server.stop(signal.SIGKILL if action == "kill -9" else signal.SIGTERM)
            await server.start()
        elif action.endswith("window"):
            status = 429 if action.startswith("429") else self.rng.choice([500, 502, 503])
            length = self.rng.uniform(1, 6)
            for method in (*SHOWN, "answerCallbackQuery", "getUpdates"):
                self.api.fail_for(method, status, length, retry_after=1 if status == 429 else None)
        else:
            await self.database(action == "database away")

    async def database(self, away: bool) -> None:
        base, name = os.environ["YV_TEST_POSTGRES_URL"], self.db_name
        cut = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        if away:
            await _admin(base, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _admin(base, cut)
        if away:
            await asyncio.sleep(self.rng.uniform(2, 10))
            await _admin(base, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


UPDATE_IDS = itertools.count(1)


def check(loop: Loop) -> list[str]:
    """What young people saw, step by step; the problems found."""
    problems = [f"chat {c}: no reply to a step within {PATIENCE:.0f} s" for c in loop.lost]
    # A stop can come between Telegram taking a message and its mark: that one message
    # may be sent again, once per stop.
    stops = loop.counts["kill -9"] + loop.counts["SIGTERM"]
    markers = [marker for _, _, marker in STEPS]
    for chat_id, chat in loop.history.chats.items():
        if any(APOLOGY in t for t in chat.texts):
            problems.append(f"chat {chat_id}: an apology")
        if any("moved on" in t or "earlier question" in t for t in chat.texts):
            problems.append(f"chat {chat_id}: a reply out of order (a stale screen)")
        steps = [next((i for i, m in enumerate(markers) if m in t), -1) for t in chat.texts]
        known = [s for s in steps if s > 0]
        if known != sorted(known):
            problems.append(f"chat {chat_id}: replies out of order: {steps}")
        repeats = sum(1 for a, b in itertools.pairwise(chat.texts) if a == b)
        if repeats > stops:
            problems.append(f"chat {chat_id}: {repeats} messages repeated after {stops} stops")
        loop.stats["repeated messages"] += repeats
    return problems


async def stored(settings: Settings) -> tuple[int, int, int, int]:
    services = await bootstrap(settings, migrate_db=False)
    try:
        async with services.db.read() as conn:

            async def count(table: Any) -> int:
                query = select(func.count()).select_from(table.__table__)
                return int((await conn.execute(query)).scalar_one())

            return (
                await count(Submission),
                await count(Answer),
                await count(Comment),
                await count(OutboxMessage),
            )
    finally:
        await services.close()


async def run(seconds: float, db: str, people: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db_name = None
        url = ""
        if db == "postgres":
            url, db_name = await fresh_postgres(os.environ["YV_TEST_POSTGRES_URL"])
        try:
            async with FakeTelegramAPI() as api:
                return await _run(api, root, url, db_name, rng, seconds, people)
        finally:
            if db_name is not None:
                await drop_postgres(os.environ["YV_TEST_POSTGRES_URL"], db_name)


async def _run(
    api: FakeTelegramAPI,
    root: Path,
    url: str,
    db_name: str | None,
    rng: random.Random,
    seconds: float,
    people: int,
) -> int:
    settings = Settings(
        _env_file=None,
        data_dir=root / "data",
        secrets_dir=root / "secrets",
        database_url=url,
        demo_data=False,
        telegram_bot_token=api.token,
        telegram_api_url=api.base_url,
    )
    services = await bootstrap(settings)
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
        )
    await services.close()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("YV_", "TELEGRAM_"))},
        "DATA_DIR": str(settings.data_dir),
        "SECRETS_DIR": str(settings.secrets_dir),
        "DATABASE_URL": url,
        "DEMO_DATA": "false",
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    webhook = db_name is not None
    if webhook:
        env |= {
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "PUBLIC_URL": "https://yv.example",
        }
    servers = [Server(env, root, api) for _ in range(2 if webhook else 1)]
    loop = Loop(api, servers, invite.code, webhook, db_name, rng, History(api))
    try:
        drained = await _history(loop, seconds, people)
    finally:
        for server in servers:  # on any failure too: no process is left running
            await server.stop(signal.SIGKILL)
    problems = check(loop)
    submissions, answers, comments, left = await stored(settings)
    if submissions != len(loop.sent):
        problems.append(f"{submissions} submissions stored for {len(loop.sent)} told 'Sent.'")
    if answers != 6 * submissions or comments != 2 * submissions:
        problems.append(f"partial submissions: {answers} answers, {comments} comments")
    if left:
        problems.append(f"{left} rows left in the outbox")
    counts = loop.counts
    print(f"{seconds:.0f} s, {people} people, {len(servers)} process(es) on {settings.db_url[:10]}")
    print(f"nemesis: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")
    print(", ".join(f"{k}: {v}" for k, v in sorted(loop.stats.items())))
    print(
        f"check-ins sent: {len(loop.sent)}; people without a reply: {len(loop.lost)}; "
        f"backlog delivered {drained:.0f} s after the nemesis stopped"
    )
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


async def _history(loop: Loop, seconds: float, people: int) -> float:
    """Run people and the nemesis; the seconds the backlog took once the nemesis stopped."""
    for server in loop.servers:  # one at a time: concurrent start-up is issue 13 item 5
        await server.start()
    chats = itertools.count(7_000_000)
    crowd = [asyncio.create_task(loop.person(chats)) for _ in range(people)]
    began = time.monotonic()
    await loop.nemesis(seconds)
    loop.stopping = True  # finish the check-ins in hand, start no new ones
    for server in loop.servers:
        if not server.up:
            await server.start()
    await asyncio.gather(*crowd)
    drained = time.monotonic() - began - seconds
    for server in loop.servers:
        await server.stop(signal.SIGTERM)
    return drained


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # A killed process drops its requests half-sent; the fake's server need not say so.
    logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
    sys.exit(asyncio.run(run(args.seconds, args.db, args.people, args.seed)))


if __name__ == "__main__":
    main()
