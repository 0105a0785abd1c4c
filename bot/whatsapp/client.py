"""A thin Graph API client over httpx: one call, POST /{version}/{phone-number-id}/messages.

Why not pywa: it brings its own webhook server glue and handler dispatch, parses each
update into objects holding the profile name and phone number (past our whitelist,
AN-01), and answers the webhook itself, where we must answer 200 only after the commit
(REL-03). Sending is one JSON POST; what matters is classifying Graph's error codes for
the durable outbox, which is ours either way.
"""

from __future__ import annotations

from typing import Any

import httpx

VERSION = "v23.0"
POOL = 8  # connections shared by every recipient's sender (see the Telegram client)


class GraphError(Exception):
    """Graph refused a call: its HTTP status and error code (never its message, which can
    echo the recipient)."""

    def __init__(self, status: int, code: int | None) -> None:
        super().__init__(f"HTTP {status}, code {code}")
        self.status = status
        self.code = code


class GraphClient:
    def __init__(
        self, token: str, phone_number_id: str, base_url: str, timeout: float = 20
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{VERSION}/{phone_number_id}/messages"
        self._http = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            limits=httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL),
        )

    async def send(self, to: str, body: dict[str, Any], group: bool = False) -> None:
        """Send one message; raises GraphError when refused, httpx.HTTPError when the
        network fails (either may hide a delivered message: at-least-once)."""
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "group" if group else "individual",
            "to": to,
            **body,
        }
        response = await self._http.post(self._url, json=payload)
        if response.status_code == 200:
            return
        raise GraphError(response.status_code, _code(response))

    async def close(self) -> None:
        await self._http.aclose()


def _code(response: httpx.Response) -> int | None:
    try:
        error = response.json().get("error")
    except ValueError:
        return None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else None
