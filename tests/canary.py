"""The one canary every channel's leave-no-trace test types (AN-02, AN-11, AN-14, issue 11).

A young person introduces themselves with a name on no list, gives a street address, a
school, a handle without an @, a phone number and an email. After Send, and again after
`/delete CODE`, the product has `DEADLINE` seconds (the promise in the README) to leave
none of it, nor the channel's ids, in the raw bytes of the database, its -wal and -shm
files, the log or an export. The WAL wipe runs on its real timer, set short by
WAL_WIPE_SECONDS so the tests do not idle."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import Database
from youthvoice import logs

WORDS = (
    "im Zephyrine Quillfeather call me on 07700 900461",
    "i live at 14 Wendlebury Close and i go to Marshfield Academy",
    "add me on snap its zquill_77 or email zephyrine.q@example.org",
)
SECRETS = (
    "zephyrine",
    "quillfeather",
    "07700 900461",
    "07700900461",
    "900461",
    "wendlebury",
    "marshfield",
    "zquill_77",
    "zquill",
    "zephyrine.q@example.org",
)
DEADLINE = 60.0  # seconds after Send or /delete
WIPE_SECONDS = 1.0  # WAL_WIPE_SECONDS in these tests


def database_files(data_dir: Path, name: str = "youthvoice.db") -> bytes:
    """The SQLite file with its -wal and -shm, raw."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob(name + "*")))


def leaks(raw: bytes | str, extra: Iterable[str] = ()) -> list[str]:
    """Which canary values (and `extra` ids) `raw` holds, in any letter case."""
    data = (raw.encode() if isinstance(raw, str) else raw).lower()
    return [v for v in (*SECRETS, *extra) if v.lower().encode() in data]


async def wiped(db: Database) -> float:
    """Wait, at most DEADLINE seconds, until the WAL wipe after the last deletion has run;
    the seconds it took."""
    start = time.monotonic()
    await asyncio.wait_for(db.wiped(), DEADLINE)
    return time.monotonic() - start


@contextmanager
def debug_log(path: Path) -> Iterator[Path]:
    """The product's own logging (youthvoice.logs) at DEBUG into `path`; restored after."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET}
    logs.configure("DEBUG", path)
    try:
        yield path
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


def flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()
