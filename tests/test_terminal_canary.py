"""A terminal conversation leaves no identity behind (AN-02, AN-14): the phone number,
email and staff name typed, and the channel id, are nowhere in the database files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.terminal import chat
from storage import catalog
from storage.schema import Comment
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

PERSON = "terminal-canary-5c1e0f"
WORDS = "Ottilie Brennan-Fitch listens, email me at yp.canary@example.org or ring 07700 900981"


def _files(settings: Settings) -> bytes:
    db = Path(settings.db_url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def test_terminal_conversation_stores_only_placeholders(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, demo_data=False, staff_names="Ottilie Brennan-Fitch"
    )
    services = await bootstrap(settings)
    now = services.clock()
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="poster", now=now
        )
    answers = iter(["1", "4", "4", "4", "4", "4", "4", WORDS, "1", "1", "1"])
    shown: list[str] = []
    await chat(
        services.conversations,
        invite.code,
        None,
        lambda: next(answers, None),
        shown.append,
        person=PERSON,
    )
    assert "Sent." in shown[-1]
    async with services.db.read() as conn:
        stored = [r.text for r in await conn.execute(select(Comment.__table__.c.text))]
    assert stored == ["[NAME] listens, email me at [EMAIL] or ring [PHONE]"]
    await services.close()  # checkpoint and close so every byte is on disk
    raw = _files(settings)
    for secret in ("Ottilie", "Brennan", "yp.canary@example.org", "07700 900981", "900981", PERSON):
        assert secret.encode() not in raw, secret
