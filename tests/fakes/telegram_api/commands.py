"""Telegram's side of the command menu: one list per scope and language, as set with
setMyCommands, read back with getMyCommands, removed with deleteMyCommands."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.telegram_api.recording import Call

DEFAULT_SCOPE = {"type": "default"}


def _key(scope: dict[str, Any] | None, language_code: str | None) -> tuple[str, str]:
    return json.dumps(scope or DEFAULT_SCOPE, sort_keys=True), language_code or ""


class Commands:
    """The menus set, keyed by scope and language code ("" for every language)."""

    def __init__(self) -> None:
        self._menus: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def menu(
        self, language_code: str | None = None, scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Exactly what was set for this scope and language (no fallback, as getMyCommands)."""
        return list(self._menus.get(_key(scope, language_code), []))

    def set(self, call: Call) -> tuple[int, Any]:
        params = call.params
        self._menus[_key(params.get("scope"), params.get("language_code"))] = params["commands"]
        return 200, True

    def delete(self, call: Call) -> tuple[int, Any]:
        self._menus.pop(_key(call.params.get("scope"), call.params.get("language_code")), None)
        return 200, True

    def get(self, call: Call) -> tuple[int, Any]:
        return 200, self.menu(call.params.get("language_code"), call.params.get("scope"))
