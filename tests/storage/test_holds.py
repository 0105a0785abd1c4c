"""Holding bursts out of the figures (issue 10, SEC-25), on SQLite and PostgreSQL.

The attack: a burst of check-ins on one invite to lift a small team past k. Beyond the
invite's expected pace they are stored held: counted in `pace_counts` (counts only), but
in no report or theme query, until an admin who did not make the invite releases or
deletes them."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets

from sqlalchemy import func, select

from storage import catalog, pace
from storage import reports as queries
from storage.conversations import NewSubmission, store_submissions
from storage.db import Database
from storage.pace import PaceLimits
from storage.schema import PaceCount, Submission, VolumeAlert

NOW = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
MONTHS = ("2026-10", "2026-11", "2026-12")
LIMITS = PaceLimits(invite_hour=6, invite_day=20, org_hour=60, org_day=300)


def _sub(team: str, invite: str | None, month: str = "2026-11") -> NewSubmission:
    return NewSubmission(
        id=secrets.token_bytes(16),
        period=month,
        team_id=team,
        worker_id=None,
        flow_id="relationship-checkin",
        flow_version=1,
        answers=(("trust", 4, "answered"),),
        comments=((secrets.token_bytes(16), "helps", "she listens to me", (("heard", "helps"),)),),
        participation=secrets.token_hex(32),
        purge_after="2027-12",
        invite_id=invite,
    )


async def _setup(db: Database, owner: str | None = "manager-1") -> tuple[str, str]:
    async with db.write() as conn:
        team = await catalog.add_team(conn, "Harbour")
        invite = await catalog.add_invite(
            conn,
            team_id=team,
            flow_id="relationship-checkin",
            label="poster",
            now=NOW,
            created_by=owner,
        )
    return team, invite.id


async def _send(db: Database, team: str, invite: str | None, n: int, when: dt.datetime = NOW):
    """n check-ins, each in its own transaction and all at once, as parallel sends arrive."""

    async def one() -> None:
        async with db.write() as conn:
            await store_submissions(conn, [_sub(team, invite)], now=when, limits=LIMITS)

    await asyncio.gather(*(one() for _ in range(n)))


async def _figures(db: Database, team: str) -> tuple[int, int, int]:
    async with db.read() as conn:
        people = (await queries.team_respondents(conn, MONTHS)).get(team, 0)
        answered = (await queries.answer_counts(conn, MONTHS)).counts["trust"][team]["4"]
        themed = (await queries.theme_respondents(conn, MONTHS, "helps"))[team]["heard"]
    return people, answered, themed


async def _open_alerts(db: Database, viewer: str) -> list[pace.Alert]:
    async with db.read() as conn:
        return await pace.open_alerts(conn, viewer, MONTHS)


async def test_a_burst_on_one_invite_is_held_out_of_every_figure(db: Database) -> None:
    """15 check-ins at once on one invite, expected pace 6 an hour: exactly 6 count, even
    though the 15 arrived in parallel transactions; 9 are held under one content-free
    alert, and the counters hold counts only."""
    team, invite = await _setup(db)
    await _send(db, team, invite, 15)
    assert await _figures(db, team) == (6, 6, 6)
    async with db.read() as conn:
        s = Submission.__table__.c
        held = (await conn.execute(select(func.count()).where(s.hold_id.is_not(None)))).scalar()
        alerts = list(await conn.execute(select(VolumeAlert.__table__)))
        counts = {
            (r.scope, r.bucket): r.count for r in await conn.execute(select(PaceCount.__table__))
        }
    assert held == 9
    assert [(a.invite_id, a.raised_hour, a.status) for a in alerts] == [
        (invite, "2026-11-03T09", "open")
    ]
    assert counts == {
        ("org", "2026-11-03T09"): 15,
        ("org", "2026-11-03"): 15,
        (invite, "2026-11-03T09"): 15,
        (invite, "2026-11-03"): 15,
    }
    # The next hour has room again (up to the day's 20): those count.
    await _send(db, team, invite, 3, NOW + dt.timedelta(hours=1))
    assert (await _figures(db, team))[0] == 9


async def test_only_an_admin_who_did_not_make_the_invite_can_release(db: Database) -> None:
    """SEC-25: the invite's maker sees no alert and cannot act on it; another admin
    releases the held check-ins, which then count and carry no trace of their alert."""
    team, invite = await _setup(db, owner="admin-1")
    await _send(db, team, invite, 10)
    assert await _open_alerts(db, "admin-1") == []
    [alert] = await _open_alerts(db, "admin-2")
    assert (alert.invite_label, alert.team_name, alert.held, alert.releasable) == (
        "poster",
        "Harbour",
        4,
        True,
    )
    async with db.write() as conn:
        refused = await pace.resolve(
            conn, alert.id, "admin-1", release=True, open_months=MONTHS, now=NOW
        )
        released = await pace.resolve(
            conn, alert.id, "admin-2", release=True, open_months=MONTHS, now=NOW
        )
    assert (refused, released) == (None, 4)
    assert await _figures(db, team) == (10, 10, 10)
    assert await _open_alerts(db, "admin-2") == []
    async with db.read() as conn:
        s = Submission.__table__.c
        assert (
            await conn.execute(select(func.count()).where(s.hold_id.is_not(None)))
        ).scalar() == 0


async def test_deleting_removes_the_held_check_ins_and_nothing_else(db: Database) -> None:
    team, invite = await _setup(db)
    await _send(db, team, invite, 10)
    [alert] = await _open_alerts(db, "admin-2")
    async with db.write() as conn:
        deleted = await pace.resolve(
            conn, alert.id, "admin-2", release=False, open_months=MONTHS, now=NOW
        )
    assert deleted == 4
    assert await _figures(db, team) == (6, 6, 6)
    async with db.read() as conn:
        total = (
            await conn.execute(select(func.count()).select_from(Submission.__table__))
        ).scalar()
    assert total == 6


async def test_a_closed_period_is_never_released_into(db: Database) -> None:
    """SDC-07: releasing after the period closed would change final figures, and the page
    before and after would give the held group's answers away by subtraction."""
    team, invite = await _setup(db)
    await _send(db, team, invite, 8)
    later = ("2027-01", "2027-02", "2027-03")
    async with db.read() as conn:
        [alert] = await pace.open_alerts(conn, "admin-2", later)
    assert not alert.releasable
    async with db.write() as conn:
        assert (
            await pace.resolve(conn, alert.id, "admin-2", release=True, open_months=later, now=NOW)
            is None
        )
    assert (await _figures(db, team))[0] == 6


