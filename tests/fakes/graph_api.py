"""A fake WhatsApp Cloud API (Graph v23.0): a real HTTP server on 127.0.0.1 that checks
every request against Meta's OpenAPI spec (``tests.fakes.graph_spec``).

    async with FakeGraphAPI() as api:         # or request the `fake_graph_api` fixture
        client = GraphClient(api.token, api.phone_number_id, api.base_url)
        api.fail_next("447700900001", 131056, times=2)   # Graph's error for that recipient
        ...
        api.sent(to="447700900001")           # the message bodies answered 200, in order

Only POST /v23.0/{phone-number-id}/messages exists here. A wrong token (401), another
phone number id, another path or a body that breaks the spec (400) is a violation, kept in
``violations``; leaving the context raises AssertionError while any remain.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest_asyncio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes import graph_spec
from tests.fakes.telegram_api.server import LocalServer

VERSION = "v23.0"
# HTTP statuses Graph answers with each error code (rate limits are 400 too, or 429).
STATUS = {130429: 429, 131056: 400, 131047: 400, 131026: 400, 131000: 500, 100: 400}


@dataclass
class Call:
    body: dict[str, Any]
    status: int

    @property
    def to(self) -> str:
        return str(self.body.get("to"))


class FakeGraphAPI:
    def __init__(self) -> None:
        self.token = "EAAG" + secrets.token_urlsafe(24)
        self.phone_number_id = "106540352242922"
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self._faults: dict[str, list[int]] = defaultdict(list)
        self._next_id = 0
        self._arrived = asyncio.Condition()
        app = Starlette(
            routes=[
                Route("/{version}/{phone}/messages", self._messages, methods=["POST"]),
                Route("/{path:path}", self._stray, methods=["GET", "POST", "DELETE"]),
            ]
        )
        self._server = LocalServer(app)
        self.base_url = ""

    async def __aenter__(self) -> FakeGraphAPI:
        port = await self._server.start()
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()
        if self.violations and exc[0] is None:
            raise AssertionError(
                "requests broke the Graph API contract:\n" + "\n".join(self.violations)
            )

    def fail_next(self, to: str, code: int, times: int = 1) -> None:
        """Answer the next `times` messages to `to` with Graph's error `code`."""
        self._faults[to] += [code] * times

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until `predicate` holds, re-checked as each message arrives."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(predicate)

    def clear_faults(self) -> None:
        self._faults.clear()

    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.status == 200 and (to is None or c.to == to)]

    def take_violations(self) -> list[str]:
        found, self.violations = self.violations, []
        return found

    async def _stray(self, request: Request) -> JSONResponse:
        self.violations.append(f"unexpected request {request.method} {request.url.path}")
        return _error(404, 803)

    async def _messages(self, request: Request) -> JSONResponse:
        params = request.path_params
        if request.headers.get("authorization") != f"Bearer {self.token}":
            self.violations.append("wrong or missing access token")
            return _error(401, 190)
        if params["version"] != VERSION or params["phone"] != self.phone_number_id:
            self.violations.append(f"unexpected path {request.url.path}")
            return _error(400, 100)
        try:
            body = json.loads(await request.body())
        except ValueError:
            self.violations.append("the body is not JSON")
            return _error(400, 100)
        if problems := graph_spec.problems("Message", body):
            self.violations += problems
            self.calls.append(Call(body, 400))
            return _error(400, 100)
        faults = self._faults.get(str(body.get("to")))
        if faults:
            code = faults.pop(0)
            self.calls.append(Call(body, STATUS.get(code, 400)))
            return _error(STATUS.get(code, 400), code)
        self.calls.append(Call(body, 200))
        async with self._arrived:
            self._arrived.notify_all()
        self._next_id += 1
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.fake{self._next_id}"}],
            }
        )


def _error(status: int, code: int) -> JSONResponse:
    body = {
        "error": {
            "message": f"(#{code}) refused by the fake",
            "type": "OAuthException",
            "code": code,
        }
    }
    return JSONResponse(body, status_code=status)


@pytest_asyncio.fixture
async def fake_graph_api() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api
