"""The console on 127.0.0.1 with six closed quarters of seeded data, for the dashboard's
browser checks and its README screenshots (`tests.browser.shoot_dashboard`).

Four teams as in the demo: three pass k most quarters, the smallest never does, and
"being listened to" rises in the last quarter so the dashboard has a change to name.
The clock starts mid-May 2026: 2024-Q4 to 2026-Q1 are closed, 2026-Q2 is open.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
from playwright.sync_api import Page

from tests.console import seed
from tests.console.conftest import PASSWORD, START, add_user

QUARTERS = ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1")
CLOSED = QUARTERS[-1]
ORG_NAME = "Riverside Youth Service"
# name, young people a month
TEAMS = (
    ("Northside Youth Team", 14),
    ("Riverside Outreach", 9),
    ("Valley Leaving Care", 6),
    ("Harbour Drop-in", 1),
)
STEADY = {
    "trust": (3, 4, 4, 5, 5, 2),
    "relatability": (2, 3, 4, 4, 5),
    "power": (1, 2, 2, 3, 4, 5),
    "agency": (2, 3, 3, 4, 5),
    "aliveness": (3, 4, 5, 5, 4, 5),
}
HEARD_BEFORE, HEARD_AFTER = (2, 2, 3, 4, 5), (3, 4, 4, 5, 5)
COMMENTS = (
    [("helps", "She listens to me properly and remembers what I told her last time", ["heard"])] * 4
    + [("helps", "We go climbing and do stuff together, not just sit in an office", ["activities"])]
    * 2
    + [
        (
            "better",
            "Sessions keep getting cancelled at the last minute with no warning",
            ["reliability"],
        )
    ]
    * 3
    + [
        (
            "better",
            "Explain things in plain words and tell me what is happening next",
            ["communication"],
        )
    ]
    * 3
)


def _months(quarter: str) -> list[str]:
    year, q = int(quarter[:4]), int(quarter[-1])
    return [f"{year}-{3 * (q - 1) + m:02d}" for m in (1, 2, 3)]


async def seed_dashboard(services) -> dict[str, str]:
    """The teams, six quarters of submissions, and a manager and a reviewer with an
    authenticator each (user name -> its secret)."""
    from storage import catalog

    rng = random.Random(2026)
    ids = {}
    async with services.db.write() as conn:
        for name, per_month in TEAMS:
            team = await catalog.add_team(conn, name)
            ids[name] = team
            for index, quarter in enumerate(QUARTERS):
                heard = HEARD_AFTER if index == len(QUARTERS) - 1 else HEARD_BEFORE
                for month in _months(quarter):
                    await seed.add_submissions(
                        conn,
                        team_id=team,
                        period=month,
                        count=per_month,
                        rng=rng,
                        item_values={**STEADY, "heard": heard},
                        comments=COMMENTS[: per_month - 2] if per_month > 2 else (),
                        polarity_of_question=True,
                    )
        await seed.add_submissions(
            conn, team_id=ids["Riverside Outreach"], period="2026-04", count=3, rng=rng
        )
    secrets = {}
    for username, role in (("manager1", "manager"), ("reviewer1", "reviewer")):
        secrets[username] = pyotp.random_base32()
        await add_user(services, username, role, list(ids.values()), totp=secrets[username])
    return secrets


class Server(threading.Thread):
    """The real app under uvicorn, its clock running from `START`."""

    def __init__(self, data_dir: Path, port: int) -> None:
        super().__init__(daemon=True)
        self.data_dir, self.port = data_dir, port
        self.ready = threading.Event()
        self.secrets: dict[str, str] = {}
        self.server = None
        began = time.monotonic()
        self.clock = lambda: START + dt.timedelta(seconds=time.monotonic() - began)

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        import uvicorn

        from admin.app import create_app
        from youthvoice.bootstrap import bootstrap
        from youthvoice.settings import Settings

        settings = Settings(
            _env_file=None,
            data_dir=self.data_dir,
            demo_data=False,
            org_name=ORG_NAME,
            telegram_bot_username="riverside_voice_bot",
            public_url=f"http://127.0.0.1:{self.port}",
        )
        services = await bootstrap(settings, clock=self.clock)
        try:
            self.secrets = await seed_dashboard(services)
            config = uvicorn.Config(
                create_app(services),
                host="127.0.0.1",
                port=self.port,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
            self.server = uvicorn.Server(config)
            self.ready.set()
            await self.server.serve()
        finally:
            await services.close()


@contextmanager
def running(data_dir: Path) -> Iterator[Server]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = Server(data_dir, port)
    srv.start()
    assert srv.ready.wait(120), "the console did not start"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield srv
    finally:
        if srv.server is not None:
            srv.server.should_exit = True
        srv.join(10)


def login(page: Page, srv: Server, offset: int = 0, username: str = "manager1") -> str:
    """Log a reader in (password, then authenticator code); returns the base URL.
    `offset` seconds moves the code on, so a second login in one run is not a replay."""
    base = f"http://127.0.0.1:{srv.port}"
    page.goto(f"{base}/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/mfa")
    when = srv.clock() + dt.timedelta(seconds=offset)
    page.fill("input[name=code]", pyotp.TOTP(srv.secrets[username]).at(when))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/admin/dashboard$"))
    return base
