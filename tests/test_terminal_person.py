"""Talk to a person from the terminal's help (SG-07): a numbered button under the
helplines, and the contact is stored sealed, never in the clear."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.terminal import chat
from storage import catalog
from storage.schema import HelpRequest
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

CONTACT = "canary.heron@example.org"


async def test_help_then_talk_to_a_person_in_the_terminal(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, demo_data=False)
    services = await bootstrap(settings)
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
        )
    answers = iter(["/help", "1", "", CONTACT, "2"])
    shown: list[str] = []
    await chat(services.conversations, invite.code, None, lambda: next(answers, None), shown.append)
    assert "[1] Talk to a person" in shown[1]
    assert "How can we reach you?" in shown[2]
    assert "can't see a way to reach you" in shown[3]
    assert "[1] Carry on with feedback" in shown[4] and "[2] Stop here" in shown[4]
    assert "safeguarding lead still has the way to reach you" in shown[5]
    async with services.db.read() as conn:
        (row,) = await conn.execute(select(HelpRequest.__table__))
    assert services.sealer.unseal(row.sealed_contact) == CONTACT
    await services.close()
    db = Path(settings.db_url.split("///", 1)[1])
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert b"canary.heron" not in raw
