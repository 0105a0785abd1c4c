"""Short invite codes (issue 15): eight Crockford base32 characters, unique, and opening
the same invite as the long code however they are typed; an old database gets one for
every invite it already has."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import catalog, migrate
from storage.db import Database

NOW = dt.datetime(2026, 5, 15, 12, 0, tzinfo=dt.UTC)


async def _invite(db: Database) -> catalog.InviteInfo:
    async with db.write() as conn:
        team = await catalog.add_team(conn, catalog.new_id())
        return await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="board", now=NOW
        )


def test_the_alphabet_has_32_unambiguous_characters_and_40_bits() -> None:
    alphabet = catalog.SHORT_ALPHABET
    assert len(set(alphabet)) == 32 and not set("ILOU") & set(alphabet)
    assert math.log2(len(alphabet)) * catalog.SHORT_LENGTH == 40


def test_new_short_codes_use_only_the_alphabet_and_do_not_repeat() -> None:
    codes = [catalog.new_short_code() for _ in range(2000)]
    assert all(len(c) == 8 and set(c) <= set(catalog.SHORT_ALPHABET) for c in codes)
    assert len(set(codes)) == 2000
    # Every character turns up: a generator stuck on part of the alphabet fails.
    assert set("".join(codes)) == set(catalog.SHORT_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("K7M2QX9P", "K7M2QX9P"),
        ("k7m2-qx9p", "K7M2QX9P"),
        ("K7M2 QX9P", "K7M2QX9P"),
        ("1O1L-I0OA", "1011100A"),
        ("K7M2QX9", None),
        ("K7M2QX9PP", None),
        ("K7M2QX9U", None),
        ("K7M2QX9!", None),
    ],
)
def test_typed_short_codes_are_read_forgivingly(typed: str, stored: str | None) -> None:
    assert catalog.short_form(typed) == stored


async def test_long_and_short_codes_open_the_same_invite(db: Database) -> None:
    invite = await _invite(db)
    short = invite.short_code
    typed = {invite.code, short, short.lower(), catalog.shown_short(short)}
    async with db.read() as conn:
        for code in typed:
            found = await catalog.invite_by_code(conn, code)
            assert found is not None and found.id == invite.id
        many = await catalog.invites_by_code(conn, typed | {"NOPE1234", "x" * 16})
        assert {code: info.id for code, info in many.items()} == dict.fromkeys(typed, invite.id)
        # A long code is case-sensitive, as before; only a short code is forgiving.
        assert await catalog.invite_by_code(conn, invite.code.swapcase()) is None


async def test_a_short_code_already_taken_is_drawn_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _invite(db)
    draws: Iterator[str] = iter([first.short_code, first.short_code, "ABCD2345"])
    monkeypatch.setattr(catalog, "new_short_code", lambda: next(draws))
    second = await _invite(db)
    assert second.short_code == "ABCD2345"


async def test_a_revoke_can_be_undone_for_a_day_then_is_final(db: Database) -> None:
    invite = await _invite(db)
    async with db.write() as conn:
        assert await catalog.revoke_invite(conn, invite.id, NOW)
        later = NOW + catalog.UNDO_REVOKE - dt.timedelta(minutes=1)
        assert await catalog.unrevoke_invite(conn, invite.id, later)
        assert await catalog.revoke_invite(conn, invite.id, NOW)
        assert not await catalog.unrevoke_invite(conn, invite.id, NOW + catalog.UNDO_REVOKE)
        assert not await catalog.unrevoke_invite(conn, "no-such-invite", NOW)
    async with db.read() as conn:
        kept = await catalog.invite_by_code(conn, invite.code)
    assert kept is not None and kept.revoked_at is not None


async def test_invites_made_before_short_codes_get_one_each(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    await migrate.upgrade(url, "0011_record_keys")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO teams (id, name) VALUES ('t', 'Harbour')")
        for n in range(3):
            raw.execute(
                "INSERT INTO invites (id, code, team_id, flow_id, label, created_at)"
                " VALUES (?, ?, 't', 'relationship-checkin', 'board', '2026-05-01 10:00:00')",
                (f"i{n}", f"long-code-{n}"),
            )
    await migrate.upgrade(url)
    with sqlite3.connect(path) as raw:
        shorts = [r[0] for r in raw.execute("SELECT short_code FROM invites")]
    assert len(set(shorts)) == 3
    assert all(catalog.short_form(s) == s for s in shorts)
