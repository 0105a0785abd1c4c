"""Co-design through the whole service (issue 15): with CO_DESIGN_QUESTION on, "Is there
a question we should ask next time?" comes last; its words are scrubbed (AN-14), tagged
with themes on this machine (CC-17) and stored like any comment, so the theme report
counts them through the gateway; with it off (the default) it is never asked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from flows.inputs import Choose, Command, Start, Text
from storage import catalog
from storage.schema import Comment, CommentTheme
from tests.conftest import CLOCK_START, Clock
from youthvoice.bootstrap import bootstrap
from youthvoice.settings import Settings

SCALES = ("trust", "relatability", "heard", "power", "agency", "aliveness")


async def _through(tmp_path: Path, on: bool) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    settings = Settings(_env_file=None, data_dir=tmp_path, demo_data=False, co_design_question=on)
    services = await bootstrap(settings, clock=Clock())
    try:
        async with services.db.write() as conn:
            team = await catalog.add_team(conn, "North")
            invite = await catalog.add_invite(
                conn, team_id=team, flow_id="relationship-checkin", label="x", now=CLOCK_START
            )
        service = services.conversations
        await service.handle("t", "yp", Start((("invite", invite.code),)))
        await service.handle("t", "yp", Choose("intro", "next"))
        for item in SCALES:
            await service.handle("t", "yp", Choose(item, "4"))
        shown = []
        for _ in range(3):
            shown.append((await service.handle("t", "yp", Command("skip"))).messages[-1].text)
        if on:
            asked = "ask if Priya actually listens to us, text 07700 900123"
            shown.append((await service.handle("t", "yp", Text(asked))).messages[-1].text)
        await service.handle("t", "yp", Choose("review", "send"))
        async with services.db.read() as conn:
            comments = [
                tuple(r) for r in await conn.execute(select(Comment.question, Comment.text))
            ]
            themes = [r[0] for r in await conn.execute(select(CommentTheme.theme))]
        return shown, comments, themes  # type: ignore[return-value]
    finally:
        await services.close()


async def test_asked_scrubbed_and_themed_when_on(tmp_path: Path) -> None:
    shown, comments, themes = await _through(tmp_path, on=True)
    assert shown[2].startswith("Question 10 of 10\nIs there a question we should ask next time?")
    ((question, text),) = comments
    assert question == "next_question"
    assert "Priya" not in text and "07700" not in text and "listens" in text
    assert themes == ["heard"]  # counted like any theme: the theme report reads this table


async def test_never_asked_when_off(tmp_path: Path) -> None:
    shown, comments, _ = await _through(tmp_path, on=False)
    assert shown[-1].startswith("Nearly done") and comments == []
    assert not any("next time" in text for text in shown)
