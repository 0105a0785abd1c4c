"""A terminal conversation leaves no identity behind (AN-02, AN-11, AN-14): the shared
canary (tests/canary.py) and a staff name typed, then Send with a receipt. Within 60 s of
Send, and again of `/delete CODE`, the database files and the log hold none of it and not
the channel id, while the product is still running; nor after it closes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage import catalog
from storage.schema import Comment
from tests import canary
from tests.at_rest.drive import receipt_in, terminal_check_in, terminal_delete
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

PERSON = "terminal-canary-5c1e0f"
STAFF = "Ottilie Brennan-Fitch listens, email me at yp.canary@example.org or ring 07700 900981. "
WORDS = (STAFF + canary.WORDS[0], *canary.WORDS[1:])
MORE = ("Ottilie", "Brennan", "yp.canary@example.org", "07700 900981", "900981", PERSON)


async def test_terminal_conversation_leaves_no_trace(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        staff_names="Ottilie Brennan-Fitch",
        wal_wipe_seconds=canary.WIPE_SECONDS,
    )
    found: dict[str, list[str]] = {}
    with canary.debug_log(tmp_path / "logs" / "youthvoice.log") as log:
        services = await bootstrap(settings)
        now = services.clock()
        async with services.db.write() as conn:
            team = await catalog.add_team(conn, "North")
            invite = await catalog.add_invite(
                conn, team_id=team, flow_id="relationship-checkin", label="poster", now=now
            )
        shown = await terminal_check_in(
            services.conversations, invite.code, WORDS, PERSON, receipt=True
        )
        assert any("Sent." in text for text in shown)
        code = receipt_in(shown)
        async with services.db.read() as conn:
            comments = (await conn.execute(select(Comment.__table__.c.text))).scalars().all()
        assert len(comments) == len(WORDS)
        stored = " ".join(comments)
        assert "[NAME]" in stored and "[EMAIL]" in stored and "[PHONE]" in stored
        assert await canary.wiped(services.db) < canary.DEADLINE
        canary.flush_logs()
        raw = canary.database_files(tmp_path) + log.read_bytes()
        found["after Send"] = canary.leaks(raw, MORE)

        deleted = await terminal_delete(services.conversations, code, PERSON)
        assert deleted[0] == services.conversations.kit.t("deleted", "en")
        assert await canary.wiped(services.db) < canary.DEADLINE
        canary.flush_logs()
        raw = canary.database_files(tmp_path) + log.read_bytes()
        found["after /delete"] = canary.leaks(raw, MORE)

        await services.close()  # and once closed, nothing either
        found["after closing"] = canary.leaks(canary.database_files(tmp_path), MORE)
    assert found == {"after Send": [], "after /delete": [], "after closing": []}
