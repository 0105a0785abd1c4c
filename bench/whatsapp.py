"""WhatsApp channel benchmark: the full stack beside a bare webhook-parse-and-reply floor,
both over loopback HTTP, with 100 simulated young people answering at once.

- full stack: signed webhook POST -> signature check -> whitelist -> conversation service
  -> engine -> SQLite commit of the step with its sealed outbox rows (group commit,
  synchronous=FULL) -> 200 -> per-recipient send queue -> Graph POST -> the row deleted.
  Pacing is off (it exists to wait).
- floor: a bare Starlette webhook that checks the signature, parses the JSON, and POSTs
  one text reply to the Graph API before answering 200. No storage, no engine.

Both post their replies to the same minimal Graph API sink on 127.0.0.1 (it answers 200
and counts; no spec checks, which would cost more than what is measured). Each person
sends their next message once the whole reply to the last one has arrived, running the
real check-in (START, taps, words, review, Send) again and again under fresh numbers.
The people, the sink and the stack share this process and its CPU, the same for both.
Printed: steps per second for each, the ratio (target >= 50%), p50/p99 latency.
Run: .venv/bin/python bench/whatsapp.py [--seconds 5] [--people 100]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

sys.path[0] = str(Path(__file__).resolve().parents[1])

from admin.app import create_app  # noqa: E402
from bot.delivery.pacing import UNPACED  # noqa: E402
from bot.whatsapp.channel import build_channel  # noqa: E402
from storage import catalog  # noqa: E402
from tests.telegram.conftest import serve  # noqa: E402
from youthvoice.bootstrap import bootstrap  # noqa: E402
from youthvoice.settings import Settings  # noqa: E402

SECRET = b"bench-app-secret"
PHONE_ID = "106540352242922"
# Idle connections are dropped before uvicorn's own 5 s keep-alive ends them, so a request
# never races the server closing its connection.
KEEP = httpx.Limits(max_connections=8, keepalive_expiry=2.0)
SCRIPT = [
    ("start", ""),
    ("tap", "a:intro:next"),
    ("tap", "a:trust:4"),
    ("tap", "a:relatability:5"),
    ("tap", "a:heard:3"),
    ("tap", "a:power:skip"),
    ("tap", "a:agency:pns"),
    ("tap", "a:aliveness:4"),
    ("text", "They listen and help me sort out college stuff"),
    ("text", "keeps changing the time we meet"),
    ("text", "skip"),
    ("tap", "a:review:send"),
]


class Sink:
    """The Graph API as far as sending goes: 200 to every message, counted per recipient."""

    def __init__(self) -> None:
        self.sent: dict[str, int] = defaultdict(int)
        self._waiting: dict[str, tuple[int, asyncio.Future[None]]] = {}

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v23.0/{phone}/messages", self._message, methods=["POST"])])

    def expect(self, to: str, count: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[to] = (self.sent[to] + count, future)
        return future

    async def _message(self, request: Request) -> JSONResponse:
        to = json.loads(await request.body())["to"]
        self.sent[to] += 1
        waiting = self._waiting.get(to)
        if waiting is not None and self.sent[to] >= waiting[0]:
            del self._waiting[to]
            waiting[1].set_result(None)
        return JSONResponse({"messaging_product": "whatsapp", "messages": [{"id": "wamid.x"}]})


def payload(kind: str, value: str, wa_id: str, code: str, n: int) -> bytes:
    message: dict[str, Any] = {
        "from": wa_id,
        "id": f"wamid.{wa_id}.{n}",
        "timestamp": "1",
        "type": "text",
    }
    if kind == "tap":
        message["type"] = "interactive"
        message["interactive"] = {"type": "list_reply", "list_reply": {"id": value, "title": "x"}}
    else:
        message["text"] = {"body": f"START {code}" if kind == "start" else value}
    value_ = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "447700900999", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": "Sam"}, "wa_id": wa_id}],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"value": value_, "field": "messages"}]}],
    }
    return json.dumps(body).encode()


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def floor_app(sink_url: str) -> tuple[Starlette, Callable[[], Awaitable[None]]]:
    client = httpx.AsyncClient(limits=KEEP)

    async def webhook(request: Request) -> Response:
        body = await request.body()
        given = request.headers.get("X-Hub-Signature-256", "").encode()
        if not hmac.compare_digest(given, signed(body)["X-Hub-Signature-256"].encode()):
            return Response(status_code=401)
        for entry in json.loads(body)["entry"]:
            for change in entry["changes"]:
                for message in change["value"].get("messages", []):
                    reply = {
                        "messaging_product": "whatsapp",
                        "recipient_type": "individual",
                        "to": message["from"],
                        "type": "text",
                        "text": {"body": "Thanks"},
                    }
                    await client.post(f"{sink_url}/v23.0/{PHONE_ID}/messages", json=reply)
        return Response(status_code=200)

    return Starlette(routes=[Route("/whatsapp/webhook", webhook, methods=["POST"])]), client.aclose


async def drive(
    url: str, sink: Sink, code: str, replies: list[int], people: int, seconds: float
) -> tuple[int, float, list[float]]:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    fresh = itertools.count(447700000000)
    limits = httpx.Limits(max_connections=people, keepalive_expiry=KEEP.keepalive_expiry)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:

        async def person() -> None:
            while time.perf_counter() < deadline:
                wa_id = str(next(fresh))
                for n, ((kind, value), count) in enumerate(zip(SCRIPT, replies, strict=True)):
                    done = sink.expect(wa_id, count)
                    began = time.perf_counter()
                    body = payload(kind, value, wa_id, code, n)
                    answer = await http.post(
                        "/whatsapp/webhook", content=body, headers=signed(body)
                    )
                    assert answer.status_code == 200, answer.status_code
                    await done
                    if (ended := time.perf_counter()) > deadline:
                        return
                    latencies.append(ended - began)

        started = time.perf_counter()
        await asyncio.gather(*(person() for _ in range(people)))
    return len(latencies), min(time.perf_counter(), deadline) - started, latencies


@asynccontextmanager
async def full_stack(
    sink_url: str, data: Path
) -> AsyncIterator[tuple[str, str, Callable[[], Awaitable[None]]]]:
    settings = Settings(
        _env_file=None,
        data_dir=data,
        secrets_dir=data / "secrets",
        demo_data=False,
        whatsapp_token=SecretStr("bench"),
        whatsapp_phone_number_id=PHONE_ID,
        whatsapp_app_secret=SecretStr(SECRET.decode()),
        whatsapp_verify_token=SecretStr("v"),
        whatsapp_api_url=sink_url,
        pace_client_checkins_burst=10_000,
    )
    services = await bootstrap(settings)
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "Bench")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="b", now=services.clock()
        )
    channel = build_channel(services, pacing=UNPACED)
    await channel.start()
    try:
        async with serve(create_app(services, extra_routes=channel.routes())) as url:
            yield url, invite.code, channel.handler.outbox.sender.drain
    finally:
        await channel.stop(timeout=5)
        await services.close()


async def reply_counts(
    url: str, sink: Sink, code: str, drain: Callable[[], Awaitable[None]]
) -> list[int]:
    """Messages per step, from one person alone (a reply is queued whole at its commit)."""
    counts, wa_id = [], "447799999999"
    async with httpx.AsyncClient(base_url=url) as http:
        for n, (kind, value) in enumerate(SCRIPT):
            before = sink.sent[wa_id]
            body = payload(kind, value, wa_id, code, n)
            assert (
                await http.post("/whatsapp/webhook", content=body, headers=signed(body))
            ).status_code == 200
            await drain()
            counts.append(sink.sent[wa_id] - before)
    return counts


def report(name: str, steps: int, seconds: float, latencies: list[float]) -> float:
    rate = steps / seconds
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:>10}: {rate:7.1f} steps/s  p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:7.1f} ms"
    )
    return rate


async def measure(seconds: float, people: int) -> None:
    sink = Sink()
    async with serve(sink.app()) as sink_url:
        with tempfile.TemporaryDirectory() as tmp:
            async with full_stack(sink_url, Path(tmp)) as (url, code, drain):
                replies = await reply_counts(url, sink, code, drain)
                print(f"messages per step: {replies} ({sum(replies)} per check-in)")
                full = report("full", *await drive(url, sink, code, replies, people, seconds))
        app, close = floor_app(sink_url)
        async with serve(app) as url:
            floor = report("floor", *await drive(url, sink, "", [1] * len(SCRIPT), people, seconds))
        await close()
    print(f"full stack / floor: {100 * full / floor:.0f}% (target >= 50%), {people} people at once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--people", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(measure(args.seconds, args.people))


if __name__ == "__main__":
    main()
