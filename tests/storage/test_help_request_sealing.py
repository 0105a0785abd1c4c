"""Help requests are sealed and kept only to the hour (SG-07, SEC-21), including those
stored in the clear before migration 0005: a copied database file shows no contact."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrate
from storage.schema import HelpRequest
from storage.sealing import Sealer

CONTACT = "ring 07700 900777 ask for canary-kestrel"


def _files(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def _old_request(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO help_requests (id, created_at, contact) VALUES (:i, :at, :c)"),
            {"i": "old-1", "at": dt.datetime(2026, 3, 4, 17, 42, 9), "c": CONTACT},
        )
    await engine.dispose()


async def test_upgrade_seals_contacts_stored_in_the_clear(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{db}"
    await migrate.upgrade(url, "0004_receipts")
    await _old_request(url)
    key = secrets.token_bytes(32)
    await migrate.upgrade(url, data_key=key)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        (row,) = await conn.execute(select(HelpRequest.__table__))
    await engine.dispose()
    assert Sealer(key).unseal(row.sealed_contact) == CONTACT
    assert (row.created_at.hour, row.created_at.minute, row.created_at.second) == (17, 0, 0)
    assert b"canary-kestrel" not in _files(db) and b"900777" not in _files(db)


async def test_upgrade_without_the_key_refuses_rather_than_keep_contacts_clear(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await migrate.upgrade(url, "0004_receipts")
    await _old_request(url)
    with pytest.raises(RuntimeError, match="DATA_KEY"):
        await migrate.upgrade(url)


def test_a_sealed_value_carries_only_the_hour() -> None:
    """Fernet puts its creation time in the token in the clear: ours is the hour."""
    token = Sealer(secrets.token_bytes(32)).seal("x")
    stamp = int.from_bytes(base64.urlsafe_b64decode(token)[1:9], "big")
    assert stamp % 3600 == 0
