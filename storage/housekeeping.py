"""Deleting what must not be kept: expired drafts (AN-03), old update marks (REL-01),
participation marks once their period closes (AN-05), answers past the retention the
young people were told (CC-13), handled help requests, old audit entries, and pacing
counters once no window still being judged needs them (issue 10).

Answers go a whole reporting period at a time, as soon as the oldest month of that period
is RETENTION_MONTHS old: nothing is kept longer than promised, and a report never loses
part of a period (which would let two views of it be subtracted, SDC-13).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, exists, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.pace import purge_counts
from storage.schema import (
    Answer,
    AuditEvent,
    Comment,
    CommentTheme,
    Conversation,
    DeletionReceipt,
    HelpRequest,
    Participation,
    ProcessedUpdate,
    Submission,
)

UPDATE_MARKS_KEPT = dt.timedelta(days=7)
# The audit log is append-only by trigger (SEC-17); only this purge lifts the DELETE guard,
# inside its own transaction, and puts the same guard back before committing.
AUDIT_GUARD = {
    "sqlite": (
        "DROP TRIGGER audit_log_no_delete",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ),
    "postgresql": (
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ),
}


@dataclass(frozen=True)
class Keep:
    """How long each kind of record is kept (settings RETENTION_MONTHS, REPORT_PERIOD,
    HELP_REQUEST_RETENTION_DAYS, AUDIT_RETENTION_MONTHS)."""

    answers_months: int = 24
    period_months: int = 3
    help_request_days: int = 90
    audit_months: int = 24


async def purge(
    db: Database, now: dt.datetime, this_month: str, keep: Keep | None = None
) -> dict[str, int]:
    keep = keep or Keep()
    c, p, u = Conversation.__table__, Participation.__table__, ProcessedUpdate.__table__
    h = HelpRequest.__table__
    async with db.write() as conn:
        drafts = await conn.execute(delete(c).where(c.c.expires_at <= now))
        marks = await conn.execute(delete(u).where(u.c.seen_at <= now - UPDATE_MARKS_KEPT))
        parts = await conn.execute(delete(p).where(p.c.purge_after < this_month))
        answers = await _old_answers(conn, _answers_kept_from(this_month, keep))
        helps = await conn.execute(
            delete(h).where(
                h.c.handled_at.is_not(None),
                h.c.handled_at <= now - dt.timedelta(days=keep.help_request_days),
            )
        )
        audit = await _old_audit(conn, _month_start(this_month, -keep.audit_months))
        counts = await purge_counts(conn, now)
    if not await db.checkpoint():
        db.wipe_soon()  # a reader held the WAL: try again shortly (AN-11)
    return {
        "drafts": drafts.rowcount,
        "update_marks": marks.rowcount,
        "participation": parts.rowcount,
        "submissions": answers,
        "help_requests": helps.rowcount,
        "audit_entries": audit,
        "pace_counts": counts,
    }


def _answers_kept_from(this_month: str, keep: Keep) -> str:
    """The first month whose answers are kept: every reporting period whose first month is
    at least `answers_months` old goes."""
    oldest_kept = _index(this_month) - keep.answers_months + 1
    # Round up to a period start (periods start in January, April, July and October).
    return _month(oldest_kept + (-oldest_kept) % keep.period_months)


async def _old_answers(conn: AsyncConnection, kept_from: str) -> int:
    s, cm = Submission.__table__, Comment.__table__
    gone = select(s.c.id).where(s.c.period < kept_from)
    themes, receipts = CommentTheme.__table__, DeletionReceipt.__table__
    await conn.execute(
        delete(themes).where(
            themes.c.comment_id.in_(select(cm.c.id).where(cm.c.submission_id.in_(gone)))
        )
    )
    await conn.execute(delete(cm).where(cm.c.submission_id.in_(gone)))
    await conn.execute(delete(Answer.__table__).where(Answer.__table__.c.submission_id.in_(gone)))
    # Receipts of the deleted submissions, and any left without a submission.
    await conn.execute(
        delete(receipts).where(
            ~exists().where(s.c.id == receipts.c.submission_id, s.c.period >= kept_from)
        )
    )
    return (await conn.execute(delete(s).where(s.c.period < kept_from))).rowcount


async def _old_audit(conn: AsyncConnection, before: dt.datetime) -> int:
    a = AuditEvent.__table__
    if (await conn.execute(select(a.c.id).where(a.c.at < before).limit(1))).first() is None:
        return 0
    lift, restore = AUDIT_GUARD[conn.dialect.name]
    await conn.execute(text(lift))
    deleted = (await conn.execute(delete(a).where(a.c.at < before))).rowcount
    await conn.execute(text(restore))
    return deleted


def _index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_start(month: str, shift: int) -> dt.datetime:
    """Midnight UTC on the first day of the month `shift` months from `month`."""
    year, number = divmod(_index(month) + shift, 12)
    return dt.datetime(year, number + 1, 1, tzinfo=dt.UTC)
