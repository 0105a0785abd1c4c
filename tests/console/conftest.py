"""Console fixtures: a real app over a real SQLite file, a settable clock, staff accounts
and a seeded dataset with one closed quarter (2026-Q1) and the open one (2026-Q2)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyotp
import pytest

from admin.app import create_app
from admin.console.passwords import Passwords
from admin.console.sessions import COOKIE, new_token, token_hash
from storage import accounts, catalog
from tests.console import seed
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

START = dt.datetime(2026, 5, 15, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"
CLOSED = "2026-Q1"
OPEN = "2026-Q2"
ROLES = ("worker", "manager", "reviewer", "dsl", "admin")
_HASH: dict[str, str] = {}


class Clock:
    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@dataclass
class Org:
    """Team ids, staff accounts by role (in team A) and their TOTP secrets."""

    team_a: str
    team_b: str
    team_c: str
    users: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    worker_a: str = ""


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def console_settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        org_name="Test Youth Service",
        telegram_bot_username="test_yv_bot",
        public_url="https://yv.example",
    )


@pytest.fixture
async def services(console_settings: Settings, clock: Clock) -> AsyncIterator[Services]:
    built = await bootstrap(console_settings, clock=clock)
    try:
        yield built
    finally:
        await built.close()


def password_hash() -> str:
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = Passwords().hash(PASSWORD)
    return _HASH[PASSWORD]


async def add_user(
    services: Services,
    username: str,
    role: str,
    teams: list[str],
    *,
    worker_id: str | None = None,
    totp: str | None = None,
) -> str:
    async with services.db.write() as conn:
        user_id = await accounts.add_user(
            conn,
            username=username,
            password_hash=password_hash(),
            role=role,
            team_ids=teams,
            now=services.clock(),
            worker_id=worker_id,
        )
        if totp:
            await accounts.set_totp(conn, user_id, totp)
    return user_id


async def seed_org(services: Services) -> Org:
    """Teams A (40 per month in Q1), B (30 per month), C (3 in all: always hidden),
    a few responses in the open quarter, safety counts, themes and one help request."""
    rng = random.Random(7)
    async with services.db.write() as conn:
        a = await catalog.add_team(conn, "Team A")
        b = await catalog.add_team(conn, "Team B")
        c = await catalog.add_team(conn, "Team C")
        worker_a = await catalog.add_worker(conn, a, "Sam Worker")
        comments = [
            ("helps", "She really listens to what I say and never rushes me at all", ["heard"]),
            (
                "better",
                "Would be better if the sessions were not cancelled so often",
                ["reliability"],
            ),
        ] * 6
        for month in ("2026-01", "2026-02", "2026-03"):
            await seed.add_submissions(
                conn,
                team_id=a,
                period=month,
                count=40,
                rng=rng,
                worker_id=worker_a,
                comments=comments,
            )
            await seed.add_submissions(conn, team_id=b, period=month, count=30, rng=rng)
        await seed.add_submissions(conn, team_id=c, period="2026-02", count=3, rng=rng)
        await seed.add_submissions(conn, team_id=a, period="2026-04", count=12, rng=rng)
        await seed.add_safety(conn, "2026-02", "detected", 14)
        await seed.add_safety(conn, "2026-03", "help", 3)
        contact = services.sealer.seal("please call me, ask for J")
        await seed.add_help_request(conn, "help-req-0001", contact, START, a)
    org = Org(a, b, c, worker_a=worker_a)
    for role in ROLES:
        secret = pyotp.random_base32()
        teams = [] if role in ("admin", "dsl") else [a]
        org.users[role] = await add_user(
            services,
            role + "1",
            role,
            teams,
            worker_id=worker_a if role == "worker" else None,
            totp=secret if role != "worker" else None,
        )
        org.secrets[role] = secret
    return org


@pytest.fixture
async def org(services: Services) -> Org:
    return await seed_org(services)


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


async def session_for(services: Services, user_id: str, stage: str = "full") -> tuple[str, str]:
    """A full session made directly (as after a completed login): (cookie, csrf token)."""
    token, csrf = new_token(), new_token()
    async with services.db.write() as conn:
        await accounts.add_session(
            conn,
            id_hash=token_hash(token),
            user_id=user_id,
            stage=stage,
            csrf_token=csrf,
            now=services.clock(),
        )
    return token, csrf


async def as_user(
    client: httpx.AsyncClient, services: Services, user_id: str, stage: str = "full"
) -> str:
    """Log the client in as this user; returns the CSRF token for forms."""
    token, csrf = await session_for(services, user_id, stage)
    client.cookies.set(COOKIE, token)
    return csrf


def login_csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no csrf field"
    return found.group(1)


async def login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    page = await client.get("/admin/login")
    return await client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf": login_csrf(page.text)},
    )
