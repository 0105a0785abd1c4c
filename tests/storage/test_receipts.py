"""Deletion receipts in storage (AN-19), on SQLite and PostgreSQL: written with the
submission only when it was stored, and a delete takes every row of that submission."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from storage import catalog, receipts
from storage.conversations import NewSubmission, store_submissions
from storage.db import Database
from storage.schema import Answer, Comment, CommentTheme, DeletionReceipt, Submission

TABLES = (Submission, Answer, Comment, CommentTheme, DeletionReceipt)


def _sub(team: str, n: int, receipt: str | None, participation: str) -> NewSubmission:
    return NewSubmission(
        id=bytes([n]) * 16,
        period="2026-11",
        team_id=team,
        worker_id=None,
        flow_id="relationship-checkin",
        flow_version=1,
        answers=(("trust", 4, "answered"), ("heard", None, "skip")),
        comments=((bytes([n + 100]) * 16, "better", "more time", (("time", "neg"),)),),
        participation=participation,
        purge_after="2027-12",
        receipt=receipt,
    )


async def _counts(db: Database) -> dict[str, int]:
    async with db.read() as conn:
        return {
            t.__tablename__: (
                await conn.execute(select(func.count()).select_from(t.__table__))
            ).scalar_one()
            for t in TABLES
        }


async def test_a_receipt_is_kept_only_with_a_stored_submission(db: Database) -> None:
    """AN-19: a refused second send (same participation mark) keeps no receipt either."""
    hashed = hashlib.sha256(b"first").hexdigest()
    async with db.write() as conn:
        team = await catalog.add_team(conn, "North")
        assert await store_submissions(conn, [_sub(team, 1, hashed, "p1")]) == []
        refused = _sub(team, 2, hashlib.sha256(b"second").hexdigest(), "p1")
        assert await store_submissions(conn, [refused]) == [0]
        found = await receipts.find(conn, hashed)
        assert found == receipts.Receipted(bytes([1]) * 16, "2026-11")
        assert await receipts.find(conn, hashlib.sha256(b"second").hexdigest()) is None
    assert (await _counts(db))["deletion_receipts"] == 1


async def test_delete_takes_every_row_of_that_submission_only(db: Database) -> None:
    """AN-19: answers, words, their themes and the receipt go; another submission stays."""
    hashed = hashlib.sha256(b"mine").hexdigest()
    async with db.write() as conn:
        team = await catalog.add_team(conn, "North")
        await store_submissions(conn, [_sub(team, 1, hashed, "p1"), _sub(team, 2, None, "p2")])
    assert (await _counts(db))["answers"] == 4
    async with db.write() as conn:
        found = await receipts.find(conn, hashed)
        assert found is not None
        await receipts.delete_submission(conn, found.submission_id)
    after = await _counts(db)
    assert after == {
        "submissions": 1,
        "answers": 2,
        "comments": 1,
        "comment_themes": 1,
        "deletion_receipts": 0,
    }
