"""`/delete`: remove sent answers with a receipt code, on the web (AN-19).

It needs no conversation and no cookie, so its form carries a stateless token: an HMAC
of the time the form was shown, under a key of its own derived from the pepper. A page
from another site cannot compute it, so a forged post is refused (SEC-09), and an old
form runs out after `MAX_AGE`. The code typed is never logged or echoed back, and the
answers are never shown: someone else may be looking at the screen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from admin.webchat.pages import Pages
from bot.conversation import ConversationService

MAX_AGE = dt.timedelta(hours=2)
MAX_CODE = 32


class TimedTokens:
    """Sign and check "<unix seconds>.<hmac>" form tokens."""

    def __init__(
        self,
        pepper: bytes,
        clock: Callable[[], dt.datetime],
        purpose: bytes = b"webchat delete form key",
    ) -> None:
        # A key per form, so a token for one page is never accepted by another.
        self._key = hmac.new(pepper, purpose, hashlib.sha256).digest()
        self._clock = clock

    def token(self) -> str:
        stamp = str(int(self._clock().timestamp()))
        return f"{stamp}.{self._sign(stamp)}"

    def valid(self, token: str | None) -> bool:
        stamp, _, mac = (token or "").partition(".")
        if not stamp.isdigit() or len(stamp) > 12:
            return False
        # As bytes: compare_digest refuses a str with non-ASCII characters (a forged field).
        if not hmac.compare_digest(self._sign(stamp).encode(), mac.encode()):
            return False
        age = self._clock() - dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        return dt.timedelta(0) <= age <= MAX_AGE

    def _sign(self, stamp: str) -> str:
        return hmac.new(self._key, stamp.encode(), hashlib.sha256).hexdigest()


class DeletePage:
    def __init__(self, service: ConversationService, pages: Pages, tokens: TimedTokens) -> None:
        self.service = service
        self.pages = pages
        self.tokens = tokens

    async def show(self, request: Request) -> Response:
        """GET /delete: the code form."""
        lang = self.pages.lang(request.query_params.get("lang"))
        return self.pages.render(request, "delete", lang, csrf=self.tokens.token())

    async def submit(self, request: Request) -> Response:
        """POST /delete: what happened (removed, unknown code, period closed), with help."""
        async with request.form(max_files=0, max_fields=8) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        lang = self.pages.lang(fields.get("lang"))
        if not self.tokens.valid(fields.get("csrf")):
            expired = self.pages.wording.t("expired", lang)
            return self.pages.notice(
                request, lang, [expired], status=403, start_again=self._again(lang)
            )
        reply = await self.service.delete(fields.get("code", "")[:MAX_CODE], lang)
        texts = [m.text for m in reply.messages if m.kind != "safety"]
        status = 503 if reply.failed else 200
        return self.pages.notice(request, lang, texts, status=status, start_again=self._again(lang))

    def _again(self, lang: str) -> str:
        return "/delete" if lang == self.pages.languages[0] else f"/delete?lang={lang}"
