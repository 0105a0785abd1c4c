"""The shared outbox (issue 13, REL-04) with two channels: each claims only its own lanes,
and WhatsApp rows left by a process that died are delivered by the next start."""

from __future__ import annotations

import datetime as dt
import json

from bot.delivery.pacing import UNPACED
from bot.whatsapp.channel import WhatsAppChannel, build_channel
from storage import outbox as store
from tests.fakes.graph_api import FakeGraphAPI
from tests.telegram.conftest import FAST
from youthvoice.bootstrap import Services

WA = "447700900701"


def _envelope(services: Services, lane: str, to: str, text: str) -> store.Envelope:
    body = {"type": "text", "text": {"body": text, "preview_url": False}}
    seal = services.sealer.seal
    return store.Envelope(lane, seal(to), seal(json.dumps(body)), False)


async def test_each_channel_claims_only_its_own_lanes(services: Services) -> None:
    now = services.clock()
    gone = now - dt.timedelta(minutes=5)  # leases of a dead process
    async with services.db.write() as conn:
        await store.put(
            conn,
            [_envelope(services, "ab12", "7301", "tg"), _envelope(services, "wa:cd34", WA, "wa")],
            now,
            "dead",
            gone,
        )
    lease = now + dt.timedelta(seconds=30)
    whatsapp = await store.claim(services.db, "w", now, lease, prefix="wa:")
    telegram = await store.claim(services.db, "t", now, lease)
    assert [r.lane for r in whatsapp] == ["wa:cd34"] and [r.lane for r in telegram] == ["ab12"]


async def test_rows_a_dead_process_left_are_sent_at_the_next_start(
    services: Services, graph: FakeGraphAPI
) -> None:
    channel: WhatsAppChannel = build_channel(services, pacing=UNPACED, retry=FAST, patience=0)
    lane = channel.handler.outbox.lane(WA)
    now = services.clock()
    async with services.db.write() as conn:
        await store.put(
            conn,
            [_envelope(services, lane, WA, "first"), _envelope(services, lane, WA, "second")],
            now,
            "dead",
            now - dt.timedelta(minutes=5),
        )
    await channel.start()
    try:
        await graph.wait_for(lambda: len(graph.sent(WA)) == 2)
        await channel.handler.outbox.sender.drain()
    finally:
        await channel.stop(timeout=5)
    assert [b["text"]["body"] for b in graph.sent(WA)] == ["first", "second"]
    assert not await store.waiting(services.db, services.clock() + dt.timedelta(hours=1), "wa:")
