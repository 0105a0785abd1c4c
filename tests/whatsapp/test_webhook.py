"""The webhook over real HTTP on the one ASGI app (SEC-16, REL-01, REL-03): the
verification handshake; every POST's signature checked before anything is read; 200 only
after the commit; a redelivery handled once, by a day-precise mark that is not the id."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import select

from bot.whatsapp.channel import build_channel
from bot.whatsapp.webhook import PATH, signed
from storage.schema import ProcessedUpdate
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import APP_SECRET, VERIFY_TOKEN, Phone
from youthvoice.bootstrap import Services
from youthvoice.settings import SettingsError

WA = "447700900321"


async def _marks(services: Services) -> list[tuple[str, object]]:
    async with services.db.read() as conn:
        rows = await conn.execute(
            select(ProcessedUpdate.__table__.c.key, ProcessedUpdate.__table__.c.seen_at)
        )
        return [(r.key, r.seen_at) for r in rows]


async def test_the_verification_handshake_answers_the_challenge_only_to_the_token(
    phone: Phone,
) -> None:
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "11582",
    }
    answer = await phone.http.get(PATH, params=good)
    assert (answer.status_code, answer.text) == (200, "11582")
    for bad in ({**good, "hub.verify_token": "nope"}, {**good, "hub.mode": "unsubscribe"}, {}):
        assert (await phone.http.get(PATH, params=bad)).status_code == 403


@pytest.mark.parametrize("case", ["missing", "wrong", "another body", "bare hex", "sha1"])
async def test_a_bad_signature_is_refused_and_nothing_is_read_or_logged(
    phone: Phone,
    services: Services,
    invite_code: str,
    caplog: pytest.LogCaptureFixture,
    case: str,
) -> None:
    """SEC-16: 401 before the body is parsed; no reply, no mark, no log line."""
    payload = p.text(WA, f"START {invite_code}")
    body = httpx.Request("POST", "/", json=payload).content
    other = signed(body + b" ", APP_SECRET.encode())
    signature = {
        "missing": "",
        "wrong": signed(body, b"another-secret"),
        "another body": other,
        "bare hex": signed(body, APP_SECRET.encode()).removeprefix("sha256="),
        "sha1": "sha1=" + signed(body, APP_SECRET.encode()).removeprefix("sha256="),
    }[case]
    caplog.set_level(logging.DEBUG)
    assert await phone.post(payload, signature=signature) == 401
    await phone.channel.handler.outbox.sender.drain()
    assert phone.graph.sent() == [] and await _marks(services) == []
    assert [r for r in caplog.records if r.name.startswith(("bot", "storage", "youthvoice"))] == []


async def test_the_right_signature_is_answered_200_after_the_commit(
    phone: Phone, services: Services, invite_code: str
) -> None:
    assert await phone.post(p.text(WA, f"START {invite_code}")) == 200
    assert len(await _marks(services)) == 1  # committed before the answer (REL-03)


async def test_a_redelivery_is_handled_once_by_a_day_precise_mark_that_is_not_the_id(
    phone: Phone, services: Services, invite_code: str
) -> None:
    """REL-01: Meta redelivers until it gets 200; the same message id has no second
    effect. The mark is an HMAC of the id (which carries the sender's number), kept at
    day precision like Telegram's."""
    start = p.text(WA, f"START {invite_code}")
    first = await phone.say(start)
    again = await phone.say(start)
    assert len(first) == 2 and again == []
    ((key, seen_at),) = await _marks(services)
    wamid = start["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    assert key.startswith("wa:") and len(key) <= 40 and wamid not in key
    assert (seen_at.hour, seen_at.minute, seen_at.second) == (0, 0, 0)


async def test_a_batch_is_answered_200_only_once_every_message_is_handled(
    phone: Phone, services: Services, invite_code: str
) -> None:
    """Meta may put several messages in one delivery: each is handled, in order."""
    one, two = p.text(WA, f"START {invite_code}"), p.text("447700900322", f"START {invite_code}")
    value = one["entry"][0]["changes"][0]["value"]
    value["messages"] += two["entry"][0]["changes"][0]["value"]["messages"]
    value["contacts"] += two["entry"][0]["changes"][0]["value"]["contacts"]
    out = await phone.say(p.checked(one))
    assert {b["to"] for b in out} == {WA, "447700900322"} and len(await _marks(services)) == 2


async def test_a_body_that_is_not_json_is_refused_after_the_signature(phone: Phone) -> None:
    body = b"{not json"
    headers = {"X-Hub-Signature-256": signed(body, APP_SECRET.encode())}
    assert (await phone.http.post(PATH, content=body, headers=headers)).status_code == 400


async def test_a_missing_secret_stops_the_channel_from_starting_and_says_which(
    services: Services,
) -> None:
    """SEC-16: no unsigned webhook is ever served."""
    services.settings.whatsapp_app_secret = None
    services.settings.whatsapp_phone_number_id = ""
    with pytest.raises(SettingsError, match="WHATSAPP_APP_SECRET, WHATSAPP_PHONE_NUMBER_ID"):
        build_channel(services)


async def test_a_large_batch_is_read_not_refused_as_a_form(
    phone: Phone, services: Services
) -> None:
    """SEC-24 bounds bodies; Meta batches messages, so the WhatsApp webhook takes up to its
    3 MB (a 16 KiB form limit would refuse this delivery, and Meta would retry forever)."""
    batch = p.text(WA, "a" * 4000)
    value = batch["entry"][0]["changes"][0]["value"]
    for n in range(5):
        more = p.text(f"44770090040{n}", "b" * 4000)["entry"][0]["changes"][0]["value"]
        value["messages"] += more["messages"]
    body = httpx.Request("POST", "/", json=p.checked(batch)).content
    assert len(body) > 16 * 1024
    assert await phone.post(batch) == 200
    assert len(await _marks(services)) == 6
