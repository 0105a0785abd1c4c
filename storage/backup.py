"""Encrypted backups of the SQLite database, and restoring them (REL-13, SEC-21).

A backup is SQLite's online backup of the live database (consistent while the server
runs), serialised in memory and sealed with DATA_KEY, so no plain copy touches the disk.
The pepper and the key live in SECRETS_DIR and are never inside: back that folder up
separately, or the backup cannot be opened (and pseudonyms cannot be matched again).
PostgreSQL deployments use pg_dump instead (see the README).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from storage.sealing import Sealer

MAGIC = b"YOUTHVOICE-BACKUP-1\n"


class BackupError(ValueError):
    """A backup that cannot be made or restored; the message says why and what to do."""


def backup(database: Path, out: Path, sealer: Sealer) -> int:
    """Write a sealed copy of `database` to `out` (0600); returns the database's size."""
    if not database.exists():
        raise BackupError(f"no database at {database}")
    source = sqlite3.connect(f"file:{database}?mode=rw", uri=True)  # it only reads
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        data = bytearray(copy.serialize())
        # The image keeps the live file's WAL flag (header bytes 18-19), and SQLite will not
        # open a WAL image in memory: mark it as a plain rollback-journal database.
        data[18] = data[19] = 1
    finally:
        source.close()
        copy.close()
    _write_private(out, MAGIC + sealer.seal_bytes(bytes(data)))
    return len(data)


def restore(backup_file: Path, database: Path, sealer: Sealer, *, replace: bool) -> int:
    """Check a backup, then write it over `database` (only an empty one unless `replace`).
    The server must be stopped. Returns the number of submissions restored."""
    raw = backup_file.read_bytes()
    if not raw.startswith(MAGIC):
        raise BackupError(f"{backup_file} is not a Youth Voice backup")
    data = sealer.unseal_bytes(raw[len(MAGIC) :])
    copy = sqlite3.connect(":memory:")
    try:
        copy.deserialize(data)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} failed SQLite's integrity check")
        submissions = int(copy.execute("SELECT count(*) FROM submissions").fetchone()[0])
        if not replace and _holds_data(database):
            raise BackupError(
                f"{database} already holds data: stop the server and add --replace to "
                "overwrite it, or restore into an empty DATA_DIR"
            )
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = sqlite3.connect(database)
        try:
            copy.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
        os.chmod(database, 0o600)
        return submissions
    finally:
        copy.close()


def _holds_data(database: Path) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return False
    conn = sqlite3.connect(f"file:{database}?mode=rw", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return "teams" in tables and conn.execute("SELECT count(*) FROM teams").fetchone()[0] > 0
    finally:
        conn.close()


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)
