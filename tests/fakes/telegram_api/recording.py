"""What the fake saw and how tests wait on it: every request as a ``Call``, the contract
violations, and one change signal that wakes every waiter (``wait_for``, long polls)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tests.fakes.api_spec import UploadedFile

T = TypeVar("T")


@dataclass
class Call:
    """One request the fake received, and (once answered) what it answered."""

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    result: Any = None


class Recorder:
    """The calls in arrival order, the violations, and waiting until something is true."""

    def __init__(self) -> None:
        self.closed = asyncio.Event()  # set when the fake stops: every wait ends
        self._calls: list[Call] = []
        self._violations: list[str] = []
        self._change = asyncio.Event()
        # Called with each call once answered: a load driver counts replies without
        # re-scanning every call (bench/telegram_peer.py).
        self.listeners: list[Callable[[Call], None]] = []

    def record(self, call: Call) -> None:
        self._calls.append(call)
        self.changed()

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method == method]

    def sent_messages(self, chat_id: int | str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls("sendMessage")
            if c.status == 200 and (chat_id is None or str(c.params["chat_id"]) == str(chat_id))
        ]

    def answered(self, call: Call) -> None:
        for listener in self.listeners:
            listener(call)
        self.changed()

    def violate(self, *problems: str) -> None:
        self._violations.extend(problems)

    @property
    def violations(self) -> list[str]:
        return list(self._violations)

    def take_violations(self) -> list[str]:
        taken, self._violations = self._violations, []
        return taken

    def changed(self) -> None:
        """Wake every waiter to re-check its condition."""
        self._change.set()
        self._change = asyncio.Event()

    def close(self) -> None:
        """Release long polls and delayed answers, so the server can drain."""
        self.closed.set()
        self.changed()

    async def until(self, predicate: Callable[[], T], seconds: float) -> T:
        """The predicate's first truthy value, re-checked on every change."""
        async with asyncio.timeout(seconds):
            while not (result := predicate()):
                await self._change.wait()
        return result

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        try:
            return await self.until(predicate, timeout)
        except TimeoutError:
            seen = ", ".join(f"{c.method}->{c.status}" for c in self._calls)
            raise TimeoutError(f"not true within {timeout} s; requests so far: {seen}") from None
