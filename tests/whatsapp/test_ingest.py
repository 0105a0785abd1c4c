"""The ingestion whitelist (AN-01, SG-10, SG-11): what of each kind of message gets past
the door, and what the person is told. Payloads are built from the spec's schemas."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.whatsapp import ingest
from bot.whatsapp.ingest import Failure, Incoming, parse
from storage.schema import Conversation, OutboxMessage
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import Phone, shown
from youthvoice.bootstrap import Services

WA = "447700900777"
NAME = "Quilliam Fenwick"


def _id(payload: dict[str, Any]) -> str:
    return str(payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"])


@pytest.mark.parametrize(
    ("build", "kind", "text"),
    [
        (lambda: p.text(WA, "hello there", NAME), ingest.TEXT, "hello there"),
        (lambda: p.tapped(WA, "a:trust:4", "🙂 Mostly", name=NAME), ingest.REPLY, "a:trust:4"),
        (lambda: p.tapped(WA, "c:help", "Help", as_list=False, name=NAME), ingest.REPLY, "c:help"),
        (lambda: p.image(WA), ingest.IMAGE, None),
        (lambda: p.location(WA), ingest.MEDIA, None),
        (lambda: p.sticker(WA), ingest.MEDIA, None),
        (lambda: p.reaction(WA), ingest.MEDIA, None),
        (lambda: p.contacts(WA), ingest.MEDIA, None),
        (lambda: p.unknown(WA), ingest.MEDIA, None),
        (lambda: p.text(WA, "read this", context={"forwarded": True}), ingest.FORWARDED, None),
    ],
    ids=[
        "text",
        "list_reply",
        "button_reply",
        "image",
        "location",
        "sticker",
        "reaction",
        "contacts",
        "unknown",
        "forwarded",
    ],
)
def test_only_the_id_the_sender_and_the_words_or_reply_id_pass(
    build: Any, kind: str, text: str | None
) -> None:
    payload = build()
    messages, failures = parse(payload)
    assert messages == [Incoming(_id(payload), kind, WA, text)] and failures == []
    kept = repr(messages)
    for dropped in (
        NAME,
        p.BUSINESS_NUMBER,
        p.PHONE_NUMBER_ID,
        p.WABA,
        "Wendlebury",
        "Ottoline",
        "caption",
        "look at this",
        "1750",
    ):
        assert dropped not in kept


def test_a_group_message_names_the_group_not_the_sender() -> None:
    payload = p.group(WA, "Y2FwaV9ncm91cDoxODA1", "hi all")
    assert parse(payload) == ([Incoming(_id(payload), ingest.GROUP, "Y2FwaV9ncm91cDoxODA1")], [])


def test_statuses_keep_only_a_failure_s_recipient_and_codes() -> None:
    assert parse(p.status(WA, "read")) == ([], [])
    assert parse(p.status(WA, "delivered")) == ([], [])
    assert parse(p.status(WA, "failed", 131047)) == ([], [Failure(WA, (131047,))])


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {"entry": "x"},
        {"entry": [{"changes": [{"value": 3}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"messages": [{"id": 1}]}}]}]},
    ],
)
def test_odd_payloads_yield_nothing_and_never_raise(raw: Any) -> None:
    assert parse(raw) == ([], [])


@pytest.mark.parametrize(
    ("build", "keys"),
    [
        (p.image, ("only_text", "report_remove")),
        (p.location, ("only_text",)),
        (p.sticker, ("only_text",)),
        (p.reaction, ("only_text",)),
        (p.contacts, ("only_text",)),
        (p.unknown, ("only_text",)),
    ],
    ids=["image", "location", "sticker", "reaction", "contacts", "unknown"],
)
async def test_anything_but_text_gets_the_telegram_notice(
    phone: Phone, services: Services, build: Any, keys: tuple[str, ...]
) -> None:
    """CC-18, SG-10: the same words as Telegram's, each its own message."""
    out = await phone.say(build(WA))
    assert [shown(b) for b in out] == [services.conversations.kit.t(k, "en") for k in keys]


async def test_a_group_is_answered_once_then_ignored(phone: Phone, services: Services) -> None:
    """SG-11: one reply to the group, sent as a group message; nothing else, ever."""
    first = await phone.say(p.group(WA, "Y2FwaV9ncm91cDoxODA1", "hi all"))
    again = await phone.say(p.group("447700900778", "Y2FwaV9ncm91cDoxODA1", "START ABC"))
    assert [(b["recipient_type"], b["to"]) for b in first] == [("group", "Y2FwaV9ncm91cDoxODA1")]
    assert shown(first[0]) == services.conversations.kit.t("groups", "en") and again == []
    assert await _count(services, Conversation) == 0


async def test_statuses_are_not_logged_and_read_ones_change_nothing(
    phone: Phone, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for state in ("sent", "delivered", "read"):
        assert await phone.post(p.status(WA, state)) == 200
    assert [r for r in caplog.records if r.name.startswith(("bot", "storage"))] == []


async def test_a_failed_status_for_a_blocked_person_drops_their_queue_and_draft(
    phone: Phone, services: Services, invite_code: str
) -> None:
    """131026 (blocked, or no WhatsApp) in a status callback: what waits for them goes, as
    dead letters, and their draft is forgotten (AN-03)."""
    phone.graph.fail_next(WA, 131000, times=10_000)  # Graph is failing: replies wait
    assert await phone.post(p.text(WA, f"START {invite_code}")) == 200
    outbox = phone.channel.handler.outbox
    assert await _count(services, OutboxMessage) == 2 and await _count(services, Conversation) == 1
    assert await phone.post(p.status(WA, "failed", 131026)) == 200
    assert await _count(services, OutboxMessage) == 0 and await _count(services, Conversation) == 0
    assert outbox.sender.counts.dead_letters == 2
    phone.graph.clear_faults()
    await outbox.sender.drain()


async def _count(services: Services, table: type) -> int:
    async with services.db.read() as conn:
        return (await conn.execute(select(func.count()).select_from(table.__table__))).scalar_one()


async def test_a_redelivered_sticker_gets_its_notice_once(phone: Phone) -> None:
    """REL-01 for notices too: the mark is written with the notice."""
    sticker = p.sticker(WA)
    assert len(await phone.say(sticker)) == 1
    assert await phone.say(sticker) == []
