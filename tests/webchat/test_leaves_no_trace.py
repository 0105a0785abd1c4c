"""The web chat stores and logs nothing that points at a young person's browser: not the
cookie value, the IP address, the user agent or the referrer (AN-01, AN-05, SEC-18). Over
real HTTP, the shared canary's words (tests/canary.py) are gone from the database files
and the log within 60 s of Send and of deleting with the receipt code (AN-11, AN-14)."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from admin.app import create_app
from storage.catalog import InviteInfo
from tests import canary
from tests.at_rest.drive import WebChat, receipt_in
from tests.telegram.conftest import serve
from tests.webchat.conftest import BASE, Browser
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

AGENT = "CanaryBrowser/9.9 (yv-ua-canary-5d1f)"
CLIENT_IP = "203.0.113.77"  # TEST-NET-3: never a real address
REFERRER = "https://referrer-canary.example/yv-ref-canary"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """With the WAL wipe on a short real timer."""
    return settings.model_copy(update={"wal_wipe_seconds": canary.WIPE_SECONDS})


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
    assert "Sent — thank you" in page.text
    await services.close()  # everything on disk, WAL included
    raw = _database_bytes(settings)
    logged = caplog.text
    assert b"they listen to me" in raw  # the scan does see what is stored
    for value in (cookie, AGENT, "yv-ua-canary", CLIENT_IP, "referrer-canary"):
        assert value.encode() not in raw, value
        assert value not in logged, value


async def test_the_canary_is_gone_within_a_minute_of_send_and_of_delete(
    services: Services, settings: Settings, invite: InviteInfo, tmp_path: Path
) -> None:
    found: dict[str, list[str]] = {}
    headers = {"user-agent": AGENT, "referer": REFERRER}
    with canary.debug_log(tmp_path / "logs" / "youthvoice.log") as log:

        def scan() -> list[str]:
            canary.flush_logs()
            browser = [*chat.cookies_seen, AGENT, "yv-ua-canary", "referrer-canary"]
            return canary.leaks(_database_bytes(settings) + log.read_bytes(), browser)

        async with (
            serve(create_app(services)) as base,
            httpx.AsyncClient(base_url=base, headers=headers) as client,
        ):
            chat = WebChat(client, invite.code)
            sent = await chat.check_in(canary.WORDS, receipt=True)
            assert "Sent — thank you" in sent.text and chat.cookies_seen and chat.cookie is None
            assert await canary.wiped(services.db) < canary.DEADLINE
            found["after Send"] = scan()
            deleted = await chat.delete(receipt_in(sent.texts))
            assert services.conversations.kit.t("deleted", "en") in deleted.texts
            assert await canary.wiped(services.db) < canary.DEADLINE
            found["after deleting"] = scan()
    assert found == {"after Send": [], "after deleting": []}
