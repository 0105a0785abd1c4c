"""A real `youthvoice serve` on localhost with demo data, and Debian's Chromium through
Playwright, for the browser tests and the README screenshots.

The server runs as its own process exactly as `make run` starts it (access log off), with
LOG_LEVEL=DEBUG and a log file, so a test can read every byte it wrote: the database, its
-wal and -shm files, the log file and everything printed.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    Route,
    expect,
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
# A phone-like user agent with a canary token, so a scan can look for it byte for byte.
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0 Mobile Safari/537.36 YVCanaryBrowser/4.2"
)
STARTUP_SECONDS = 60
COOKIE = "__Host-yvchat"
# For a module of browser tests that starts more check-ins from one address than the
# pacing burst lets through; pacing itself is tested in tests/webchat/test_pacing_live.py.
MANY_STARTS = {"PACE_CLIENT_CHECKINS_BURST": "100"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    chat_link: str
    data_dir: Path
    log_file: Path
    process: subprocess.Popen[str]
    printed: list[str] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.data_dir / "youthvoice.db"

    def files_bytes(self) -> bytes:
        """The database with its -wal and -shm files, raw."""
        return b"".join(p.read_bytes() for p in self.data_dir.glob("youthvoice.db*"))

    def logged(self) -> str:
        """Everything the server logged or printed so far."""
        text = self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""
        return text + "".join(self.printed)

    def count(self, table: str) -> int:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


@contextmanager
def serve(data_dir: Path, **settings: str) -> Iterator[LiveServer]:
    """Start the product as `make run` does (demo data on) and stop it afterwards;
    `settings` are extra environment settings (e.g. PACE_CLIENT_CHECKINS_BURST="100")."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = data_dir / "youthvoice.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATA_DIR": str(data_dir),
        "HOST": "localhost",
        "PORT": str(port),
        "PUBLIC_URL": f"http://localhost:{port}",
        "LOG_LEVEL": "DEBUG",
        "LOG_FILE": str(log_file),
        "DEMO_DATA": "true",
        "PYTHONUNBUFFERED": "1",  # as on a terminal: the banner arrives line by line
        **settings,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "youthvoice.cli", "serve"],
        cwd=data_dir,  # no stray .env is read
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    ready = threading.Event()
    link: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)
            if "try the web chat:" in line:
                link.append(line.split("try the web chat:", 1)[1].strip())
                ready.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        if not ready.wait(STARTUP_SECONDS):
            raise RuntimeError("server did not print a chat link:\n" + "".join(printed))
        base = f"http://localhost:{port}"
        _wait_until_up(base)
        yield LiveServer(base, link[0], data_dir, log_file, process, printed)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a port that is still opening, not waiting out a race
    raise RuntimeError("server did not answer /healthz")


@dataclass
class Phone:
    """One young person's browser: a phone-sized context that may not leave localhost."""

    context: BrowserContext
    page: Page
    outside: list[str]
    javascript: bool = True

    def submit(self, button: Locator) -> None:
        """Press a form button and wait until the next step is on screen."""
        if self.javascript:
            with self.page.expect_response(lambda r: r.request.method == "POST"):
                button.click()
            # chat.js marks the form busy until the new page has replaced it.
            expect(self.page.locator("form[data-busy]")).to_have_count(0)
        else:
            with self.page.expect_navigation():
                button.click()

    def cookie(self) -> str | None:
        values = [c.get("value") for c in self.context.cookies() if c.get("name") == COOKIE]
        return values[0] if values else None


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def phone(browser: Browser, base: str, *, javascript: bool = True) -> Phone:
    context = browser.new_context(
        viewport=PHONE,
        user_agent=USER_AGENT,
        java_script_enabled=javascript,
        is_mobile=True,
        has_touch=True,
    )
    outside: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return Phone(context, context.new_page(), outside, javascript)
