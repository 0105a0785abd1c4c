"""Bulk inserts for the demo organisation only (youthvoice/demo.py, DEMO_DATA=true).

Real submissions arrive one at a time through `storage.conversations`, with a
participation mark per young person. Synthetic ones have no young person behind them,
so they skip that mark and go in through the same set-wise INSERTs: the same tables, the
same random 128-bit keys and month buckets, nothing else (AN-08, AN-09).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import help_requests
from storage.conversations import AnonymousSubmission, insert_anonymous, random_key
from storage.schema import SafetyCount


@dataclass(frozen=True)
class DemoComment:
    question: str
    text: str
    themes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoSubmission:
    period: str
    team_id: str
    worker_id: str | None
    flow_id: str
    flow_version: int
    answers: tuple[tuple[str, int | None, str], ...]
    comments: tuple[DemoComment, ...] = ()


async def insert_submissions(conn: AsyncConnection, items: Sequence[DemoSubmission]) -> int:
    """Insert synthetic submissions with their answers, comments and themes; returns how many."""
    subs = [
        AnonymousSubmission(
            id=random_key(),
            period=item.period,
            team_id=item.team_id,
            worker_id=item.worker_id,
            flow_id=item.flow_id,
            flow_version=item.flow_version,
            answers=item.answers,
            comments=tuple((random_key(), c.question, c.text, c.themes) for c in item.comments),
        )
        for item in items
    ]
    if subs:
        await insert_anonymous(conn, subs)
    return len(subs)


async def insert_safety_counts(
    conn: AsyncConnection, counts: Sequence[tuple[str, str, str, int]]
) -> None:
    """(period, reason, category, count) rows for the unlinked safety counters (CC-20)."""
    rows = [
        {"period": period, "reason": reason, "category": category, "count": count}
        for period, reason, category, count in counts
        if count > 0
    ]
    if rows:
        await conn.execute(SafetyCount.__table__.insert(), rows)


async def insert_help_request(
    conn: AsyncConnection, sealed_contact: bytes, created_at: dt.datetime, team_id: str
) -> None:
    """A "talk to a person" request for the safeguarding lead's queue (SG-07)."""
    await help_requests.add(
        conn,
        [
            help_requests.NewHelpRequest(
                id=secrets.token_urlsafe(12),
                created_at=created_at,
                kind="person",
                lang="en",
                team_id=team_id,
                sealed_contact=sealed_contact,
            )
        ],
    )
