"""Fixtures for the WhatsApp channel: the fake Graph API on 127.0.0.1, settings pointing
at it, the channel started (fast retries, no pacing) and mounted on the one ASGI app,
served over real HTTP, and a helper that signs and posts a webhook delivery and waits
until its replies are out (on events, never sleeps)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from admin.app import create_app
from bot.delivery.pacing import UNPACED
from bot.whatsapp.channel import WhatsAppChannel, build_channel
from bot.whatsapp.webhook import PATH, signed
from tests.fakes.graph_api import FakeGraphAPI, fake_graph_api
from tests.telegram.conftest import FAST, serve
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

graph = fake_graph_api  # the fake's fixture, under a short name
APP_SECRET = "app-secret-0123456789abcdef"
VERIFY_TOKEN = "verify-me-please"


@pytest.fixture
def settings(tmp_path: Path, graph: FakeGraphAPI) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        org_name="Test Youth Service",
        whatsapp_token=SecretStr(graph.token),
        whatsapp_phone_number_id=graph.phone_number_id,
        whatsapp_app_secret=SecretStr(APP_SECRET),
        whatsapp_verify_token=SecretStr(VERIFY_TOKEN),
        whatsapp_api_url=graph.base_url,
    )


@dataclass
class Phone:
    """The app as Meta reaches it: signed webhook posts, and what came back."""

    http: httpx.AsyncClient
    channel: WhatsAppChannel
    graph: FakeGraphAPI

    async def post(self, payload: dict[str, Any], signature: str | None = None) -> int:
        body = httpx.Request("POST", "/", json=payload).content
        sig = signed(body, APP_SECRET.encode()) if signature is None else signature
        headers = {"Content-Type": "application/json"}
        if sig:
            headers["X-Hub-Signature-256"] = sig
        response = await self.http.post(PATH, content=body, headers=headers)
        return response.status_code

    async def say(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Post one delivery (it must be answered 200), wait until its replies are sent;
        those replies."""
        before = len(self.graph.sent())
        assert await self.post(payload) == 200
        await self.channel.handler.outbox.sender.drain()
        return self.graph.sent()[before:]


@pytest_asyncio.fixture
async def channel(services: Services, graph: FakeGraphAPI) -> AsyncIterator[WhatsAppChannel]:
    started = build_channel(services, pacing=UNPACED, retry=FAST, patience=0)
    await started.start()
    try:
        yield started
    finally:
        await started.stop(timeout=5)


@pytest_asyncio.fixture
async def phone(
    services: Services, channel: WhatsAppChannel, graph: FakeGraphAPI
) -> AsyncIterator[Phone]:
    app = create_app(services, extra_routes=channel.routes())
    async with serve(app) as base, httpx.AsyncClient(base_url=base) as http:
        yield Phone(http, channel, graph)


def shown(body: dict[str, Any]) -> str:
    """The text a message shows."""
    if body["type"] == "text":
        return str(body["text"]["body"])
    return str(body["interactive"]["body"]["text"])


def choices(body: dict[str, Any]) -> list[str]:
    """The ids (engine tokens) of a message's buttons or list rows."""
    if body["type"] != "interactive":
        return []
    action = body["interactive"]["action"]
    if "buttons" in action:
        return [b["reply"]["id"] for b in action["buttons"]]
    return [r["id"] for s in action["sections"] for r in s["rows"]]
