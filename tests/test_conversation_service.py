"""The conversation service over a real SQLite file: invites, sending once, expiry,
help requests, de-duplication and failure handling."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from flows.inputs import Choose, Command, Start, Text
from storage import catalog
from storage.housekeeping import purge
from storage.schema import (
    Answer,
    Comment,
    CommentTheme,
    Conversation,
    HelpRequest,
    SafetyCount,
    Submission,
    Team,
)
from tests.conftest import CLOCK_START, Clock
from tests.engine.script import with_possible
from youthvoice.bootstrap import Services

T0 = CLOCK_START


async def _invite(svc: Services, **kw: object) -> str:
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, f"Team {len(kw)}")
        info = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=T0, **kw
        )
    return info.code


async def _count(svc: Services, table) -> int:  # type: ignore[no-untyped-def]
    async with svc.db.read() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def _answer_all(svc: Services, who: str, code: str) -> list[str]:
    service = svc.conversations
    await service.handle("t", who, Start((("invite", code),)))
    await service.handle("t", who, Choose("intro", "next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await service.handle("t", who, Choose(item, "4"))
    for _ in range(3):
        await service.handle("t", who, Command("skip"))
    reply = await service.handle("t", who, Choose("review", "send"))
    return [m.text for m in reply.messages]


async def test_a_full_check_in_stores_one_anonymous_submission(svc: Services) -> None:
    code = await _invite(svc)
    texts = await _answer_all(svc, "person-1", code)
    assert texts[0].startswith("Sent.")
    assert await _count(svc, Submission.__table__) == 1
    assert await _count(svc, Answer.__table__) == 6
    assert await _count(svc, Conversation.__table__) == 0, "the draft is deleted on Send"
    async with svc.db.read() as conn:
        (period,) = (await conn.execute(select(Submission.__table__.c.period))).one()
    assert period == "2026-11"


async def test_one_person_sends_once_per_invite(svc: Services) -> None:
    code = await _invite(svc)
    await _answer_all(svc, "person-1", code)
    again = await _answer_all(svc, "person-1", code)
    assert "already sent" in again[0]
    assert await _count(svc, Submission.__table__) == 1
    await _answer_all(svc, "person-2", code)
    assert await _count(svc, Submission.__table__) == 2


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked"])
async def test_a_bad_invite_gets_a_kind_message_and_help(svc: Services, case: str) -> None:
    code = "no-such-code"
    if case == "expired":
        code = await _invite(svc, expires_at=T0 - dt.timedelta(days=1))
    elif case == "revoked":
        code = await _invite(svc)
        async with svc.db.write() as conn:
            info = await catalog.invite_by_code(conn, code)
            assert info is not None
            await catalog.revoke_invite(conn, info.id, T0)
    reply = await svc.conversations.handle("t", "p", Start((("invite", code),)))
    assert "link isn't working" in reply.messages[0].text
    assert reply.messages[1].kind == "safety"
    assert await _count(svc, Conversation.__table__) == 0


async def test_a_bare_start_explains_how_to_begin(svc: Services) -> None:
    reply = await svc.conversations.handle("t", "p", Start())
    assert "open the link or QR code" in reply.messages[0].text
    assert reply.messages[-1].kind == "safety"


async def test_drafts_expire_after_a_day(svc: Services, clock: Clock) -> None:
    """AN-03: 24 h after the last message the draft is gone and cannot be continued."""
    code = await _invite(svc)
    await svc.conversations.handle("t", "p", Start((("invite", code),)))
    clock.now = T0 + dt.timedelta(hours=23, minutes=59)
    assert (await purge(svc.db, clock.now, "2026-11"))["drafts"] == 0
    clock.now = T0 + dt.timedelta(hours=24, minutes=1)
    assert (await purge(svc.db, clock.now, "2026-11"))["drafts"] == 1
    assert await _count(svc, Conversation.__table__) == 0
    reply = await svc.conversations.handle("t", "p", Choose("intro", "next"))
    assert "may have timed out" in reply.messages[0].text


async def test_a_help_request_is_stored_alone(svc: Services) -> None:
    """SG-07: only what they typed, in its own table, with no link to answers."""
    code = await _invite(svc)
    service = svc.conversations
    await service.handle("t", "p", Start((("invite", code),)))
    await service.handle("t", "p", Choose("intro", "next"))
    paused = await service.handle("t", "p", Text("my mums boyfriend hits me"))
    assert paused.messages[0].kind == "safety"
    await service.handle("t", "p", Choose("_safety", "person"))
    await service.handle("t", "p", Text("text me 07700 900111"))
    await service.handle("t", "p", Command("stop"))
    async with svc.db.read() as conn:
        requests = list(await conn.execute(select(HelpRequest.__table__)))
        (team_id,) = (await conn.execute(select(Team.__table__.c.id))).scalars()
        disclosures = (
            await conn.execute(
                select(SafetyCount.__table__.c.count).where(
                    SafetyCount.__table__.c.reason == "disclosure"
                )
            )
        ).scalar()
    assert [svc.sealer.unseal(r.sealed_contact) for r in requests] == ["text me 07700 900111"]
    (request,) = requests
    assert (request.kind, request.lang, request.team_id) == ("person", "en", team_id)
    assert request.created_at.minute == request.created_at.second == 0, "the hour, never a time"
    assert disclosures == 1
    assert await _count(svc, Submission.__table__) == 0, "stop still discards the answers"


async def test_the_same_update_twice_at_once_has_one_effect(svc: Services) -> None:
    """REL-01 through the service: the second delivery is recognised and says nothing."""
    code = await _invite(svc)
    start = Start((("invite", code),))
    first, second = await asyncio.gather(
        svc.conversations.handle("t", "p", start, update_key="tg:42"),
        svc.conversations.handle("t", "p", start, update_key="tg:42"),
    )
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
    assert [r for r in (first, second) if r.duplicate][0].messages == []


async def test_a_full_disk_apologises_and_keeps_nothing(svc: Services) -> None:
    """REL-12: with no room to write, the young person gets sorry + help; nothing partial
    is committed; once there is room again the service carries on."""
    code = await _invite(svc)
    async with svc.db.writer.connect() as conn:
        pages = (await conn.exec_driver_sql("PRAGMA page_count")).scalar()
        await conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
    before = await _count(svc, Conversation.__table__)
    for person in range(500):
        reply = await svc.conversations.handle("t", f"p{person}", Start((("invite", code),)))
        if reply.failed:
            break
    assert reply.failed, "the database never filled up"
    assert "something went wrong" in reply.messages[0].text
    assert reply.messages[1].kind == "safety"
    assert await _count(svc, Conversation.__table__) == before + person
    async with svc.db.writer.connect() as conn:
        await conn.exec_driver_sql("PRAGMA max_page_count=1073741823")
    again = await svc.conversations.handle("t", f"p{person}", Start((("invite", code),)))
    assert not again.failed


async def test_themes_are_tagged_from_the_scrubbed_words(svc: Services) -> None:
    """CC-17: the theme tagger only ever sees scrubbed text, on this machine."""
    seen: list[str] = []
    tag = svc.conversations.tag
    assert tag is not None
    svc.conversations.tag = lambda text, question: (seen.append(text), tag(text, question))[1]
    code = await _invite(svc)
    service = svc.conversations
    await service.handle("t", "p", Start((("invite", code),)))
    await service.handle("t", "p", Choose("intro", "next"))
    for _ in range(7):  # six scales and the first free-text question
        await service.handle("t", "p", Command("skip"))
    await service.handle(
        "t", "p", Text("Call me on 07700 900222, she keeps cancelling our sessions")
    )
    await service.handle("t", "p", Command("skip"))
    await service.handle("t", "p", Choose("review", "send"))
    assert seen == ["Call me on [PHONE], she keeps cancelling our sessions"]
    async with svc.db.read() as conn:
        themes = [r.theme for r in await conn.execute(select(CommentTheme.__table__))]
    assert "reliability" in themes


async def test_words_kept_after_im_ok_are_stored_never_quotable(svc: Services) -> None:
    """The calm question's "I'm OK": the scrubbed words are kept, flagged unquotable."""
    code = await _invite(svc)
    service = svc.conversations
    service.kit = with_possible(service.kit, ["rough at home"])
    await service.handle("t", "p", Start((("invite", code),)))
    await service.handle("t", "p", Choose("intro", "next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await service.handle("t", "p", Choose(item, "skip"))
    calm = await service.handle("t", "p", Text("rough at home but Priya helps"))
    assert calm.messages[0].text == "That sounded hard. Are you safe right now?"
    await service.handle("t", "p", Choose("_check", "ok"))
    await service.handle("t", "p", Text("more trips please"))
    await service.handle("t", "p", Command("skip"))
    await service.handle("t", "p", Command("send"))
    async with svc.db.read() as conn:
        rows = await conn.execute(select(Comment.__table__.c.text, Comment.__table__.c.quotable))
        stored = sorted(tuple(r) for r in rows)
    assert stored == [("more trips please", True), ("rough at home but [NAME] helps", False)]
