"""Record keys for the cell key method (SDC-14): one per submission, 0..255, drawn at
insert from the OS's secure source, so nobody can predict a cell's noise."""

from __future__ import annotations

from sqlalchemy import select

from storage import catalog
from storage.conversations import AnonymousSubmission, insert_anonymous, random_key
from storage.db import Database
from storage.schema import Submission


async def test_every_submission_gets_a_random_record_key(db: Database) -> None:
    async with db.write() as conn:
        team = await catalog.add_team(conn, "Harbour")
        subs = [
            AnonymousSubmission(
                random_key(), "2026-11", team, None, "relationship-checkin", 1, (), ()
            )
            for _ in range(400)
        ]
        await insert_anonymous(conn, subs)
    async with db.read() as conn:
        keys = list((await conn.execute(select(Submission.__table__.c.record_key))).scalars())
    assert len(keys) == 400 and all(0 <= k <= 255 for k in keys)
    # 400 uniform draws from 256 values: about 200 distinct; a constant or a counter fails.
    assert len(set(keys)) > 150 and keys != sorted(keys)
