"""`youthvoice admin create-user`: the first admin comes from the command line (SEC-04)."""

from __future__ import annotations

import asyncio
import io

from storage import accounts
from youthvoice.bootstrap import bootstrap
from youthvoice.cli import main
from youthvoice.settings import Settings


def test_create_user_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEMO_DATA", "false")
    monkeypatch.setattr("sys.stdin", io.StringIO("password1234\n"))
    assert main(["admin", "create-user", "Alice", "--role", "admin"]) == 1
    assert "commonly used" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a perfectly fine passphrase\n"))
    assert main(["admin", "create-user", "Alice", "--role", "admin"]) == 0

    async def stored():
        services = await bootstrap(Settings(_env_file=None, data_dir=tmp_path, demo_data=False))
        try:
            async with services.db.read() as conn:
                return await accounts.user_by_name(conn, "alice")
        finally:
            await services.close()

    user = asyncio.run(stored())
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$")
    assert "a perfectly fine passphrase" not in user.password_hash
