"""Webhook mode (several processes behind a load balancer): Telegram POSTs each update
to /telegram/webhook on the same ASGI server as the console.

- The `X-Telegram-Bot-Api-Secret-Token` header is compared in constant time with the
  configured secret; a missing or wrong one is answered 401 and nothing is read (SEC-16).
- 200 only once the update's effects (and its replies, in the outbox) are committed; 500
  when nothing was committed, so Telegram delivers it again (REL-03). Only after
  `attempts` failures spread over `patience` seconds does the person get an apology and
  the safety block, and the update is let go (REL-05): a short outage shows no apology.
- 503 while the process is shutting down, so Telegram retries on another process.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.safelog import describe
from bot.telegram.handler import TelegramHandler
from bot.telegram.polling import PATIENCE

log = logging.getLogger(__name__)
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
REMEMBERED_FAILURES = 1024


class WebhookReceiver:
    def __init__(
        self,
        handler: TelegramHandler,
        secret: str,
        attempts: int = 5,
        patience: float = PATIENCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handler = handler
        self._secret = secret.encode()
        self._attempts = attempts
        self._patience = patience
        self._clock = clock
        self._failures: dict[int, tuple[int, float]] = {}
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.closing = False

    def routes(self) -> list[BaseRoute]:
        return [Route(PATH, self.receive, methods=["POST"])]

    async def receive(self, request: Request) -> Response:
        if self.closing:
            return Response(status_code=503)
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, self._secret):
            return Response(status_code=401)
        try:
            raw = json.loads(await request.body())
        except ValueError:
            return Response(status_code=400)
        inc = self._handler.parse(raw) if isinstance(raw, dict) else None
        if inc is None:
            return Response(status_code=400)
        self._inflight += 1
        self._idle.clear()
        try:
            await self._handler.process(inc)
        except Exception as exc:
            failures, since = self._failures.pop(inc.update_id, (0, self._clock()))
            failures += 1
            log.warning("telegram: an update of kind %s failed: %s", inc.kind, describe(exc))
            if failures < self._attempts or self._clock() - since < self._patience:
                self._remember(inc.update_id, (failures, since))
                return Response(status_code=500)
            await self._handler.apologise(inc)
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()
        self._failures.pop(inc.update_id, None)
        return Response(status_code=200)

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109 (a drain budget)
        """Refuse new updates and wait for those being handled."""
        self.closing = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._idle.wait()

    def _remember(self, update_id: int, failures: tuple[int, float]) -> None:
        if len(self._failures) >= REMEMBERED_FAILURES:
            del self._failures[next(iter(self._failures))]
        self._failures[update_id] = failures
