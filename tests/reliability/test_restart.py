"""REL-09: a process killed mid-conversation loses nothing committed; after a restart the
young person's next message carries on from the last committed step."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from sqlalchemy import select

from flows.inputs import Choose, Command
from storage import catalog
from storage.schema import Answer
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]


async def test_a_killed_process_loses_nothing_committed(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, demo_data=False)
    services = await bootstrap(settings)
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
        )
    await services.close()

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        str(tmp_path),
        invite.code,
        "person-9",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 9 and b"committed" in out, err.decode()

    restarted = await bootstrap(settings)
    try:
        service = restarted.conversations
        where = await service.current("t", "person-9")
        assert where is not None and where.node == "heard", "the third question is next"
        assert dict(where.answers) == {"trust": "4", "relatability": "2"}
        reply = await service.handle("t", "person-9", Choose("heard", "5"))
        assert reply.messages[0].text.startswith("Question 4 of 9")
        for _ in range(6):
            await service.handle("t", "person-9", Command("skip"))
        sent = await service.handle("t", "person-9", Choose("review", "send"))
        assert sent.messages[0].text.startswith("Sent.")
        async with restarted.db.read() as conn:
            a = Answer.__table__.c
            stored = dict((await conn.execute(select(a.item, a.value))).all())
        assert stored["trust"] == 4 and stored["relatability"] == 2 and stored["heard"] == 5
    finally:
        await restarted.close()