async def test_the_organisation_pace_holds_a_burst_spread_over_invites(db: Database) -> None:
    """Many invites, each under its own pace, still add up to an organisation-wide burst."""
    async with db.write() as conn:
        team = await catalog.add_team(conn, "Harbour")
        invites = [
            (
                await catalog.add_invite(
                    conn, team_id=team, flow_id="relationship-checkin", label=f"i{n}", now=NOW
                )
            ).id
            for n in range(14)
        ]
    for invite in invites:
        await _send(db, team, invite, 5)  # 70 in all, 5 per invite
    assert (await _figures(db, team))[0] == 60
    [alert] = await _open_alerts(db, "admin-2")
    assert (alert.invite_id, alert.held) == (None, 10)


async def test_counters_are_forgotten_after_two_days(db: Database) -> None:
    team, invite = await _setup(db)
    await _send(db, team, invite, 2)
    async with db.write() as conn:
        assert await pace.purge_counts(conn, NOW + dt.timedelta(days=1)) == 0
        assert await pace.purge_counts(conn, NOW + dt.timedelta(days=3)) == 4


async def test_held_check_ins_do_not_feed_the_cell_keys(db: Database) -> None:
    """SDC-14: the noise on a figure comes from the record keys of the check-ins it counts;
    a held burst must not move it, or the insider's burst would still steer the noise."""
    team, invite = await _setup(db)
    await _send(db, team, invite, 15)
    async with db.read() as conn:
        s = Submission.__table__.c
        counted = [
            int(k)
            for (k,) in await conn.execute(select(s.record_key).where(s.hold_id.is_(None)))
        ]
        team_key = (await queries.team_keys(conn, MONTHS))[team]
        theme_key = (await queries.theme_keys(conn, MONTHS, "helps"))[team]["heard"]
    assert len(counted) == 6
    assert team_key == theme_key == sum(counted) % 256
