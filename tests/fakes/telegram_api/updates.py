"""Telegram's side of update delivery: the queue getUpdates serves (long polls, offsets
that confirm, allowed_updates filtering) and the webhook that blocks polling."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from tests.fakes.telegram_api.recording import Call, Recorder

# Kinds Telegram sends only when allowed_updates names them.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class _Queued:
    update: dict[str, Any]
    delivered: bool = False


class Updates:
    """Updates waiting for the bot, and how it has asked for them."""

    def __init__(self, recorder: Recorder) -> None:
        self.webhook: dict[str, Any] | None = None
        self.allowed_updates: list[str] | None = None
        self.filtered_updates: list[dict[str, Any]] = []
        self._recorder = recorder
        self._queue: list[_Queued] = []
        self._next_id = 1
        self._polls = 0

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update; returns it with its update_id (the next one when missing)."""
        update = {"update_id": self._next_id, **update}
        self._next_id = max(self._next_id, update["update_id"]) + 1
        self._queue.append(_Queued(update))
        self._recorder.changed()
        return update

    async def get_updates(self, call: Call) -> tuple[int, Any]:
        params = call.params
        if self.webhook is not None:
            return 409, WEBHOOK_CONFLICT
        self._polls += 1
        poll = self._polls
        self._recorder.changed()  # a newer poll ends a waiting one, as on Telegram
        self._confirm(params.get("offset"))
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        closed = self._recorder.closed
        with contextlib.suppress(TimeoutError):
            await self._recorder.until(
                lambda: closed.is_set() or poll != self._polls or self._deliverable(),
                params.get("timeout", 0),
            )
        if poll != self._polls:
            return 409, POLL_CONFLICT
        batch = self._deliverable()[: params.get("limit", 100)]
        for queued in batch:
            queued.delivered = True
        return 200, [queued.update for queued in batch]

    def set_webhook(self, call: Call) -> tuple[int, Any]:
        params = call.params
        if not params["url"]:  # an empty URL removes the webhook
            return self.delete_webhook(call)
        if not params["url"].startswith("https://"):
            return 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
        self.webhook = params
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return 200, True

    def delete_webhook(self, call: Call) -> tuple[int, Any]:
        self.webhook = None
        if call.params.get("drop_pending_updates"):
            self._queue.clear()
        return 200, True

    def webhook_info(self, call: Call) -> tuple[int, Any]:
        info = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return 200, info

    def _confirm(self, offset: int | None) -> None:
        """Drop delivered updates below `offset`; a negative one keeps the last -offset."""
        if offset is None:
            return
        if offset < 0:
            self._queue = self._queue[offset:]
        else:
            self._queue = [
                q for q in self._queue if not (q.delivered and q.update["update_id"] < offset)
            ]

    def _deliverable(self) -> list[_Queued]:
        """Queued updates allowed_updates lets through; the rest move to filtered_updates."""
        allowed = self.allowed_updates
        keep = []
        for queued in self._queue:
            kind = next((k for k in queued.update if k != "update_id"), "")
            if (kind in allowed) if allowed else (kind not in NOT_BY_DEFAULT):
                keep.append(queued)
            else:
                self.filtered_updates.append(queued.update)
        self._queue = keep
        return keep
