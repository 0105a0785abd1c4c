"""The far side of `bench/telegram.py --http`, in its own process so its CPU is not the
measured stack's: the fake Bot API server on 127.0.0.1 (every request checked against
api.json) and the simulated young people who use it.

Prints "port N", then reads one JSON line: {"code", "seconds", "chats", "counts", "warmup"}.
Each person sends a step of the check-in, waits until `counts[step]` messages have been
shown in their chat (sent or edited), then sends the next. After `warmup` seconds it prints
"go"; after `seconds` more, one JSON line: the updates completed in that window, its
length and each update's latency. It then waits for stdin to close.
"""

# ruff: noqa: E402 (the path fix below must run before `tests` is imported)
from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import asyncio
import itertools
import json
import time
from collections import Counter
from typing import Any

from tests.fakes.telegram_api import Call, FakeTelegramAPI

WORDS = "They listen and help me sort out college stuff"
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
SHOWN = ("sendMessage", "editMessageText")


class People:
    """Counts what each chat was shown and wakes the person waiting for it."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.api = api
        self.shown: Counter[int] = Counter()
        self.screen: dict[int, int] = {}
        self.waiting: dict[int, tuple[int, asyncio.Future[None]]] = {}
        api.listen(self.heard)

    def heard(self, call: Call) -> None:
        if call.method not in SHOWN or call.status != 200:
            return
        chat = int(call.params["chat_id"])
        self.shown[chat] += 1
        self.screen[chat] = int(call.params.get("message_id") or call.result["message_id"])
        waiting = self.waiting.get(chat)
        if waiting is not None and self.shown[chat] >= waiting[0]:
            del self.waiting[chat]
            waiting[1].set_result(None)

    def expect(self, chat: int, more: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[chat] = (self.shown[chat] + more, future)
        return future

    def update(self, kind: str, value: str, chat: int, code: str) -> dict[str, Any]:
        user = {"id": chat, "is_bot": False, "first_name": "Sam", "language_code": "en"}
        where = {"id": chat, "type": "private", "first_name": "Sam"}
        if kind == "tap":
            # The message showing this step's buttons, as Telegram would send it back.
            tapped = {
                "message_id": self.screen.get(chat, 1),
                "date": 0,
                "chat": where,
                "text": "q",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": value}]]},
            }
            query = {"id": f"q{chat}{value}", "from": user, "chat_instance": "1", "data": value}
            return {"callback_query": {**query, "message": tapped}}
        text = f"/start {code}" if kind == "start" else value
        return {"message": {"message_id": 1, "date": 0, "chat": where, "from": user, "text": text}}


async def drive(api: FakeTelegramAPI, job: dict[str, Any]) -> None:
    people = People(api)
    fresh = itertools.count(10_000_000)
    warm_until = time.perf_counter() + job["warmup"]
    deadline = warm_until + job["seconds"]
    latencies: list[float] = []

    async def person() -> None:
        while time.perf_counter() < deadline:
            chat = next(fresh)
            for (kind, value), count in zip(SCRIPT, job["counts"], strict=True):
                done = people.expect(chat, count)
                began = time.perf_counter()
                api.push_update(people.update(kind, value, chat, job["code"]))
                await done
                ended = time.perf_counter()
                if ended > deadline:
                    return
                if began >= warm_until:
                    latencies.append(ended - began)

    async def announce() -> None:
        await asyncio.sleep(job["warmup"])
        print("go", flush=True)

    await asyncio.gather(announce(), *(person() for _ in range(job["chats"])))
    result = {"updates": len(latencies), "seconds": job["seconds"], "latencies": latencies}
    print(json.dumps(result), flush=True)


async def main() -> None:
    async with FakeTelegramAPI() as api:
        print(f"port {api.port}", flush=True)
        loop = asyncio.get_running_loop()
        job = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
        await drive(api, job)
        await loop.run_in_executor(None, sys.stdin.read)  # until the stack has stopped


if __name__ == "__main__":
    asyncio.run(main())
