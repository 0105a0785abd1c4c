"""The Bot API client: python-telegram-bot's `Bot` over its normal httpx client, pointed
at a configurable base URL (Telegram's, or a self-hosted Bot API server).

Updates are read as raw JSON rather than PTB `Update` objects: the ingestion whitelist
works on the raw dict (AN-01), and an update PTB cannot parse must not stall polling
(PTB would raise for the whole batch, and log the batch's contents while doing so).
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, BotCommand
from telegram.request import BaseRequest, HTTPXRequest

from flows.kit import Kit

# Only what the channel uses (REL-19): my_chat_member tells us of blocks and group adds.
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
READ_MARGIN = 10.0  # seconds on top of the long-poll timeout before a read times out
# Connections kept open to the Bot API, shared by every chat's sender, and the most calls
# in flight at once (the sender waits for a free one). PTB's default of one queues every
# call behind the last; more cost CPU, as httpcore checks every idle connection against
# every waiting request. 4 measured cheapest (bench/telegram.py --http), and at a 50 ms
# round trip it carries 80 calls a second, well over Telegram's ~30 messages.
POOL = 4
# The command menu (setMyCommands), in the order the app lists it. Each description is
# the copy's `cmd_<name>`, so it is worded and translated with everything else.
COMMANDS = ("help", "privacy", "concern", "news", "stop", "language", "delete")


def command_menu(kit: Kit, lang: str) -> list[BotCommand]:
    """The command menu in one language."""
    return [BotCommand(name, kit.t(f"cmd_{name}", lang)) for name in COMMANDS]


class TelegramBot(Bot):
    """PTB's Bot with a getUpdates that returns the updates' raw JSON."""

    async def raw_updates(
        self,
        offset: int | None,
        timeout: float,  # noqa: ASYNC109 (the Bot API's long-poll parameter)
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        data = {
            "offset": offset,
            "timeout": timeout,
            "limit": limit,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        result = await self._post("getUpdates", data, read_timeout=timeout + READ_MARGIN)
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """A Bot API call with JSON parameters, its raw result back. The sender needs no
        PTB objects either way, and building and parsing them cost more CPU per message
        than the rest of a step (issue 13)."""
        return await self._post(method, params)


def make_bot(
    token: str,
    base_url: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> TelegramBot:
    return TelegramBot(
        token,
        base_url=base_url,
        request=request or HTTPXRequest(connection_pool_size=POOL),
        get_updates_request=get_updates_request or HTTPXRequest(connection_pool_size=1),
    )
