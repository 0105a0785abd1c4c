"""REL-13, SEC-21: encrypted backups that restore to the same data, without the secrets
inside; a damaged database stops taking writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.backup import BackupError, backup, restore
from storage.db import Database, DatabaseError
from storage.sealing import Sealer, SealError
from tests.conftest import Services
from youthvoice.cli import main
from youthvoice.demo import seed_if_empty

TABLES = ("teams", "invites", "submissions", "answers", "comments", "help_requests")


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


async def test_a_populated_database_round_trips(svc: Services, tmp_path: Path) -> None:
    await seed_if_empty(svc)
    database = Path(svc.settings.data_dir) / "youthvoice.db"
    before = _counts(database)
    assert before["submissions"] > 50 and before["comments"] > 0
    out = tmp_path / "backups" / "yv.backup"
    backup(database, out, svc.sealer)
    raw = out.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    assert b"DEMO" not in raw and b"SQLite format" not in raw  # sealed, not a plain copy
    pepper = svc.settings.pepper_bytes()
    assert pepper not in raw and pepper.hex().encode() not in raw

    fresh = tmp_path / "restored" / "youthvoice.db"
    assert restore(out, fresh, svc.sealer, replace=False) == before["submissions"]
    assert _counts(fresh) == before
    assert fresh.stat().st_mode & 0o777 == 0o600


async def test_restore_refuses_to_overwrite_data_or_open_with_another_key(
    svc: Services, tmp_path: Path
) -> None:
    await seed_if_empty(svc)
    database = Path(svc.settings.data_dir) / "youthvoice.db"
    out = tmp_path / "yv.backup"
    backup(database, out, svc.sealer)
    with pytest.raises(BackupError, match="already holds data"):
        restore(out, database, svc.sealer, replace=False)
    with pytest.raises(SealError):
        restore(out, tmp_path / "other.db", Sealer(b"\x02" * 32), replace=False)
    (tmp_path / "junk").write_bytes(b"not a backup")
    with pytest.raises(BackupError, match="not a Youth Voice backup"):
        restore(tmp_path / "junk", tmp_path / "other.db", svc.sealer, replace=False)


def test_the_command_line_backs_up_and_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SECRETS_DIR", str(tmp_path / "secrets"))
    assert main(["db", "upgrade"]) == 0
    assert main(["backup", str(tmp_path / "b")]) == 0
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["restore", str(tmp_path / "b")]) == 0
    assert "restored 0 submissions" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "missing")]) == 1


async def test_a_damaged_database_stops_writes(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'damaged.db'}"
    from storage import migrate

    await migrate.upgrade(url)
    conn = sqlite3.connect(tmp_path / "damaged.db", isolation_level=None)
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray((tmp_path / "damaged.db").read_bytes())  # noqa: ASYNC240
    data[4096 * 8 : 4096 * 9] = b"\xff" * 4096  # scribble over a page in the middle
    (tmp_path / "damaged.db").write_bytes(bytes(data))  # noqa: ASYNC240
    db = Database(url)
    try:
        assert await db.verify() is False
        with pytest.raises(DatabaseError, match="writes stopped"):
            async with db.write():
                pass
    finally:
        await db.dispose()
