"""The web chat stores and logs nothing that points at a young person's browser: not the
cookie value, the IP address, the user agent or the referrer (AN-01, AN-05, SEC-18)."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from admin.app import create_app
from storage.catalog import InviteInfo
from tests.webchat.conftest import BASE, Browser
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

AGENT = "CanaryBrowser/9.9 (yv-ua-canary-5d1f)"
CLIENT_IP = "203.0.113.77"  # TEST-NET-3: never a real address
REFERRER = "https://referrer-canary.example/yv-ref-canary"


def _database_bytes(settings: Settings) -> bytes:
    db = Path(settings.db_url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def test_a_whole_conversation_leaves_no_identifier_behind(
    services: Services, settings: Settings, invite: InviteInfo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = httpx.ASGITransport(app=create_app(services), client=(CLIENT_IP, 50123))
    headers = {"user-agent": AGENT, "referer": REFERRER}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        browser = Browser(client, invite.code)
        await browser.open()
        cookie = client.cookies["__Host-yvchat"]
        await browser.press("Start")
        for _ in range(6):
            await browser.press("Mostly")
        await browser.write("they listen to me")
        await browser.press("Skip")
        await browser.press("Skip")
        page = await browser.press("Send")
    assert "Sent." in page.text
    await services.close()  # everything on disk, WAL included
    raw = _database_bytes(settings)
    logged = caplog.text
    assert b"they listen to me" in raw  # the scan does see what is stored
    for canary in (cookie, AGENT, "yv-ua-canary", CLIENT_IP, "referrer-canary"):
        assert canary.encode() not in raw, canary
        assert canary not in logged, canary
