"""Bounded input before any work (SEC-24): a body-size limit on every route, enforced as
plain ASGI middleware before anything parses the body.

A declared Content-Length over the limit is refused at once, unread. A body without one
(chunked) is read here, counting bytes, and refused as soon as it passes the limit; a
body within it is handed on unchanged. The review found one 1 MB web-chat message froze
the whole server for about 10 s: now it costs nothing but the refusal.

Limits: the web chat's answer form about twice the longest answer a question takes (form
encoding can triple a character), the console's forms 64 KiB, the Telegram webhook
256 KiB (a 4,096-character message with its JSON around it), the WhatsApp webhook 3 MiB
(Meta's limit for one delivery, which may hold many messages), every other form 16 KiB.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
FORM = 16 * KIB
CONSOLE = 64 * KIB
WEBHOOK = 256 * KIB
WHATSAPP_WEBHOOK = 3 * KIB * KIB  # Meta batches messages into one delivery, up to 3 MB
FORM_OVERHEAD = KIB  # the chat form's token, button and language fields
ENCODED = 3  # "%XX" per byte of anything but letters and digits

Refusal = Callable[[Request], Awaitable[Response]]


def chat_limit(longest_answer: int) -> int:
    """Bytes for one chat step: about 2 x the longest answer, form-encoded."""
    return FORM_OVERHEAD + 2 * longest_answer * ENCODED


@dataclass(frozen=True)
class Limit:
    """Bodies under `prefix` may be at most `size` bytes; `refuse` renders the 413 page."""

    prefix: str
    size: int
    refuse: Refusal | None = None


async def plain_refusal(_request: Request) -> Response:
    return HTMLResponse(
        "<!doctype html><html lang=en><title>Too much at once</title>"
        "<p>That was too much to send at once. Go back and try a shorter version.</p>",
        status_code=413,
    )


class BodyLimit:
    def __init__(self, app: ASGIApp, limits: Sequence[Limit], default: int = FORM) -> None:
        self.app = app
        # Longest prefix first, so "/c/" wins over "/".
        self.limits = sorted(limits, key=lambda limit: len(limit.prefix), reverse=True)
        self.default = Limit("", default)

    def _limit(self, path: str) -> Limit:
        return next((lim for lim in self.limits if path.startswith(lim.prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit.size:
            await self._refuse(limit, scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit.size:
                await self._refuse(limit, scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, limit: Limit, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, _replay(b"", receive))
        response = await (limit.refuse or plain_refusal)(request)
        # The unread rest of the body is not wanted: close rather than read it.
        response.headers["connection"] = "close"
        await response(scope, _replay(b"", receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else 1 << 62  # garbled: treat as too big
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over `body` once, then waits on the real one (for a
    disconnect, as Starlette's streaming responses listen for)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
