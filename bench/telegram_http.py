"""`bench/telegram.py --http`: the full stack and the bare python-telegram-bot floor, each
talking to the fake Bot API server over loopback HTTP, measured in the same run.

The server and the 100 simulated young people run in another process
(bench/telegram_peer.py), so the CPU measured here is the stack's alone: HTTP client,
whitelist, engine, SQLite commits (synchronous=FULL), outbox, rendering. Printed: updates
per second for both and their ratio, p50/p99 latency, and the stack's CPU milliseconds per
update, set against Telegram's overall limit of about 30 messages a second.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.telegram import SCRIPT, Hub, bare_floor, full_stack, reply_counts
from tests.fakes.telegram_api.fake import DEFAULT_TOKEN

PEER = Path(__file__).with_name("telegram_peer.py")
TELEGRAM_RATE = 30  # messages a second Telegram allows a bot overall


@dataclass
class Run:
    updates: int
    seconds: float
    latencies: list[float]
    cpu: float  # seconds of this process's CPU during the measured window

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[p - 1] * 1000

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.updates


@asynccontextmanager
async def peer() -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(PEER),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    line = (await proc.stdout.readline()).decode().split()
    try:
        yield proc, f"http://127.0.0.1:{line[1]}/bot"
    finally:
        proc.stdin.close()
        await proc.wait()


async def run(
    stack: Callable[[str], AbstractAsyncContextManager[str]],
    counts: list[int],
    seconds: float,
    chats: int,
    profile: bool = False,
) -> Run:
    """One stack against a fresh peer: half a second to warm up, then `seconds` measured."""
    async with peer() as (proc, url), stack(url) as code:
        assert proc.stdin is not None and proc.stdout is not None
        job = {"code": code, "seconds": seconds, "chats": chats, "counts": counts, "warmup": 0.5}
        proc.stdin.write((json.dumps(job) + "\n").encode())
        await proc.stdin.drain()
        assert (await proc.stdout.readline()).strip() == b"go"
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        began = time.process_time()
        result = json.loads(await proc.stdout.readline())
        cpu = time.process_time() - began
        if profiler:
            profiler.disable()
            ours_only = r"(bot|storage|flows)/"
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(ours_only, 40)
    return Run(result["updates"], result["seconds"], result["latencies"], cpu)


async def measure_http(seconds: float, chats: int, profile: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub()
        async with full_stack(hub, Path(tmp) / "counts") as calibrate:
            counts = await reply_counts(hub, calibrate)
        print(f"Bot API message calls for each step of the check-in: {counts} = {sum(counts)}")
        made = iter(range(100))

        @asynccontextmanager
        async def ours(url: str) -> AsyncIterator[str]:
            path = Path(tmp) / f"http{next(made)}"
            async with full_stack(None, path, token=DEFAULT_TOKEN, api_url=url) as stack:
                yield stack.code

        @asynccontextmanager
        async def floor(url: str) -> AsyncIterator[str]:
            async with bare_floor(None, token=DEFAULT_TOKEN, api_url=url):
                yield calibrate.code

        rounds: dict[str, list[Run]] = {"floor": [], "full": []}
        for n in range(2):
            rounds["floor"].append(await run(floor, [1] * len(SCRIPT), seconds, chats))
            last = profile and n == 1
            rounds["full"].append(await run(ours, counts, seconds, chats, profile=last))
    best = {name: max(runs, key=lambda r: r.rate) for name, runs in rounds.items()}
    names = {"floor": "bare PTB handler (floor)", "full": "full stack, outbox, edits"}
    print(f"{chats} chats at once over loopback HTTP")
    print(f"{'':34} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/update':>14}")
    for name, r in best.items():
        line = f"{names[name]:34} {r.rate:10,.0f} {r.percentile(50):8.1f} {r.percentile(99):8.1f}"
        print(f"{line} {r.cpu_ms:14.2f}")
    ratio = best["full"].rate / best["floor"].rate
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(f"full stack / floor: {ratio:.0%} (target >= 50%: {verdict})")
    # At Telegram's overall limit the bot handles TELEGRAM_RATE / (calls per update) updates
    # a second; headroom is how many times over one core could keep up with that.
    per_update = sum(counts) / len(counts)
    needed = TELEGRAM_RATE / per_update * best["full"].cpu_ms / 1000
    verdict = "met" if needed <= 0.1 else "NOT met"
    print(
        f"at Telegram's ~{TELEGRAM_RATE} messages/s ({TELEGRAM_RATE / per_update:.0f} updates/s) "
        f"the stack needs {needed:.1%} of one core: {1 / needed:.0f}x headroom "
        f"(target >= 10x: {verdict})"
    )
