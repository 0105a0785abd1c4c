"""Driving a WhatsApp conversation in tests the way a person would: type, or tap a row or
button of the latest message that has any (found by a part of its id, the engine token)."""

from __future__ import annotations

from typing import Any

from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import Phone, choices, shown


class Person:
    def __init__(self, phone: Phone, wa_id: str, name: str = "Sam Person") -> None:
        self.phone = phone
        self.wa_id = wa_id
        self.name = name
        # The latest reply's messages with buttons (two lists when one cannot hold them all).
        self.last: list[dict[str, Any]] = []
        self.heard: list[dict[str, Any]] = []  # every message received

    async def type(self, words: str) -> list[str]:
        return await self._send(p.text(self.wa_id, words, self.name))

    async def tap(self, part: str) -> list[str]:
        """Tap the row or button whose token contains `part` on the latest screen."""
        ((body, token),) = [(b, t) for b in self.last for t in choices(b) if part in t]
        as_list = body["interactive"]["type"] == "list"
        return await self._send(p.tapped(self.wa_id, token, as_list=as_list, name=self.name))

    def offered(self) -> list[str]:
        return [t for body in self.last for t in choices(body)]

    async def _send(self, payload: dict[str, Any]) -> list[str]:
        out = await self.phone.say(payload)
        assert all(b["to"] == self.wa_id for b in out)
        self.heard += out
        with_buttons = [b for b in out if choices(b)]
        if with_buttons:
            self.last = with_buttons
        return [shown(b) for b in out]
