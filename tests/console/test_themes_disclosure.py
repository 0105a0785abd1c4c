"""A disclosure never reaches a theme (SG-09, SG-04, SDC-11, CC-20): young people type an
allegation against their worker into the check-in's free-text questions through the real
conversation service, carry on, and send; nothing of it is stored as a comment, so it is
in no theme, topic, quote or export, while the rest of what they wrote does arrive."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from flows.inputs import Choose, Command, Start, Text
from storage import catalog
from storage.schema import Comment, CommentTheme, HelpRequest, SafetyCount
from tests.console.conftest import as_user
from tests.console.test_themes_data import ROOM, TOPICS, export, page, quotes, table

SCALES = ("trust", "relatability", "heard", "power", "agency", "aliveness")
PERIOD = "2026-Q2"  # the fixture clock stands in May 2026; the test then moves past June
ALLEGATIONS = ("my worker hit me", "my worker hit me when nobody else was in the room")
HIT = re.compile(r"\bhit\b", re.I)


async def _disclose(service, who: str, words: str) -> None:
    """Type the allegation: the engine pauses with the safety options; carry on."""
    paused = await service.handle("web", who, Text(words))
    assert paused.messages[0].kind == "safety" and paused.messages[0].node == "_safety"
    back = await service.handle("web", who, Choose("_safety", "continue"))
    assert back.messages[-1].accepts_text  # the same free-text question again


async def _check_in(service, who: str, code: str, room: str) -> None:
    await service.handle("web", who, Start((("invite", code),)))
    await service.handle("web", who, Choose("intro", "next"))
    for item in SCALES:
        await service.handle("web", who, Choose(item, "4"))
    await _disclose(service, who, ALLEGATIONS[0])  # "what helps?"
    await service.handle("web", who, Text(room))
    await _disclose(service, who, ALLEGATIONS[1])  # "what would make it better?"
    await service.handle("web", who, Command("skip"))
    await service.handle("web", who, Command("skip"))  # "anything for the people in charge?"
    sent = await service.handle("web", who, Choose("review", "send"))
    assert sent.messages[0].text.startswith("Sent.")


async def test_an_allegation_appears_in_no_theme_comment_or_quote(client, services, org, clock):
    """SG-09, CC-20: twelve young people each type "my worker hit me" (and a longer one)
    into free text, carry on, and send. Stored: their room comments and an unlinked
    disclosure counter; nothing in the help queue, as nobody chose to send it there. Shown
    once the period closes, to reviewer and manager, for the organisation and the team, on
    the page and in the CSV: the room topic and its quotes, never the allegation."""
    async with services.db.write() as conn:
        invite = await catalog.add_invite(
            conn,
            team_id=org.team_a,
            worker_id=org.worker_a,
            flow_id="relationship-checkin",
            label="summer",
            now=clock(),
        )
    for i, room in enumerate(ROOM):
        await _check_in(services.conversations, f"young-person-{i}", invite.code, room)
        clock.advance(hours=1)  # an hour apart: within the invite's expected pace (issue 10)

    comments, themes, counts = Comment.__table__, CommentTheme.__table__, SafetyCount.__table__
    async with services.db.read() as conn:
        may = list(await conn.execute(select(comments).where(comments.c.period == "2026-05")))
        tags = list(
            await conn.execute(select(themes).where(themes.c.comment_id.in_([c.id for c in may])))
        )
        safety = await conn.execute(
            select(counts.c.category, counts.c.count).where(counts.c.reason == "disclosure")
        )
        counted = {category: n for category, n in safety}
        contacts = [
            services.sealer.unseal(r.sealed_contact)
            for r in await conn.execute(select(HelpRequest.__table__))
        ]
    texts = [c.text for c in may]
    assert sorted(texts) == sorted(ROOM) and tags == []
    assert counted == {"worker_allegation": 2 * len(ROOM)}
    assert not any(HIT.search(contact) for contact in contacts)  # nobody asked for a person

    clock.now = dt.datetime(2026, 7, 2, 9, 0, tzinfo=dt.UTC)  # the quarter has closed
    seen_topic = False
    for role in ("reviewer", "manager"):
        csrf = await as_user(client, services, org.users[role])
        for scope in ("org", org.team_a):
            text = await page(client, PERIOD, scope)
            assert HIT.search(text) is None, (role, scope)
            topics = table(text, TOPICS)
            assert any("meeting room" in label for label in topics), topics
            seen_topic = True
            if role == "reviewer":
                assert quotes(text) and set(quotes(text)) <= set(ROOM)
            flat = [c for r in await export(client, csrf, PERIOD, scope) for c in r.values()]
            assert not any(HIT.search(c) for c in flat)
    assert seen_topic
