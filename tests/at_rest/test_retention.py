"""Retention that happens (CC-13, AN-05, SEC-17): with a clock moved by hand, housekeeping
deletes answers, comments, theme tags and receipts a whole reporting period at a time once
the period's first month is RETENTION_MONTHS old; participation marks when their period
closes; handled help requests after HELP_REQUEST_RETENTION_DAYS; audit entries after
AUDIT_RETENTION_MONTHS, leaving the audit log append-only. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError

from flows.inputs import Choose, Command, Start, Text
from storage import accounts, catalog, help_requests
from storage.housekeeping import purge
from storage.schema import (
    Answer,
    AuditEvent,
    Comment,
    CommentTheme,
    DeletionReceipt,
    HelpRequest,
    Participation,
    Submission,
)
from tests.conftest import CLOCK_START, Clock
from youthvoice.bootstrap import Services

T0 = CLOCK_START  # 2026-11-03 09:00 UTC: 2026-Q4, whose first month is October
ANSWERS = (Submission, Answer, Comment, CommentTheme, DeletionReceipt)
WORDS = "they listen to me and help me plan things"


def at(year: int, month: int, day: int = 1, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


async def _counts(svc: Services) -> dict[str, int]:
    tables = (*ANSWERS, Participation, HelpRequest, AuditEvent)
    async with svc.db.read() as conn:
        return {
            t.__tablename__: (
                await conn.execute(select(func.count()).select_from(t.__table__))
            ).scalar_one()
            for t in tables
        }


async def _check_in_with_receipt_and_help(svc: Services) -> None:
    """At T0: one young person asks for a person and sends a check-in with words and a
    deletion receipt; the lead handles the request and it is audited."""
    service = svc.conversations
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=T0
        )
    await service.handle("t", "yp", Start((("invite", invite.code),)))
    await service.handle("t", "yp", Choose("intro", "next"))
    await service.handle("t", "yp", Text("my mums boyfriend hits me"))
    await service.handle("t", "yp", Choose("_safety", "person"))
    await service.handle("t", "yp", Text("text me on 07700 900123"))
    await service.handle("t", "yp", Start((("invite", invite.code),)))
    await service.handle("t", "yp", Choose("intro", "next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await service.handle("t", "yp", Choose(item, "4"))
    await service.handle("t", "yp", Text(WORDS))
    for _ in range(2):
        await service.handle("t", "yp", Command("skip"))
    await service.handle("t", "yp", Choose("review", "receipt"))
    async with svc.db.write() as conn:
        (request_id,) = (await conn.execute(select(HelpRequest.__table__.c.id))).scalars()
        outcome = svc.sealer.seal("rang back")
        assert await help_requests.mark_handled(conn, request_id, "lead", T0, outcome)
        await accounts.audit(
            conn,
            at=T0,
            actor_id="lead",
            actor_role="dsl",
            action="help.handled",
            outcome="ok",
            params={},
            request_id="r1",
        )


async def _purge_at(svc: Services, clock: Clock, moment: dt.datetime) -> dict[str, int]:
    clock.now = moment
    return await purge(svc.db, moment, svc.conversations.period(moment), svc.keep)


async def test_everything_goes_when_its_time_comes(backend: Services, clock: Clock) -> None:
    svc = backend
    await _check_in_with_receipt_and_help(svc)
    start = await _counts(svc)
    assert all(start[t.__tablename__] >= 1 for t in (*ANSWERS, Participation, HelpRequest))
    assert start["audit_log"] == 1

    # Participation marks guard one send per reporting period: gone once 2026-Q4 closes.
    assert (await _purge_at(svc, clock, at(2026, 12, 31, 23)))["participation"] == 0
    assert (await _purge_at(svc, clock, at(2027, 1, 1, 1)))["participation"] == 1

    # Handled help requests: kept 90 days after handling, then deleted.
    assert (await _purge_at(svc, clock, T0 + dt.timedelta(days=89)))["help_requests"] == 0
    assert (await _purge_at(svc, clock, T0 + dt.timedelta(days=90)))["help_requests"] == 1

    # Answers from 2026-11 belong to 2026-Q4: the quarter goes in the month its first
    # month (October 2026) turns 24 months old, so nothing outlives the promise.
    assert (await _purge_at(svc, clock, at(2028, 9, 30, 22)))["submissions"] == 0
    assert (await _counts(svc))["comments"] == start["comments"]
    assert (await _purge_at(svc, clock, at(2028, 10, 1, 1)))["submissions"] == 1
    left = await _counts(svc)
    assert {t.__tablename__: left[t.__tablename__] for t in ANSWERS} == dict.fromkeys(
        (t.__tablename__ for t in ANSWERS), 0
    )

    # The audit entry from 2026-11-03 is kept 24 whole months, then deleted ...
    assert (await _purge_at(svc, clock, at(2028, 11, 30)))["audit_entries"] == 0
    assert (await _purge_at(svc, clock, at(2028, 12, 1)))["audit_entries"] == 1
    assert (await _counts(svc))["audit_log"] == 0
    # ... and the log is append-only again afterwards (SEC-17).
    async with svc.db.write() as conn:
        await accounts.audit(
            conn,
            at=clock.now,
            actor_id=None,
            actor_role=None,
            action="x",
            outcome="ok",
            params={},
            request_id="r2",
        )
    with pytest.raises(DBAPIError, match="append-only"):
        async with svc.db.write() as conn:
            await conn.execute(delete(AuditEvent.__table__))


async def test_monthly_reporting_keeps_each_month_its_full_retention(
    backend: Services, clock: Clock
) -> None:
    """With REPORT_PERIOD=month the period is the month itself: 2026-11 goes in 2028-11."""
    svc = backend
    svc.settings = svc.settings.model_copy(update={"report_period": "month"})
    await _check_in_with_receipt_and_help(svc)
    assert (await _purge_at(svc, clock, at(2028, 10, 31, 22)))["submissions"] == 0
    assert (await _purge_at(svc, clock, at(2028, 11, 1, 1)))["submissions"] == 1


async def test_a_shorter_retention_setting_is_obeyed(backend: Services, clock: Clock) -> None:
    """RETENTION_MONTHS=6: 2026-Q4 goes in April 2027 (October 2026 plus six months)."""
    svc = backend
    svc.settings = svc.settings.model_copy(update={"retention_months": 6})
    assert svc.keep.answers_months == 6
    await _check_in_with_receipt_and_help(svc)
    assert (await _purge_at(svc, clock, at(2027, 3, 31, 22)))["submissions"] == 0
    assert (await _purge_at(svc, clock, at(2027, 4, 1, 1)))["submissions"] == 1
