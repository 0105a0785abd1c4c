"""Deletion receipts (AN-19): find a submission by the SHA-256 of its receipt code, and
delete it with everything that hangs off it. There is deliberately no way to read the
answers back through a receipt: someone holding the phone could see them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import Answer, Comment, CommentTheme, DeletionReceipt, Submission


@dataclass(frozen=True)
class Receipted:
    """The submission a receipt points at, and its month ("YYYY-MM")."""

    submission_id: bytes
    period: str


async def find(conn: AsyncConnection, code_hash: str) -> Receipted | None:
    r, s = DeletionReceipt.__table__.c, Submission.__table__.c
    row = (
        await conn.execute(
            select(s.id, s.period)
            .join_from(DeletionReceipt.__table__, Submission.__table__, r.submission_id == s.id)
            .where(r.code_hash == code_hash)
        )
    ).first()
    return None if row is None else Receipted(row.id, row.period)


async def delete_submission(conn: AsyncConnection, submission_id: bytes) -> None:
    """Delete a submission, its answers, comments, comment themes and receipt. Explicit
    rather than left to ON DELETE CASCADE, so it holds whatever a database enforces."""
    comments = select(Comment.__table__.c.id).where(
        Comment.__table__.c.submission_id == submission_id
    )
    await conn.execute(
        delete(CommentTheme.__table__).where(CommentTheme.__table__.c.comment_id.in_(comments))
    )
    for table in (Comment, Answer, DeletionReceipt):
        await conn.execute(
            delete(table.__table__).where(table.__table__.c.submission_id == submission_id)
        )
    await conn.execute(
        delete(Submission.__table__).where(Submission.__table__.c.id == submission_id)
    )
