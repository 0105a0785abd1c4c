"""`youthvoice admin …` and `youthvoice demo logins`: the first admin comes from the
command line (SEC-04), and so does a way back in when nobody can sign in (SEC-05); every
change is audited (SEC-17)."""

from __future__ import annotations

import asyncio
import io

import pytest

from storage import accounts
from youthvoice.bootstrap import bootstrap
from youthvoice.cli import main
from youthvoice.settings import Settings

PASSPHRASE = "a perfectly fine passphrase"


def _read(tmp_path, read):
    async def run():
        services = await bootstrap(Settings(_env_file=None, data_dir=tmp_path, demo_data=False))
        try:
            async with services.db.read() as conn:
                return await read(conn)
        finally:
            await services.close()

    return asyncio.run(run())


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEMO_DATA", "false")
    monkeypatch.setenv("SECRETS_DIR", str(tmp_path / "secrets"))
    return tmp_path


def test_create_user_reads_the_password_from_stdin(env, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("password1234\n"))
    assert main(["admin", "create-user", "Alice", "--role", "admin"]) == 1
    assert "commonly used" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main(["admin", "create-user", "Alice", "--role", "admin"]) == 0
    user = _read(env, lambda conn: accounts.user_by_name(conn, "alice"))
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$")
    assert PASSPHRASE not in user.password_hash


def test_admin_help_lists_every_account_command(capsys):
    with pytest.raises(SystemExit):
        main(["admin", "--help"])
    shown = capsys.readouterr().out
    for command in ("create-user", "list-users", "reset-mfa", "disable", "enable"):
        assert command in shown


def test_account_commands_change_the_account_and_are_audited(env, monkeypatch, capsys):
    """A lost authenticator: reset-mfa forgets it and its recovery codes; disable ends
    every session; enable undoes it; list-users shows the state."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main(["admin", "create-user", "mona", "--role", "manager"]) == 0

    async def enrolled(conn):
        user = await accounts.user_by_name(conn, "mona")
        await accounts.set_totp(conn, user.id, "JBSWY3DPEHPK3PXP")
        await accounts.add_recovery_codes(conn, user.id, ["a" * 64])
        await conn.commit()

    _read(env, enrolled)
    assert main(["admin", "disable", "mona"]) == 0
    assert main(["admin", "reset-mfa", "mona"]) == 0
    capsys.readouterr()
    assert main(["admin", "list-users"]) == 0
    assert "mona" in (listed := capsys.readouterr().out) and "disabled" in listed
    assert "not set up" in listed
    user = _read(env, lambda conn: accounts.user_by_name(conn, "mona"))
    assert user.disabled and user.totp_secret is None
    assert _read(env, lambda conn: accounts.recovery_codes_left(conn, user.id)) == 0
    assert main(["admin", "enable", "mona"]) == 0
    assert not _read(env, lambda conn: accounts.user_by_name(conn, "mona")).disabled
    assert main(["admin", "enable", "nobody"]) == 1
    events = _read(env, lambda conn: accounts.audit_events(conn))
    cli = [(e.action, e.params) for e in events if e.request_id == "cli"]
    assert [a for a, _ in cli] == [
        "user.enable",
        "user.list",
        "user.reset_mfa",
        "user.disable",
        "user.create",
    ]
    assert all('"via": "cli"' in p for _, p in cli)


def test_demo_logins_are_printed_on_request(env, monkeypatch, capsys):
    assert main(["demo", "logins"]) == 1
    (env / "demo-login").write_text("demo-admin demo-worker\nsecret-words\n")
    assert main(["demo", "logins"]) == 0
    shown = capsys.readouterr().out
    assert "demo-admin, demo-worker" in shown and "secret-words" in shown
