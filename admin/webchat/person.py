"""`/person`: "Talk to a person" on the web with no conversation open (after Send or
Stop, or from the helplines page), so a person stays one tap away (SG-07).

Like `/delete` it needs no cookie: the form carries a stateless timed token under a key
of its own (SEC-09). The contact typed is sealed by the conversation service and never
logged or echoed back; a reply with no way to reach them is kindly refused.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.webchat.pages import Pages
from admin.webchat.receipts import TimedTokens
from bot.conversation import ConversationService

MAX_CONTACT = 500


class PersonPage:
    def __init__(self, service: ConversationService, pages: Pages, tokens: TimedTokens) -> None:
        self.service = service
        self.pages = pages
        self.tokens = tokens

    async def show(self, request: Request) -> Response:
        """GET /person: "How can we reach you?" and its box."""
        lang = self.pages.lang(request.query_params.get("lang"))
        return self._form(request, lang, refused="")

    async def submit(self, request: Request) -> Response:
        """POST /person: stored and said so, or kindly asked again."""
        async with request.form(max_files=0, max_fields=8) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        lang = self.pages.lang(fields.get("lang"))
        if not self.tokens.valid(fields.get("csrf")):
            expired = self.pages.wording.t("expired", lang)
            again = "/person" if lang == self.pages.languages[0] else f"/person?lang={lang}"
            return self.pages.notice(request, lang, [expired], status=403, start_again=again)
        reply = await self.service.request_help(fields.get("text", "")[:MAX_CONTACT], lang)
        if reply.failed:
            texts = [m.text for m in reply.messages if m.kind != "safety"]
            return self.pages.notice(request, lang, texts, status=503)
        if reply.open:
            return self._form(request, lang, refused=reply.messages[0].text)
        return self.pages.notice(request, lang, [m.text for m in reply.messages], status=200)

    def _form(self, request: Request, lang: str, refused: str) -> Response:
        prompt = self.service.kit.t("contact_prompt", lang)
        return self.pages.render(
            request, "person", lang, csrf=self.tokens.token(), prompt=prompt, refused=refused
        )
