"""The webhook Meta calls, on the same ASGI app as the console: /whatsapp/webhook.

- GET: the verification handshake. `hub.mode=subscribe` with the configured verify token
  (compared in constant time) is answered with `hub.challenge`; anything else 403.
- POST: bodies over 3 MiB are refused unread (`admin.limits`); then
  `X-Hub-Signature-256` is checked first: "sha256=" and the HMAC-SHA256 of the raw
  body under the app secret, compared in constant time. Missing or wrong: 401, nothing
  read or logged (SEC-16).
- 200 only once every message's effects (and replies, in the outbox) are committed; 500
  when one was not, so Meta delivers the whole batch again (REL-03), and the messages
  already handled are skipped by their marks (REL-01). Only after `attempts` failures
  over `patience` seconds does the person get an apology (REL-05).
- Failed-delivery statuses drive the outbox; every status is then forgotten.
- 503 while the process is shutting down, so Meta retries (on another process).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.safelog import describe
from bot.telegram.polling import PATIENCE
from bot.whatsapp.handler import WhatsAppHandler
from bot.whatsapp.ingest import Incoming, parse

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
REMEMBERED_FAILURES = 1024


def signed(body: bytes, secret: bytes) -> str:
    """The header value Meta sends for `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


class WebhookReceiver:
    def __init__(
        self,
        handler: WhatsAppHandler,
        app_secret: str,
        verify_token: str,
        attempts: int = 5,
        patience: float = PATIENCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handler = handler
        self._secret = app_secret.encode()
        self._verify = verify_token.encode()
        self._attempts = attempts
        self._patience = patience
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.closing = False

    def routes(self) -> list[BaseRoute]:
        return [
            Route(PATH, self.verify, methods=["GET"]),
            Route(PATH, self.receive, methods=["POST"]),
        ]

    async def verify(self, request: Request) -> Response:
        query = request.query_params
        given = query.get("hub.verify_token", "").encode()
        if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(given, self._verify):
            return Response(status_code=403)
        return PlainTextResponse(query.get("hub.challenge", ""))

    async def receive(self, request: Request) -> Response:
        if self.closing:
            return Response(status_code=503)
        body = await request.body()
        given = request.headers.get(SIGNATURE_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, signed(body, self._secret).encode()):
            return Response(status_code=401)
        try:
            raw = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        messages, failures = parse(raw)
        self._inflight += 1
        self._idle.clear()
        try:
            for failure in failures:
                await self._handler.failed(failure)
            for inc in messages:
                if not await self._one(inc):
                    return Response(status_code=500)
        except Exception as exc:  # the database could not take a status or an apology
            log.warning("whatsapp: a delivery could not be applied: %s", describe(exc))
            return Response(status_code=500)
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()
        return Response(status_code=200)

    async def _one(self, inc: Incoming) -> bool:
        """Handle one message; False when it should be delivered again."""
        key = self._handler.update_key(inc)
        try:
            await self._handler.process(inc)
        except Exception as exc:
            failures, since = self._failures.pop(key, (0, self._clock()))
            failures += 1
            log.warning("whatsapp: a message of kind %s failed: %s", inc.kind, describe(exc))
            if failures < self._attempts or self._clock() - since < self._patience:
                self._remember(key, (failures, since))
                return False
            await self._handler.apologise(inc)
        self._failures.pop(key, None)
        return True

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget)
        self.closing = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._idle.wait()

    def _remember(self, key: str, failures: tuple[int, float]) -> None:
        if len(self._failures) >= REMEMBERED_FAILURES:
            del self._failures[next(iter(self._failures))]
        self._failures[key] = failures
