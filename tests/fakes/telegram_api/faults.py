"""Fault injection: the next matching calls answered with a Telegram error (429 with
``retry_after``, 5xx, 403, 400 ...) or performed but answered late (a timeout that hides
a delivered message); or every matching call for a stretch of time (an outage)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from tests.fakes.api_spec import ApiSpec
from tests.fakes.telegram_api.recording import Call

DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
}


def error_body(status: int, description: str, retry_after: int | None = None) -> dict[str, Any]:
    """Telegram's answer to a refused call."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


@dataclass
class Rule:
    method: str
    chat_id: str | None
    times: int
    status: int | None = None  # None: perform the call, then answer after `delay`
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    until: float | None = None  # a window: every matching call until this monotonic time

    def matches(self, call: Call) -> bool:
        chat = str(call.params.get("chat_id"))
        return call.method == self.method and self.chat_id in (None, chat)

    @property
    def over(self) -> bool:
        return self.until is not None and time.monotonic() >= self.until


class Faults:
    """The rules tests set; each applies to its next `times` matching calls."""

    def __init__(self, spec: ApiSpec, closed: asyncio.Event) -> None:
        self._spec = spec
        self._closed = closed
        self._rules: list[Rule] = []

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        chat_id: int | str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        if status == 429 and retry_after is None:
            raise ValueError("Telegram always sends retry_after with 429")
        text = description or DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
        chat = None if chat_id is None else str(chat_id)
        self._rules.append(
            Rule(
                self._method(method),
                chat,
                times,
                status,
                text.format(retry_after=retry_after),
                retry_after,
            )
        )

    def delay_next(
        self, method: str, seconds: float, *, chat_id: int | str | None = None, times: int = 1
    ) -> None:
        chat = None if chat_id is None else str(chat_id)
        self._rules.append(Rule(self._method(method), chat, times, delay=seconds))

    def fail_for(
        self,
        method: str,
        status: int,
        seconds: float,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Answer every call of `method` with `status` for `seconds` from now."""
        self.fail_next(method, status, retry_after=retry_after, times=1)
        self._rules[-1].until = time.monotonic() + seconds

    def take(self, call: Call) -> Rule | None:
        """The rule for this call, used up by one (a window's rule lasts until it ends)."""
        self._rules = [rule for rule in self._rules if not rule.over]
        for rule in self._rules:
            if rule.matches(call):
                if rule.until is not None:
                    return rule
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
        return None

    async def late(self, seconds: float) -> None:
        """An injected slow answer; cut short when the fake stops so teardown never hangs."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closed.wait()

    def _method(self, name: str) -> str:
        if (method := self._spec.method(name)) is None:
            raise ValueError(f"the Bot API has no method {name!r}")
        return method
