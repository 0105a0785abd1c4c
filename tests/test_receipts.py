"""Deletion receipts end to end in the conversation service (AN-19, CC-14): a code only
when chosen, only its SHA-256 kept, /delete works until the reporting period closes and
then says why it cannot, and no command ever shows stored answers back."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import func, select

from bot import terminal
from bot.conversation import receipt_hash
from flows.inputs import COMMANDS, Choose, Command, Start, Text
from storage import catalog
from storage.schema import Answer, Comment, CommentTheme, DeletionReceipt, Submission
from tests.conftest import CLOCK_START, Clock
from youthvoice.bootstrap import Services

T0 = CLOCK_START
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b")
WORDS = "more evenings playing pool"
ROWS = (Submission, Answer, Comment, CommentTheme, DeletionReceipt)


async def _send(svc: Services, who: str, choice: str) -> list[str]:
    """A whole check-in with words in it, ending with the review button `choice`."""
    service = svc.conversations
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, f"Team {who}")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=T0
        )
    await service.handle("t", who, Start((("invite", invite.code),)))
    await service.handle("t", who, Choose("intro", "next"))
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        await service.handle("t", who, Choose(item, "4"))
    await service.handle("t", who, Text(WORDS))
    for _ in range(2):
        await service.handle("t", who, Command("skip"))
    reply = await service.handle("t", who, Choose("review", choice))
    return [m.text for m in reply.messages]


async def _counts(svc: Services) -> dict[str, int]:
    async with svc.db.read() as conn:
        return {
            t.__tablename__: (
                await conn.execute(select(func.count()).select_from(t.__table__))
            ).scalar_one()
            for t in ROWS
        }


def _db_bytes(svc: Services) -> bytes:
    db = svc.settings.data_dir / "youthvoice.db"
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def test_no_receipt_unless_chosen(svc: Services) -> None:
    """CC-14: plain Send keeps no receipt and shows no code."""
    texts = await _send(svc, "a", "send")
    assert not any(CODE.search(t) for t in texts)
    counts = await _counts(svc)
    assert counts["submissions"] == 1 and counts["deletion_receipts"] == 0


async def test_a_chosen_receipt_is_shown_once_and_only_its_sha256_kept(svc: Services) -> None:
    """AN-19: the code comes after the closing message and before the helplines; the
    database holds SHA-256 of it and not the code, in any form."""
    kit = svc.conversations.kit
    texts = await _send(svc, "a", "receipt")
    (code,) = {m for t in texts for m in CODE.findall(t)}
    assert texts[-1] == kit.safety_block("en")
    assert texts[-2] == kit.t("receipt", "en", code=code)
    async with svc.db.read() as conn:
        stored = (await conn.execute(select(DeletionReceipt.__table__.c.code_hash))).scalars()
        assert list(stored) == [hashlib.sha256(code.replace("-", "").encode()).hexdigest()]
    await svc.db.checkpoint()  # the WAL folded in, so every byte is in the files read
    raw = _db_bytes(svc)
    for form in (code, code.replace("-", ""), code.lower()):
        assert form.encode() not in raw


async def test_delete_before_the_period_closes_removes_every_row(svc: Services) -> None:
    """AN-19: answers, words, themes and the receipt all go; the code then stops working."""
    kit = svc.conversations.kit
    (code,) = {m for t in await _send(svc, "a", "receipt") for m in CODE.findall(t)}
    await _send(svc, "b", "send")  # someone else's, which must stay
    before = await _counts(svc)
    reply = await svc.conversations.delete(code.lower().replace("-", " "))
    assert [m.text for m in reply.messages] == [kit.t("deleted", "en"), kit.safety_block("en")]
    # The two check-ins were the same, so exactly half of every kind of row goes.
    assert before["submissions"] == before["comments"] == 2 and before["comment_themes"] % 2 == 0
    assert await _counts(svc) == {
        "submissions": 1,
        "answers": before["answers"] // 2,
        "comments": 1,
        "comment_themes": before["comment_themes"] // 2,
        "deletion_receipts": 0,
    }
    again = await svc.conversations.delete(code)
    assert again.messages[0].text == kit.t("delete_unknown", "en")


async def test_after_the_period_closes_the_answers_stay_and_it_says_why(
    svc: Services, clock: Clock
) -> None:
    """AN-19: once 2026-Q4 has closed (1 January, London time) the answers are part of
    totals: a clear message, nothing removed."""
    kit = svc.conversations.kit
    (code,) = {m for t in await _send(svc, "a", "receipt") for m in CODE.findall(t)}
    clock.now = dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)
    before = await _counts(svc)
    clock.now = dt.datetime(2027, 1, 1, 0, 0, tzinfo=dt.UTC)
    reply = await svc.conversations.delete(code, "cy")
    assert [m.text for m in reply.messages] == [
        kit.t("delete_closed", "cy"),
        kit.safety_block("cy"),
    ]
    assert await _counts(svc) == before


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDE-23456", "OOOOO-IIIII", "x" * 500])
async def test_an_unknown_code_says_so(svc: Services, typed: str) -> None:
    kit = svc.conversations.kit
    await _send(svc, "a", "receipt")
    reply = await svc.conversations.delete(typed)
    assert [m.text for m in reply.messages] == [
        kit.t("delete_unknown", "en"),
        kit.safety_block("en"),
    ]
    assert (await _counts(svc))["submissions"] == 1


async def test_no_command_shows_stored_answers(svc: Services) -> None:
    """AN-19: there is no "view my answers": after Send, nothing any command or /delete
    answers contains the words that were stored."""
    texts = await _send(svc, "a", "receipt")
    (code,) = {m for t in texts for m in CODE.findall(t)}
    async with svc.db.read() as conn:
        stored = (await conn.execute(select(Comment.__table__.c.text))).scalar_one()
    assert "pool" in stored
    replies = [await svc.conversations.handle("t", "a", Command(name)) for name in COMMANDS]
    replies.append(await svc.conversations.delete(code))
    shown = "\n".join(m.text for r in replies for m in r.messages)
    assert "pool" not in shown and stored not in shown


def test_codes_read_back_however_they_are_typed() -> None:
    hashed = receipt_hash("ABCDE-23456")
    assert hashed is not None
    assert receipt_hash(" abcde 23456 ") == receipt_hash("abcde23456") == hashed
    assert receipt_hash("ABCDE-2345O") is None


async def test_the_terminal_takes_delete_too(svc: Services) -> None:
    """AN-19 on every channel: "/delete CODE" typed mid-check-in removes the earlier
    submission and the check-in in progress carries on."""
    kit = svc.conversations.kit
    (code,) = {m for t in await _send(svc, "a", "receipt") for m in CODE.findall(t)}
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, "Terminal team")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=T0
        )
    lines = iter(["/delete", f"/delete {code}", "1", None])
    screens: list[str] = []
    await terminal.chat(svc.conversations, invite.code, None, lambda: next(lines), screens.append)
    assert kit.t("delete_how", "en") in screens[1]
    assert kit.t("deleted", "en") in screens[2]
    assert "Question 1 of 9" in screens[3], "the check-in in progress carried on after /delete"
    assert kit.t("stopped", "en") in screens[4], "leaving mid-check-in says nothing was kept"
    assert (await _counts(svc))["submissions"] == 0
