"""The fake Graph API's contract check can fail: Meta's own examples of the calls we make
pass it, and a body that breaks the spec in the ways our renderer could is refused and
counted as a violation (so "0 violations" in the other tests means something)."""

from __future__ import annotations

import httpx
import pytest

from bot.whatsapp.client import GraphClient, GraphError
from tests.fakes import graph_spec
from tests.fakes.graph_api import FakeGraphAPI

OURS = ("Send Text Message", "Send Reply Button", "Send List Message")


@pytest.mark.parametrize("title", OURS)
def test_meta_s_own_examples_of_our_calls_pass(title: str) -> None:
    assert graph_spec.problems("Message", graph_spec.message_examples()[title]) == []


def _list(title: str, rows: int = 1, button: str = "Choose") -> dict[str, object]:
    section = {"rows": [{"id": f"r{i}", "title": title} for i in range(rows)]}
    action = {"button": button, "sections": [section]}
    return {
        "type": "interactive",
        "interactive": {"type": "list", "body": {"text": "Q"}, "action": action},
    }


@pytest.mark.parametrize(
    "body",
    [
        _list("x" * 25),
        _list("ok", rows=11),
        _list("ok", button="b" * 21),
        {"type": "text", "text": {"body": "hi", "colour": "red"}},
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "x" * 1025},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]},
            },
        },
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Q"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": str(i), "title": "A"}} for i in range(4)
                    ]
                },
            },
        },
    ],
    ids=["row title 25", "11 rows", "list button 21", "unknown field", "body 1025", "4 buttons"],
)
async def test_a_body_that_breaks_the_spec_is_refused(
    graph: FakeGraphAPI, body: dict[str, object]
) -> None:
    client = GraphClient(graph.token, graph.phone_number_id, graph.base_url)
    try:
        with pytest.raises(GraphError) as refused:
            await client.send("447700900001", body)
    finally:
        await client.close()
    assert refused.value.status == 400 and graph.take_violations() != []


async def test_a_wrong_token_or_path_is_a_violation(graph: FakeGraphAPI) -> None:
    async with httpx.AsyncClient(base_url=graph.base_url) as http:
        assert (await http.post("/v23.0/106540352242922/messages", json={})).status_code == 401
        assert (await http.get("/v23.0/me")).status_code == 404
    assert len(graph.take_violations()) == 2
