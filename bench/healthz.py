"""Health-check latency while oversize posts arrive (SEC-24), over real HTTP against a
real `youthvoice serve` process on loopback.

The review found one 1 MB web-chat message froze the whole server for about 10 s. Here
rounds of 20 parallel 1 MiB posts to the web chat keep arriving (sent by a process of
their own) while /healthz is asked again and again on its own connection; the figure is
its p99 latency, beside the same with no posts at all. Target: p99 under 100 ms.
Run: .venv/bin/python bench/healthz.py [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import Event, Process, Queue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OVERSIZE = 1024 * 1024
PARALLEL = 20
TARGET_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def oversize_post(port: int, body: bytes) -> str:
    """One 1 MiB form post to the chat; the status line, or how the server ended it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /c/anything HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    try:
        writer.write(head.encode())
        writer.write(body)  # not joined to the head: no 1 MiB copy per post in the sender
        await writer.drain()
        status = (await reader.readline()).decode().strip()
    except ConnectionError:
        status = "closed"  # refused and closed before the whole body went out
    finally:
        writer.close()
    return status or "closed"


async def flood_rounds(port: int, stop: EventType, started: EventType, counts: Queue[int]) -> None:
    body = b"text=" + b"a" * (OVERSIZE - 5)
    sent = refused = 0
    while not stop.is_set():
        statuses = await asyncio.gather(*(oversize_post(port, body) for _ in range(PARALLEL)))
        sent += len(statuses)
        refused += sum(s.startswith("HTTP/1.1 413") or s == "closed" for s in statuses)
        started.set()
    counts.put(sent)
    counts.put(refused)


def flood(port: int, stop: EventType, started: EventType, counts: Queue[int]) -> None:
    """In a process of its own, so sending the posts cannot delay the client that times
    /healthz (they would share one interpreter lock in a thread)."""
    asyncio.run(flood_rounds(port, stop, started, counts))


async def latencies(client: httpx.AsyncClient, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = await client.get("/healthz")
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def measure(port: int, n: int) -> tuple[list[float], list[float], int, int]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        await latencies(client, 20)  # warm up
        quiet = await latencies(client, n)
        stop, started, counts = Event(), Event(), Queue()
        sender = Process(target=flood, args=(port, stop, started, counts))
        sender.start()
        try:
            await asyncio.to_thread(started.wait, 60)  # the first round has been answered
            busy = await latencies(client, n)
        finally:
            stop.set()
            sent, refused = counts.get(timeout=60), counts.get(timeout=60)
            sender.join()
    return quiet, busy, sent, refused


def wait_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped during start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)  # polling a port that is still opening
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATA_DIR": folder,
            "SECRETS_DIR": str(Path(folder) / "secrets"),
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "DEMO_DATA": "false",
            "LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "youthvoice.cli", "serve"],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(port, process)
            quiet, busy, sent, refused = asyncio.run(measure(port, args.requests))
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(
        f"/healthz alone:            p50 {statistics.median(quiet):6.1f} ms  "
        f"p99 {p99(quiet):6.1f} ms"
    )
    print(
        f"/healthz under {PARALLEL} x 1 MiB: p50 {statistics.median(busy):6.1f} ms  "
        f"p99 {p99(busy):6.1f} ms  (target < {TARGET_MS:.0f} ms: {TARGET_MS / p99(busy):.1f}x)"
    )
    print(f"oversize posts sent: {sent}, refused with 413 or closed: {refused}")
    print(f"load average during the run (2 cores, shared): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
