"""Pacing completed check-ins per invite and for the organisation, and holding bursts out
of the figures (issue 10 part 1, SEC-25).

Counts only: how many check-ins an invite (or the whole organisation) completed in a UTC
clock hour and day, never who sent them. A check-in that takes its invite or the
organisation past the expected pace is still stored, but with `hold_id` set to a
content-free "unusual volume on invite X" alert, and no report, theme or quote counts it.
An admin who did not make that invite then releases the held check-ins into the figures
or deletes them. Releasing clears `hold_id`, so afterwards nothing ties a check-in to the
hour its burst arrived in. Only check-ins whose reporting period is still open can be
released: a closed period's figures never change, or the page before and after a release
would tell a small group's answers by subtraction (SDC-05, SDC-07).

Counting and deciding happen in the write transaction that stores the submissions (SQLite
`BEGIN IMMEDIATE`, PostgreSQL row locks on the counters), so parallel sends cannot slip
past a limit together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.dialect import insert_for
from storage.schema import (
    Answer,
    Comment,
    CommentTheme,
    DeletionReceipt,
    Invite,
    PaceCount,
    Submission,
    Team,
    VolumeAlert,
)

ORG = "org"
OPEN, RELEASED, DELETED = "open", "released", "deleted"
COUNTS_KEPT = dt.timedelta(days=2)

pace_t = PaceCount.__table__
alert_t = VolumeAlert.__table__
sub_t = Submission.__table__


@dataclass(frozen=True)
class PaceLimits:
    """The expected pace: completed check-ins per invite and per organisation, per UTC
    clock hour and per day."""

    invite_hour: int
    invite_day: int
    org_hour: int
    org_day: int


def hour_of(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H")


def day_of(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%d")


async def holds_for(
    conn: AsyncConnection,
    invite_ids: Sequence[str | None],
    now: dt.datetime,
    limits: PaceLimits,
) -> list[str | None]:
    """Count one completed check-in per entry (its invite, if any) and return, for each,
    the alert it is held under, or None when it is within the expected pace."""
    hour, day = hour_of(now), day_of(now)
    out: list[str | None] = []
    for invite_id in invite_ids:
        org_hour = await _bump(conn, ORG, hour)
        org_day = await _bump(conn, ORG, day)
        over_invite = False
        if invite_id is not None:
            # Both counters, always: each counts every check-in, held or not.
            in_hour = await _bump(conn, invite_id, hour)
            in_day = await _bump(conn, invite_id, day)
            over_invite = in_hour > limits.invite_hour or in_day > limits.invite_day
        if over_invite:
            out.append(await open_alert(conn, invite_id, hour))
        elif org_hour > limits.org_hour or org_day > limits.org_day:
            out.append(await open_alert(conn, None, hour))
        else:
            out.append(None)
    return out


async def _bump(conn: AsyncConnection, scope: str, bucket: str) -> int:
    """Add one to a counter and return its new value, atomically."""
    stmt = insert_for(conn, pace_t).values(scope=scope, bucket=bucket, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "bucket"], set_={"count": pace_t.c.count + 1}
    ).returning(pace_t.c.count)
    return int((await conn.execute(stmt)).scalar_one())


async def open_alert(conn: AsyncConnection, invite_id: str | None, hour: str) -> str:
    """The open alert for this invite (or the organisation), raised now if there is none."""
    a = alert_t.c
    scope = a.invite_id.is_(None) if invite_id is None else a.invite_id == invite_id
    found = (
        await conn.execute(select(a.id).where(scope & (a.status == OPEN)).order_by(a.id).limit(1))
    ).scalar_one_or_none()
    if found is not None:
        return str(found)
    alert_id = secrets.token_urlsafe(12)
    await conn.execute(
        alert_t.insert().values(id=alert_id, invite_id=invite_id, raised_hour=hour, status=OPEN)
    )
    return alert_id


async def purge_counts(conn: AsyncConnection, now: dt.datetime) -> int:
    """Drop counters older than any window still being judged."""
    oldest = day_of(now - COUNTS_KEPT)
    result = await conn.execute(delete(pace_t).where(pace_t.c.bucket < oldest))
    return int(result.rowcount)


# --- the console: alerts for a second admin


@dataclass(frozen=True)
class Alert:
    """What an admin sees: which invite, its team and label, when (to the hour) and how
    many check-ins are held. Nothing they said, nothing about who."""

    id: str
    invite_id: str | None
    invite_label: str
    team_name: str
    created_by: str | None
    raised_hour: str
    held: int
    releasable: bool  # every held check-in is in a reporting period still open


async def open_alerts(
    conn: AsyncConnection, viewer_id: str, open_months: Collection[str]
) -> list[Alert]:
    """Open alerts this admin may act on: never one on an invite they made (SEC-25).
    open_months: the month buckets of the reporting period still open."""
    a, i, t, s = alert_t.c, Invite.__table__.c, Team.__table__.c, sub_t.c
    held = select(func.count()).where(s.hold_id == a.id).scalar_subquery()
    closed = (
        select(func.count())
        .where((s.hold_id == a.id) & s.period.not_in(sorted(open_months)))
        .scalar_subquery()
    )
    rows = await conn.execute(
        select(a.id, a.invite_id, i.label, t.name, i.created_by, a.raised_hour, held, closed)
        .select_from(
            alert_t.outerjoin(Invite.__table__, i.id == a.invite_id).outerjoin(
                Team.__table__, t.id == i.team_id
            )
        )
        .where(a.status == OPEN)
        .order_by(a.raised_hour, a.id)
    )
    alerts = [
        Alert(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5], int(r[6] or 0), not r[7])
        for r in rows
    ]
    return [alert for alert in alerts if alert.created_by != viewer_id]


async def resolve(
    conn: AsyncConnection,
    alert_id: str,
    viewer_id: str,
    *,
    release: bool,
    open_months: Collection[str],
    now: dt.datetime,
) -> int | None:
    """Release the alert's held check-ins into the figures, or delete them. Returns how
    many, or None if the alert is not open, is on an invite this admin made, or (for a
    release) holds check-ins whose reporting period has closed."""
    found = [a for a in await open_alerts(conn, viewer_id, open_months) if a.id == alert_id]
    if not found or (release and not found[0].releasable):
        return None
    ids = select(sub_t.c.id).where(sub_t.c.hold_id == alert_id)
    if release:
        changed = await conn.execute(
            update(sub_t).where(sub_t.c.hold_id == alert_id).values(hold_id=None)
        )
    else:
        comments = select(Comment.__table__.c.id).where(Comment.__table__.c.submission_id.in_(ids))
        await conn.execute(
            delete(CommentTheme.__table__).where(CommentTheme.__table__.c.comment_id.in_(comments))
        )
        for table in (Comment, Answer, DeletionReceipt):
            await conn.execute(
                delete(table.__table__).where(table.__table__.c.submission_id.in_(ids))
            )
        changed = await conn.execute(delete(sub_t).where(sub_t.c.hold_id == alert_id))
    await conn.execute(
        update(alert_t)
        .where(alert_t.c.id == alert_id)
        .values(status=RELEASED if release else DELETED, resolved_by=viewer_id, resolved_at=now)
    )
    return int(changed.rowcount)
