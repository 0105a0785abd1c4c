"""The fake's HTTP side: a uvicorn server on 127.0.0.1 and the routing of each request
through decoding, the api.json contract, injected faults and the method's responder."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.api_spec import ApiSpec, UploadedFile
from tests.fakes.telegram_api.faults import Faults, error_body
from tests.fakes.telegram_api.recording import Call, Recorder

Answer = tuple[int, Any]  # HTTP status, and the result (200) or the error description
Responder = Callable[[Call], Answer | Awaitable[Answer]]


class BotApiRoutes:
    """Answers /bot<token>/<method> like Telegram; anything else is a violation."""

    def __init__(
        self,
        token: str,
        spec: ApiSpec,
        recorder: Recorder,
        faults: Faults,
        responders: Mapping[str, Responder],
    ) -> None:
        self._token = token
        self._spec = spec
        self._recorder = recorder
        self._faults = faults
        self._responders = responders

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/{path:path}", self._stray),
            ]
        )

    async def _stray(self, request: Request) -> JSONResponse:
        self._recorder.violate(f"unexpected request {request.method} {request.url.path}")
        return JSONResponse(error_body(404, "Not Found"), status_code=404)

    async def _endpoint(self, request: Request) -> JSONResponse:
        at = time.monotonic()
        method = self._spec.method(request.path_params["method"])
        params, files, problems = await self._read(request, method)
        call = Call(method or request.path_params["method"], params, at, files)
        self._recorder.record(call)
        status, body = await self._answer(call, request.path_params["token"], problems)
        return JSONResponse(body, status_code=status)

    async def _read(
        self, request: Request, method: str | None
    ) -> tuple[dict[str, Any], dict[str, UploadedFile], list[str]]:
        text, typed, files, problems = dict(request.query_params), {}, {}, []
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                typed = json.loads(await request.body() or b"{}")
            except ValueError as exc:
                problems.append(f"{method}: the body is not JSON ({exc})")
            if not isinstance(typed, dict):
                problems.append(f"{method}: the body is not a JSON object")
                typed = {}
        else:
            async with request.form() as form:
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        data = await value.read()
                        files[key] = UploadedFile(value.filename, value.content_type, data)
                    else:
                        text[key] = value
        params = {**self._spec.decode_form(method, text), **typed}
        # Other file parts are attachments that parameters name as attach://<part>.
        names = self._spec.parameters(method) if method else frozenset()
        params.update({key: file for key, file in files.items() if key in names})
        return params, files, problems

    async def _answer(self, call: Call, token: str, problems: list[str]) -> tuple[int, Any]:
        """Status and body; the outcome is on ``call`` before any injected delay starts."""
        rule = None
        if token != self._token:
            status, body = self._refuse(401, "Unauthorized", f"{call.method}: wrong bot token")
        elif self._spec.method(call.method) is None:
            status, body = self._refuse(404, "Not Found", f"unknown method {call.method!r}")
        elif problems := problems + self._spec.check_call(call.method, call.params):
            status, body = self._refuse(400, f"Bad Request: {problems[0]}", *problems)
        elif (rule := self._faults.take(call)) is not None and rule.status is not None:
            status, body = rule.status, error_body(rule.status, rule.description, rule.retry_after)
        else:
            status, payload = await self._respond(call)
            body = {"ok": True, "result": payload} if status == 200 else error_body(status, payload)
            call.result = payload if status == 200 else None
        call.status = status
        self._recorder.answered(call)
        if rule is not None and rule.status is None:
            await self._faults.late(rule.delay)
        return status, body

    def _refuse(self, status: int, description: str, *problems: str) -> tuple[int, Any]:
        self._recorder.violate(*problems)
        return status, error_body(status, description)

    async def _respond(self, call: Call) -> Answer:
        if (responder := self._responders.get(call.method)) is not None:
            answer = responder(call)
            return await answer if inspect.isawaitable(answer) else answer
        if self._spec.returns(call.method) == ("Boolean",):
            return 200, True
        self._recorder.violate(f"{call.method}: valid, but the fake cannot answer it yet")
        return 501, f"Not Implemented: the fake has no answer for {call.method}"


class _Uvicorn(uvicorn.Server):
    """uvicorn stopped by an event rather than its 0.1 s polling tick, and deaf to signals."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()
        self.stopping = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # Ctrl-C belongs to pytest, not to a server inside one test

    async def main_loop(self) -> None:
        self.ready.set()
        await self.stopping.wait()


class LocalServer:
    """Serves an ASGI app on a free port of 127.0.0.1 in the calling event loop."""

    def __init__(self, app: Starlette) -> None:
        # No log config and no access log: the test's logging stays the test's, and URLs
        # (which carry the token) are never logged.
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
        )
        self._server = _Uvicorn(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Listen; the port."""
        self._task = asyncio.create_task(self._server.serve())
        ready = asyncio.create_task(self._server.ready.wait())
        await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            await self._task
            raise RuntimeError("the fake Telegram API server stopped while starting")
        return self._server.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._task is not None
        self._server.stopping.set()
        await self._task
