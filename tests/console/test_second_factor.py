"""The second factor kept and recovered (SEC-05, SEC-21): recovery codes work once, TOTP
secrets are unreadable in a copied database, and only demo accounts, only with
DEMO_DATA=true, sign in without one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyotp
from sqlalchemy import text

from admin.app import create_app
from storage import accounts
from tests.console.conftest import (
    PASSWORD,
    add_user,
    as_user,
    login,
    login_csrf,
    password_hash,
)
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings


async def _enrol(client, clock) -> list[str]:
    page = await client.get("/admin/mfa/setup")
    secret = page.text.split('<code class="secret">')[1].split("<")[0]
    done = await client.post(
        "/admin/mfa/setup",
        data={"csrf": login_csrf(page.text), "code": pyotp.TOTP(secret).at(clock())},
    )
    return [c.split("</code>")[0] for c in done.text.split("<li><code>")[1:]]


async def _code(client, code: str) -> httpx.Response:
    page = await client.get("/admin/mfa")
    return await client.post("/admin/mfa", data={"csrf": login_csrf(page.text), "code": code})


async def test_a_recovery_code_signs_in_once(client, services, clock):
    await add_user(services, "rita", "reviewer", [])
    await login(client, "rita")
    codes = await _enrol(client, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.cookies.clear()
    await login(client, "rita")
    used = await _code(client, codes[3].lower().replace("-", " "))
    assert used.headers.get("location") == "/admin"
    client.cookies.clear()
    await login(client, "rita")
    again = await _code(client, codes[3])
    assert again.status_code == 200 and "did not work" in again.text
    async with services.db.read() as conn:
        user = await accounts.user_by_name(conn, "rita")
        assert await accounts.recovery_codes_left(conn, user.id) == 9
        stored = [r[0] for r in await conn.execute(text("SELECT code_hash FROM recovery_codes"))]
    assert not any(c.replace("-", "") in h for c in codes for h in stored)


async def test_totp_secrets_are_sealed_at_rest(client, services, clock, tmp_path):
    """A copied database alone reveals no secret: enrolment stores it sealed, and a secret
    stored before sealing is sealed in place at its first use."""
    await add_user(services, "rita", "reviewer", [])
    await login(client, "rita")
    page = await client.get("/admin/mfa/setup")
    pending = page.text.split('<code class="secret">')[1].split("<")[0]
    await _enrol_with(client, page, pending, clock)
    old = pyotp.random_base32()
    await add_user(services, "mona", "manager", [], totp=old)
    client.cookies.clear()
    await login(client, "mona")
    assert (await _code(client, pyotp.TOTP(old).at(clock()))).headers["location"] == "/admin"
    await services.db.checkpoint()
    raw = _database_bytes(tmp_path)
    assert pending.encode() not in raw and old.encode() not in raw
    async with services.db.read() as conn:
        for name in ("rita", "mona"):
            user = await accounts.user_by_name(conn, name)
            assert user.totp_secret.startswith("gAAAAA")


def _database_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("youthvoice.db*"))


async def _enrol_with(client, page, secret, clock) -> None:
    done = await client.post(
        "/admin/mfa/setup",
        data={"csrf": login_csrf(page.text), "code": pyotp.TOTP(secret).at(clock())},
    )
    assert done.status_code == 200


async def test_only_demo_accounts_skip_the_second_factor_and_only_in_a_demo(tmp_path, clock):
    for demo_data in (True, False):
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / str(demo_data),
            demo_data=demo_data,
            public_url="https://yv.example",
        )
        services = await bootstrap(settings, clock=clock)
        try:
            async with services.db.write() as conn:
                for name, demo in (("demo-manager", True), ("real-manager", False)):
                    await accounts.add_user(
                        conn,
                        username=name,
                        password_hash=password_hash(),
                        role="manager",
                        team_ids=[],
                        now=clock(),
                        demo=demo,
                    )
            transport = httpx.ASGITransport(app=create_app(services))
            async with httpx.AsyncClient(transport=transport, base_url="https://t") as client:
                demo_in = await login(client, "demo-manager", PASSWORD)
                # A manager's home is the dashboard (issue 14).
                home = await client.get("/admin", follow_redirects=True)
                client.cookies.clear()
                real_in = await login(client, "real-manager", PASSWORD)
                assert real_in.headers["location"] == "/admin/mfa/setup"
                assert (await client.get("/admin/reports")).status_code == 303
            if demo_data:
                assert demo_in.headers["location"] == "/admin"
                assert "Demo only: no second factor" in home.text
                assert home.url.path == "/admin/dashboard"
            else:
                assert demo_in.headers["location"] == "/admin/mfa/setup"
        finally:
            await services.close()


async def test_the_home_page_says_an_administrator(client, services, org):
    await as_user(client, services, org.users["admin"])
    assert "signed in as an <strong>Administrator" in (await client.get("/admin")).text


async def test_plain_secrets_are_sealed_at_start_up(services, tmp_path):
    """`serve` seals every secret stored before sealing existed, used or not."""
    from admin.console.mfa import seal_stored, unseal

    old = pyotp.random_base32()
    user_id = await add_user(services, "ola", "admin", [], totp=old)
    assert await seal_stored(services.db, services.sealer) == 1
    assert await seal_stored(services.db, services.sealer) == 0
    async with services.db.read() as conn:
        stored = (await accounts.user_by_id(conn, user_id)).totp_secret
    assert unseal(services.sealer, stored) == (old, False)
    await services.db.checkpoint()
    assert old.encode() not in _database_bytes(tmp_path)


def test_the_demo_password_is_printed_on_the_first_run_only(services, capsys):
    from youthvoice.demo import DemoInfo, DemoLogin
    from youthvoice.serve import _banner

    login = DemoLogin(("demo-admin",), "first-run-secret")
    _banner(services, DemoInfo("CODE", login, True), True, telegram=False)
    first = capsys.readouterr().out
    _banner(services, DemoInfo("CODE", None, True), True, telegram=False)
    later = capsys.readouterr().out
    assert "first-run-secret" in first and "no second factor" in first
    assert "first-run-secret" not in later and "youthvoice demo logins" in later
