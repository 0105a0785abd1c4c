"""Sending over real HTTP to the fake Graph API (REL-07, REL-08): Graph's error codes.
Rate limits (130429, 131056) and server errors are retried with back-off until
delivered, in order; outside the 24-hour window (131047) or blocked (131026) the
recipient's queue is dropped as dead letters and their draft forgotten; another refusal
drops that one message. Pacing is per recipient (a slow chat never holds up another)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.delivery.pacing import UNPACED, Pacing
from bot.whatsapp.client import GraphClient
from bot.whatsapp.sender import Item, Marks, Sender
from tests.fakes.graph_api import FakeGraphAPI
from tests.telegram.conftest import FAST

A, B = "447700900601", "447700900602"


class Recorded(Marks):
    def __init__(self) -> None:
        self.marked: list[int] = []
        self.gone_to: list[str] = []

    async def delivered(self, seq: int) -> None:
        self.marked.append(seq)

    async def gone(self, to: str) -> int:
        self.gone_to.append(to)
        return 0


@pytest_asyncio.fixture
async def client(graph: FakeGraphAPI) -> AsyncIterator[GraphClient]:
    made = GraphClient(graph.token, graph.phone_number_id, graph.base_url)
    try:
        yield made
    finally:
        await made.close()


def _texts(*words: str, to: str = A, start: int = 1) -> list[Item]:
    return [
        Item(to, {"type": "text", "text": {"body": w}}, seq) for seq, w in enumerate(words, start)
    ]


def _bodies(graph: FakeGraphAPI, to: str) -> list[str]:
    return [b["text"]["body"] for b in graph.sent(to)]


@pytest.mark.parametrize("code", [130429, 131056, 131000])
async def test_rate_limits_and_server_errors_are_retried_in_order(
    graph: FakeGraphAPI, client: GraphClient, code: int
) -> None:
    graph.fail_next(A, code, times=3)
    marks = Recorded()
    sender = Sender(client, marks=marks, pacing=UNPACED, retry=FAST)
    sender.push(_texts("one", "two"))
    await sender.drain()
    assert _bodies(graph, A) == ["one", "two"] and marks.marked == [1, 2]
    assert len(graph.calls) == 5 and sender.counts.dead_letters == 0


@pytest.mark.parametrize("code", [131047, 131026])
async def test_out_of_the_window_or_blocked_drops_the_recipient_as_dead_letters(
    graph: FakeGraphAPI, client: GraphClient, code: int
) -> None:
    graph.fail_next(A, code)
    marks = Recorded()
    sender = Sender(client, marks=marks, pacing=UNPACED, retry=FAST)
    sender.push([*_texts("one", "two", "three"), *_texts("other", to=B, start=4)])
    await sender.drain()
    assert _bodies(graph, A) == [] and _bodies(graph, B) == ["other"]
    assert marks.gone_to == [A] and marks.marked == [4] and sender.counts.dead_letters == 3


async def test_another_refusal_drops_only_that_message(
    graph: FakeGraphAPI, client: GraphClient
) -> None:
    graph.fail_next(A, 100)  # invalid parameter: retrying cannot help
    sender = Sender(client, pacing=UNPACED, retry=FAST)
    sender.push(_texts("one", "two"))
    await sender.drain()
    assert _bodies(graph, A) == ["two"] and sender.counts.dead_letters == 1


async def test_pacing_is_per_recipient(graph: FakeGraphAPI, client: GraphClient) -> None:
    """A's burst of three waits for its bucket; B's message is not held up behind it."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    pacing = Pacing(chat_rate=0.5, chat_burst=2, global_rate=None)
    sender = Sender(client, pacing=pacing, retry=FAST, clock=lambda: 100.0, sleep=sleep)
    sender.push([*_texts("one", "two", "three"), *_texts("other", to=B, start=4)])
    await sender.drain()
    assert waits == [2.0]  # only A's third message waited: one token at 0.5 a second
    assert _bodies(graph, A) == ["one", "two", "three"] and _bodies(graph, B) == ["other"]
