"""The conversation over plain HTML forms: `GET /c/<invite>` shows the first screen (or,
on a reload, the current one) and stores nothing; every button or "Send words" is a `POST`
to the same address that answers with the next step.

It works with no JavaScript at all (chat.js only makes it smoother). The page shows the
messages of the last step only, so one question fills the screen.

Nothing identifying is kept or logged: the conversation is keyed by the random cookie
value (stored only as an HMAC by the conversation service), and no user agent or referrer
is read here at all (AN-01, SEC-18). The client address is read for one thing only: an
in-memory HMAC of it under a key that dies with the process names the client for pacing
(`bot.pacing`); it is never stored, logged or passed anywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response

from admin.webchat import cookie
from admin.webchat.pages import Form, Pages
from bot.conversation import Reply
from flows import engine
from flows.events import Say
from flows.inputs import STALE, Input, Start, from_text, from_token
from flows.state import State
from storage import catalog
from youthvoice.bootstrap import Services

CHANNEL = "web"
MAX_CODE = 64
# A button the engine does not know: it answers "that button is from an earlier
# question" and asks the current question again, without changing anything.


def to_input(fields: Mapping[str, str]) -> Input:
    """A pressed button (`t`, an engine token) wins over typed words (`text`)."""
    token = fields.get("t")
    if token:
        return from_token(token) or STALE
    text = fields.get("text")
    if text is not None:
        return from_text(text)
    return STALE


class Chat:
    def __init__(self, services: Services, pages: Pages) -> None:
        self.services = services
        self.pages = pages
        self.tokens = cookie.FormTokens(services.conversations.pepper)

    async def open(self, request: Request) -> Response:
        """The first screen of an invite link, or after a reload the current one."""
        code = request.path_params["code"]
        lang = self.pages.lang(request.query_params.get("lang"))
        if len(code) > MAX_CODE:
            return self.pages.bad_invite(request, lang)
        now = self.services.clock()
        current = cookie.read(request.cookies)
        service = self.services.conversations
        # A link that opens nothing costs a start, and a client with none left is told
        # to wait whatever it asks for, so codes cannot be guessed quickly (issue 15).
        pacer = self.services.pacer
        client = pacer.client(request.client.host) if request.client else None
        if pacer.spent("start", client):
            return self.pages.notice(request, lang, [service.kit.t("paced", lang)], status=429)
        async with self.services.db.read() as conn:
            invite = service.usable(await catalog.invite_by_code(conn, code), now)
        if invite is None:
            pacer.take("start", client)
            return self.pages.bad_invite(request, lang)
        state = await service.current(CHANNEL, current) if current else None
        if current and state and service.flow_of(state.flow, state.version):
            if dict(state.context).get("invite") == invite.id:
                return self._again(request, code, current, state)
            # This browser's conversation from another link is not carried over.
            await service.forget(CHANNEL, current)
        # The first screen is computed, not stored: the conversation begins with the first
        # button pressed, so opening (or a link preview fetching) the link writes nothing.
        value = cookie.new_value()
        flow = self.services.flows[invite.flow_id]
        first = engine.step(flow, None, Start(lang=lang), service.kit)
        lang = first.state.lang if first.state else lang
        messages = [e for e in first.events if isinstance(e, Say)]
        form = Form(f"/c/{code}", self.tokens.token(value), lang)
        response = self.pages.screen(request, messages, lang, flow=flow.id, form=form)
        cookie.set_on(response, value)
        return response

    async def answer(self, request: Request) -> Response:
        """One button press or "Send words"; answers with the next step."""
        code = request.path_params["code"]
        async with request.form(max_files=0, max_fields=16) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        lang = self.pages.lang(fields.get("lang"))
        value = cookie.read(request.cookies)
        if value is None or not self.tokens.valid(value, fields.get("csrf")):
            if fields.get("t") == "c:help":
                # Help is never refused, whatever happened to the cookie (SG-01).
                return self.pages.helplines_page(request, lang)
            expired = self.pages.wording.t("expired", lang)
            return self.pages.notice(request, lang, [expired], status=403, start_again=f"/c/{code}")
        service = self.services.conversations
        client = self.services.pacer.client(request.client.host) if request.client else None
        try:
            if await self._state(value) is None:
                # The first press on the first screen (or after a day away): begin now.
                start = Start((("invite", code),), lang)
                started = await service.handle(CHANNEL, value, start, client=client)
                if not started.open:  # the link stopped working, or paced
                    if fields.get("t") == "c:help":  # help is never refused (SG-01)
                        return self.pages.helplines_page(request, lang)
                    return await self._reply(request, code, value, started, lang)
            reply = await service.handle(CHANNEL, value, to_input(fields), client=client)
            return await self._reply(request, code, value, reply, lang)
        except SQLAlchemyError:
            # `handle` apologises for a failed write itself; reading the draft can fail too,
            # and that gets a kind page with the helplines, not a bare error (REL-05).
            busy = self.pages.wording.t("busy", lang)
            return self.pages.notice(request, lang, [busy], status=503)

    async def too_large(self, request: Request) -> Response:
        """413 for a step too big to read (SEC-24): nothing was read or kept, and the young
        person's place is kept: the current question again, under a kind note."""
        value = cookie.read(request.cookies)
        state = await self._state(value) if value else None
        flow = self.services.conversations.flow_of(state.flow, state.version) if state else None
        if value is None or state is None or flow is None:
            return self.pages.too_large(request, self.pages.lang(request.query_params.get("lang")))
        code = request.url.path.removeprefix("/c/").split("/", 1)[0][:MAX_CODE]
        limit = engine.text_limit(flow, state)
        note = Say(self.services.conversations.kit.t("too_long", state.lang, max=str(limit)))
        return self._again(request, code, value, state, note=note, status=413)

    def _again(
        self,
        request: Request,
        code: str,
        value: str,
        state: State,
        *,
        note: Say | None = None,
        status: int = 200,
    ) -> Response:
        """A reload or a second visit: the current step again, computed, not stored."""
        service = self.services.conversations
        flow = service.flow_of(state.flow, state.version) or self.services.flows[state.flow]
        result = engine.step(flow, state, STALE, self.services.conversations.kit)
        # Only the prompt (messages tied to a node), not the "earlier button" note.
        messages = [e for e in result.events if isinstance(e, Say) and e.node is not None]
        form = Form(f"/c/{code}", self.tokens.token(value), state.lang)
        shown = [note, *messages] if note is not None else messages
        response = self.pages.screen(
            request, shown, state.lang, flow=state.flow, form=form, status=status
        )
        cookie.set_on(response, value)
        return response

    async def _reply(
        self, request: Request, code: str, value: str, reply: Reply, lang: str
    ) -> Response:
        state = reply.state
        if state is None and reply.open:  # nothing saved this time: the draft as it was
            state = await self._state(value)
        if state is None:
            # Sent, stopped or never started: the cookie goes, and the page says how to
            # leave no trace on a shared device.
            response = self.pages.screen(request, reply.messages, lang, flow=None, form=None)
            cookie.clear_on(response)
            return response
        form = Form(f"/c/{code}", self.tokens.token(value), state.lang)
        response = self.pages.screen(
            request, reply.messages, state.lang, flow=state.flow, form=form
        )
        cookie.set_on(response, value)
        return response

    async def _state(self, value: str) -> State | None:
        """The conversation's language and question set, for the page around the reply."""
        return await self.services.conversations.current(CHANNEL, value)
