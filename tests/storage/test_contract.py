"""What every storage backend must do (REL-01, REL-02, AN-05, AN-08, AN-09)."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets

from sqlalchemy import func, inspect, select

from storage import catalog, migrate
from storage.committer import GroupCommitter
from storage.conversations import (
    Effects,
    Job,
    NewSubmission,
    Outcome,
    apply_batch,
    load_draft,
    random_key,
)
from storage.db import Database
from storage.schema import Answer, Comment, Conversation, ProcessedUpdate, Submission

NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)


async def _team(db: Database) -> str:
    async with db.write() as conn:
        return await catalog.add_team(conn, f"Team {secrets.token_hex(3)}")


def _job(key: str, state: dict | None, update_key: str | None = None, **kw) -> Job:  # type: ignore[type-arg]
    """A job that replaces the draft with `state`; its payload is the draft it saw."""
    return Job(
        key,
        NOW,
        NOW + dt.timedelta(hours=24),
        lambda seen, _invite: (Effects(state, **kw), seen),
        update_key,
    )


def _submission(team: str, pid: str = "p1") -> NewSubmission:
    return NewSubmission(
        id=random_key(),
        period="2026-11",
        team_id=team,
        worker_id=None,
        flow_id="relationship-checkin",
        flow_version=1,
        participation=pid,
        purge_after="2027-12",
        answers=(("trust", 4, "answered"), ("heard", None, "skip")),
        comments=((secrets.token_bytes(16), "helps", "[NAME] listens", (("heard", "helps"),)),),
    )


async def _count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with db.read() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def test_migrations_match_the_models(db_url: str) -> None:
    """Migrations are the schema: no drift between models and migration files."""
    await migrate.check(db_url)


async def test_each_step_sees_the_draft_the_one_before_left(db: Database) -> None:
    committer = GroupCommitter(db, apply_batch)
    try:
        first = await committer.run(_job("k", {"node": "a"}))
        assert first.outcome is Outcome.DONE and first.payload is None
        # Steps for one draft queued together still see each other's writes, in order.
        second, third = await asyncio.gather(
            committer.run(_job("k", {"node": "b"})), committer.run(_job("k", None))
        )
        assert second.payload == {"node": "a"} and third.payload == {"node": "b"}
        async with db.read() as conn:
            assert await load_draft(conn, "k", NOW) is None, "the last step deleted it"
    finally:
        await committer.close()


async def test_the_same_update_has_one_effect_even_concurrently(db: Database) -> None:
    """REL-01: de-duplication by membership; REL-02: ids need not increase (5000 then 17)."""
    committer = GroupCommitter(db, apply_batch)
    try:
        first = _job("a", {"n": 1}, update_key="tg:5000")
        again = _job("b", {"n": 1}, update_key="tg:5000")
        outcomes = await asyncio.gather(committer.run(first), committer.run(again))
        assert sorted(o.outcome.value for o in outcomes) == ["done", "duplicate"]
        later = await committer.run(_job("a", {"n": 2}, update_key="tg:5000"))
        assert later.outcome is Outcome.DUPLICATE, "a re-delivery in a later batch too"
        assert (
            await committer.run(_job("c", {"n": 1}, update_key="tg:17"))
        ).outcome is Outcome.DONE
        assert await _count(db, ProcessedUpdate.__table__) == 2
        assert await _count(db, Conversation.__table__) == 2, "the duplicate wrote no draft"
    finally:
        await committer.close()


async def test_one_send_per_person_per_invite(db: Database) -> None:
    team = await _team(db)
    committer = GroupCommitter(db, apply_batch)
    try:
        await committer.run(_job("k1", {"x": 1}))
        sent = await committer.run(_job("k1", None, submission=_submission(team, "pid-a")))
        assert sent.outcome is Outcome.DONE
        await committer.run(_job("k1", {"x": 1}))
        again = await committer.run(_job("k1", None, submission=_submission(team, "pid-a")))
        assert again.outcome is Outcome.ALREADY_SENT
        assert await _count(db, Submission.__table__) == 1
        assert await _count(db, Answer.__table__) == 2
        assert await _count(db, Comment.__table__) == 1
        async with db.read() as conn:
            assert await load_draft(conn, "k1", NOW) is None, "the draft is gone"
    finally:
        await committer.close()


async def test_a_failing_step_does_not_sink_its_neighbours(db: Database) -> None:
    committer = GroupCommitter(db, apply_batch)

    def broken(_seen: object, _invite: object) -> tuple[Effects, None]:
        raise RuntimeError("a bug in one step")

    try:
        good = committer.run(_job("good", {"x": 1}, update_key="u1"))
        bad = committer.run(Job("bad", NOW, NOW, broken, "u2"))
        results = await asyncio.gather(good, bad, return_exceptions=True)
        assert results[0].outcome is Outcome.DONE
        assert isinstance(results[1], RuntimeError)
        assert await _count(db, ProcessedUpdate.__table__) == 1, "the bad update can come again"
    finally:
        await committer.close()


async def test_expired_drafts_read_as_gone(db: Database) -> None:
    """AN-03: a draft past its expiry is never continued, by readers or by the next step."""
    committer = GroupCommitter(db, apply_batch)
    try:
        await committer.run(_job("k", {"x": 1}))
        async with db.read() as conn:
            assert await load_draft(conn, "k", NOW + dt.timedelta(hours=24, minutes=1)) is None
        late = Job(
            "k",
            NOW + dt.timedelta(hours=25),
            NOW + dt.timedelta(hours=49),
            lambda seen, _invite: (Effects({"y": 2}), seen),
        )
        assert (await committer.run(late)).payload is None
    finally:
        await committer.close()


async def test_anonymous_tables_have_no_time_and_no_link_to_people(db: Database) -> None:
    """AN-08: only a period bucket; AN-05: participation shares nothing with submissions."""
    async with db.read() as conn:

        def describe(sync_conn):  # type: ignore[no-untyped-def]
            insp = inspect(sync_conn)
            return {
                t: (
                    [(c["name"], str(c["type"])) for c in insp.get_columns(t)],
                    insp.get_foreign_keys(t),
                )
                for t in ("submissions", "answers", "comments", "comment_themes", "participation")
            }

        tables = await conn.run_sync(describe)
    for name, (columns, _) in tables.items():
        for column, type_ in columns:
            assert "DATE" not in type_.upper() and "TIME" not in type_.upper(), (name, column)
    part_columns = {c for c, _ in tables["participation"][0]}
    sub_columns = {c for c, _ in tables["submissions"][0]}
    assert part_columns & sub_columns == set()
    assert tables["participation"][1] == []


async def test_storage_order_does_not_follow_insertion_order(db: Database) -> None:
    """AN-09: keys are random, so ordering by key says nothing about when a row arrived."""
    team = await _team(db)
    committer = GroupCommitter(db, apply_batch)
    inserted = []
    try:
        for i in range(300):
            sub = _submission(team, f"pid-{i}")
            inserted.append(sub.id)
            await committer.run(_job(f"k{i}", None, submission=sub))
    finally:
        await committer.close()
    s = Submission.__table__.c
    async with db.read() as conn:
        by_key = [r.id for r in await conn.execute(select(s.id).order_by(s.id))]
    position = {key: rank for rank, key in enumerate(by_key)}
    n = len(inserted)
    d2 = sum((i - position[key]) ** 2 for i, key in enumerate(inserted))
    rho = 1 - 6 * d2 / (n * (n * n - 1))
    assert abs(rho) < 0.2, rho
