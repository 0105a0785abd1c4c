"""The web chat app over ASGI (httpx.AsyncClient + ASGITransport), with one invite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from admin.app import create_app
from storage import catalog
from storage.catalog import InviteInfo
from storage.schema import Conversation, Submission
from tests.webchat.page import Page, read
from youthvoice.bootstrap import Services

# https so the client keeps the Secure cookie; ASGITransport never opens a socket.
BASE = "https://testserver"
FLOW = "relationship-checkin"


@pytest.fixture
async def invite(services: Services) -> InviteInfo:
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        worker = await catalog.add_worker(conn, team, "Ottilie Brennan-Fitch")
        made = await catalog.add_invite(
            conn, team_id=team, worker_id=worker, flow_id=FLOW, label="poster", now=services.clock()
        )
    await services.refresh_scrubber()
    return made


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


class Browser:
    """Drives the chat like a person without JavaScript: open the link, press buttons."""

    def __init__(self, client: httpx.AsyncClient, code: str) -> None:
        self.client = client
        self.code = code
        self.page: Page | None = None
        self.response: httpx.Response | None = None

    async def open(self, query: str = "") -> Page:
        return self.load(await self.client.get(f"/c/{self.code}{query}"))

    async def press(self, label: str) -> Page:
        assert self.page is not None
        return await self.post(**{self.page.fields[label] or "t": self.page.token(label)})

    async def write(self, words: str) -> Page:
        return await self.post(text=words, send="words")

    async def post(self, **fields: str) -> Page:
        assert self.page is not None
        data = {"csrf": self.page.csrf, "lang": self.page.lang, "step": self.page.step, **fields}
        return self.load(await self.client.post(f"/c/{self.code}", data=data))

    def load(self, response: httpx.Response) -> Page:
        self.response = response
        self.page = read(response.status_code, response.text)
        return self.page


@pytest.fixture
def browser(client: httpx.AsyncClient, invite: InviteInfo) -> Browser:
    return Browser(client, invite.code)


async def count(services: Services, table: type) -> int:
    async with services.db.read() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(table.__table__))).scalar_one()
        )


async def submissions(services: Services) -> int:
    return await count(services, Submission)


async def drafts(services: Services) -> int:
    return await count(services, Conversation)
