"""Throttles that count every attempt (SEC-03, SEC-05, SEC-14), attacked the way the review
did: 100 parallel requests over real HTTP on loopback, against SQLite and PostgreSQL. At
most the limit may be checked, and a right answer late in a burst is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pyotp
import pytest

from admin.app import create_app
from admin.console.sessions import COOKIE, LOGIN_CSRF_COOKIE
from admin.console.throttle import BACKOFF_FROM, MFA_TRIES, WINDOW
from storage import accounts
from tests.conftest import postgres_url
from tests.console.conftest import PASSWORD, add_user, login, login_csrf, seed_org, session_for
from tests.console.live import serving
from tests.storage.conftest import drop_postgres, fresh_postgres
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

BURST = 100
REPORT_LIMIT = 7


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def services(request, tmp_path: Path, clock) -> AsyncIterator[Services]:
    url, name, base = "", "", postgres_url()
    if request.param == "postgres":
        if base is None:
            pytest.skip("set YV_TEST_POSTGRES_URL to run against PostgreSQL")
        url, name = await fresh_postgres(base)
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=url,
        demo_data=False,
        public_url="https://yv.example",
        report_views_per_hour=REPORT_LIMIT,
    )
    built = await bootstrap(settings, clock=clock)
    try:
        yield built
    finally:
        await built.close()
        if name and base:
            await drop_postgres(base, name)


async def _actions(services: Services) -> list[str]:
    async with services.db.read() as conn:
        return [e.action for e in await accounts.audit_events(conn, 1000)]


async def test_a_burst_of_passwords_checks_at_most_the_limit(services):
    """The review: 56 of 60 parallel wrong passwords were checked, and a right password
    as the 30th guess of one burst was accepted."""
    await add_user(services, "target", "worker", [])
    async with serving(create_app(services)) as http:
        token = login_csrf((await http.get("/admin/login")).text)
        headers = {"cookie": f"{LOGIN_CSRF_COOKIE}={token}"}
        guesses = [f"wrong guess number {i:03d}" for i in range(BURST)]
        guesses[29] = PASSWORD

        async def wave(part: list[str]) -> list[httpx.Response]:
            posts = (
                http.post(
                    "/admin/login",
                    data={"username": "target", "password": g, "csrf": token},
                    headers=headers,
                )
                for g in part
            )
            return await asyncio.gather(*posts)

        # All 100 arrive at the same instant of the server's clock; the first 29 are
        # answered before the rest are sent, so the right one is certainly the 30th.
        responses = [*await wave(guesses[:29]), *await wave(guesses[29:])]
    actions = await _actions(services)
    checked = [a for a in actions if a in ("login.failed", "login.ok")]
    assert len(checked) <= BACKOFF_FROM
    assert actions.count("login.throttled") == BURST - len(checked)
    assert responses[29].status_code == 200 and "did not work" in responses[29].text
    assert all(r.status_code == 200 for r in responses)  # no session for anyone


async def test_a_burst_of_codes_on_one_session_checks_at_most_the_budget(services, clock):
    """The review: 12 of 40 parallel codes on one half-signed-in session were checked."""
    secret = pyotp.random_base32()
    user_id = await add_user(services, "mona", "manager", [], totp=secret)
    cookie, csrf = await session_for(services, user_id, stage="mfa")
    right = pyotp.TOTP(secret).at(clock())
    codes = [f"{(int(right) + 1 + i) % 1_000_000:06d}" for i in range(BURST)]
    codes[29] = right
    async with serving(create_app(services)) as http:

        async def wave(part: list[str]) -> list[httpx.Response]:
            posts = (
                http.post(
                    "/admin/mfa",
                    data={"code": c, "csrf": csrf},
                    headers={"cookie": f"{COOKIE}={cookie}"},
                )
                for c in part
            )
            return await asyncio.gather(*posts)

        # As for passwords: one instant on the server's clock, the right code 30th.
        responses = [*await wave(codes[:29]), *await wave(codes[29:])]
    actions = await _actions(services)
    checked = [a for a in actions if a in ("mfa.failed", "mfa.ok")]
    assert len(checked) <= MFA_TRIES
    assert "mfa.ok" not in actions and actions.count("mfa.locked") == 1
    assert not any(r.headers.get("location") == "/admin" for r in responses)


async def test_a_fresh_password_login_buys_no_new_codes(services, clock):
    """The review: five wrong codes ended the session, but a new login gave five more.
    The budget is the account's: after five, even the right code waits 15 minutes; the
    holder then sees a notice without detail, and admins see the lock in the audit log."""
    secret = pyotp.random_base32()
    await add_user(services, "mona", "manager", [], totp=secret)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(services)), base_url="https://testserver"
    )
    async with client:
        for _round in range(3):
            await login(client, "mona")
            page = await client.get("/admin/mfa")
            csrf = login_csrf(page.text)
            for _ in range(MFA_TRIES):
                await client.post("/admin/mfa", data={"csrf": csrf, "code": "000000"})
            client.cookies.clear()
        assert (await _actions(services)).count("mfa.failed") == MFA_TRIES
        await login(client, "mona")
        csrf = login_csrf((await client.get("/admin/mfa")).text)
        paused = await client.post(
            "/admin/mfa", data={"csrf": csrf, "code": pyotp.TOTP(secret).at(clock())}
        )
        assert paused.status_code == 429 and "paused" in paused.text
        clock.advance(minutes=16)
        done = await client.post(
            "/admin/mfa", data={"csrf": csrf, "code": pyotp.TOTP(secret).at(clock())}
        )
        assert done.status_code == 200 and "wrong authenticator codes" in done.text
        assert "000000" not in done.text
        assert (await client.get("/admin", follow_redirects=True)).status_code == 200
    assert "mfa.locked" in await _actions(services)


async def test_a_burst_of_report_views_stays_within_the_hourly_budget(services):
    """The review: 77 of 80 parallel views returned 200 under a limit of 60."""
    org = await seed_org(services)
    cookie, _ = await session_for(services, org.users["manager"])
    async with serving(create_app(services)) as http:
        responses = await asyncio.gather(
            *(
                http.get(
                    "/admin/reports/period/2026-Q1/org", headers={"cookie": f"{COOKIE}={cookie}"}
                )
                for _ in range(BURST)
            )
        )
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == REPORT_LIMIT
    assert statuses.count(429) == BURST - REPORT_LIMIT
    assert (await _actions(services)).count("report.view") == REPORT_LIMIT


async def test_marks_are_kept_no_longer_than_a_day(services, clock):
    """Names sprayed at the login form leave marks; none outlives a day."""
    from sqlalchemy import func, select

    from storage import throttles
    from storage.schema import LoginAttempt

    for i in range(20):
        await throttles.take(services.db, f"login|{i}", clock(), WINDOW, lambda _m: True)
    clock.advance(days=1, seconds=1)
    await throttles.take(services.db, "login|someone", clock(), WINDOW, lambda _m: True)
    async with services.db.read() as conn:
        left = (await conn.execute(select(func.count()).select_from(LoginAttempt))).scalar()
    assert left == 1
