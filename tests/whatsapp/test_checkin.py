"""A whole check-in over WhatsApp against the fake Graph API, in English and in Welsh:
START with the invite code, help, back, a disclosure and its pause, talk to a person,
carrying on, Send with a receipt, and /delete; and Stop. Every request the app made is
checked against Meta's spec by the fake (0 violations, or the fixture fails)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.schema import Answer, Comment, Conversation, HelpRequest, Submission
from tests.at_rest.drive import receipt_in
from tests.whatsapp.conftest import Phone
from tests.whatsapp.drive import Person
from youthvoice.bootstrap import Services

DISCLOSURE = {
    "en": "im being made to sell stuff for older lads",
    "cy": "im being made to sell stuff for older lads",
}


async def _count(services: Services, table: type) -> int:
    async with services.db.read() as conn:
        return (await conn.execute(select(func.count()).select_from(table.__table__))).scalar_one()


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_a_check_in_end_to_end(
    phone: Phone, services: Services, invite_code: str, lang: str
) -> None:
    kit = services.conversations.kit
    sam = Person(phone, "447700900555" if lang == "en" else "447700900556")
    said = await sam.type(f"START {invite_code}")
    assert said[-1] == kit.safety_block("en")  # no language hint on WhatsApp: the first
    if lang == "cy":
        await sam.type("/language")
        said = await sam.tap(":cy")
    said = await sam.tap("a:intro:")
    assert kit.t("progress", lang, n="1", total="9") in said[-1]
    await sam.tap(":4")  # question 1
    said = await sam.type("help" if lang == "en" else "cymorth")
    assert any(kit.safety_block(lang) in s for s in said)
    first = sam.offered()
    await sam.tap("c:back")
    assert sam.offered() != first and any(t.endswith(":4") for t in sam.offered())
    for _ in range(6):  # questions 1 to 6, answered 4 (Back took us to question 1)
        await sam.tap(":4")
    said = await sam.type(DISCLOSURE[lang])  # question 7, in words: the pause (SG-04)
    assert any(kit.safety_block(lang) in s for s in said)
    pause = sam.offered()
    assert len(pause) == 4 and phone.graph.sent()[-1]["interactive"]["type"] == "list"
    await sam.tap("person")
    said = await sam.type("call me on 07700 900456 after 4")
    assert await _count(services, HelpRequest) == 1
    said = await sam.tap("a:_after:continue")
    assert kit.t("progress", lang, n="7", total="9") in said[-1]
    await sam.type("more trips please")  # question 7, then 8 and 9 skipped
    await sam.tap(":skip")
    await sam.tap(":skip")
    assert any("review" in t for t in sam.offered())
    said = await sam.tap("receipt")
    code = receipt_in(said)
    async with services.db.read() as conn:
        answers = (await conn.execute(select(Answer.__table__.c.value))).scalars().all()
        drafts = (await conn.execute(select(Conversation.__table__.c.key))).all()
    assert answers.count(4) == 6 and drafts == [] and await _count(services, Submission) == 1
    said = await sam.type(f"/delete {code}")
    # After Send no draft is left, and WhatsApp tells us no language: the first one.
    assert said == [kit.t("deleted", "en"), kit.safety_block("en")]
    assert await _count(services, Submission) == 0 and await _count(services, Comment) == 0
    assert phone.graph.violations == []


async def test_stop_forgets_the_draft(phone: Phone, services: Services, invite_code: str) -> None:
    sam = Person(phone, "447700900557")
    await sam.type(f"START {invite_code}")
    await sam.tap("a:intro:")
    await sam.tap(":2")
    assert await _count(services, Conversation) == 1
    said = await sam.tap("c:stop")
    assert said and await _count(services, Conversation) == 0
    assert await _count(services, Submission) == 0


async def test_an_answer_that_begins_with_start_stays_an_answer(
    phone: Phone, services: Services, invite_code: str
) -> None:
    """Only "START" with an invite code's shape (or alone) begins a check-in."""
    sam = Person(phone, "447700900558")
    await sam.type(f"start {invite_code}")  # any case, as typed from a poster
    await sam.tap("a:intro:")
    for _ in range(6):
        await sam.tap(":3")
    said = await sam.type("start the sessions on time")
    assert services.conversations.kit.t("progress", "en", n="8", total="9") in said[-1]
