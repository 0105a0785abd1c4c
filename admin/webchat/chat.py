"""The conversation over plain HTML forms: `GET /c/<invite>` shows the first screen (or,
on a reload, the current one) and stores nothing; every button or "Next" is a `POST`
to the same address that answers with the next step.

Every form names the step it was shown at (`cookie.StepTokens`): a form posted again
after its step has passed (a reload's "resubmit", a double tap, Back then a press) does
nothing and shows the current question, so an answer is never given twice.

It works with no JavaScript at all (chat.js only makes it smoother). The page shows the
messages of the last step only, so one question fills the screen.

Nothing identifying is kept or logged: the conversation is keyed by the random cookie
value (stored only as an HMAC by the conversation service), and no user agent or referrer
is read here at all (AN-01, SEC-18). The client address is read for one thing only: an
in-memory HMAC of it under a key that dies with the process names the client for pacing
(`bot.pacing`); it is never stored, logged or passed anywhere else.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Mapping

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response

from admin.webchat import cookie
from admin.webchat.pages import Form, Pages
from bot.conversation import Reply
from flows import engine
from flows.events import Say
from flows.inputs import STALE, Input, Start, Text, from_text, from_token
from flows.model import Flow
from flows.nodes.base import View
from flows.nodes.review import Answer, ReviewNode
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
        self.steps = cookie.StepTokens(services.conversations.pepper)
        # One step at a time per conversation in this process, so two posts of one form
        # (a double tap) cannot both pass the step check before either is saved.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.ends = frozenset(
            node.id for flow in services.flows.values() for node in flow.nodes if node.kind == "end"
        )

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
        return self._first(request, code, cookie.new_value(), invite.flow_id, lang)

    def _first(self, request: Request, code: str, value: str, flow_id: str, lang: str) -> Response:
        flow = self.services.flows[flow_id]
        first = engine.step(flow, None, Start(lang=lang), self.services.conversations.kit)
        lang = first.state.lang if first.state else lang
        messages = [e for e in first.events if isinstance(e, Say)]
        form = self._form(code, value, None, lang)
        response = self.pages.screen(request, messages, lang, flow=flow.id, form=form)
        cookie.set_on(response, value)
        return response

    def _form(self, code: str, value: str, state: State | None, lang: str) -> Form:
        draft = json.dumps(state.to_dict(), sort_keys=True) if state else None
        step = self.steps.token(value, draft)
        return Form(f"/c/{code}", self.tokens.token(value), lang, step)

    def _spent(self, value: str, state: State | None, fields: Mapping[str, str]) -> bool:
        """A form from a step that has passed. Help is never refused (SG-01)."""
        if fields.get("t") == "c:help":
            return False
        draft = json.dumps(state.to_dict(), sort_keys=True) if state else None
        return not self.steps.current(value, draft, fields.get("step"))

    async def answer(self, request: Request) -> Response:
        """One button press or "Next"; answers with the next step."""
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
        lock = self._locks.get(value)
        if lock is None:
            lock = self._locks[value] = asyncio.Lock()
        async with lock:
            return await self._step(request, code, value, fields, lang)

    async def _step(
        self, request: Request, code: str, value: str, fields: Mapping[str, str], lang: str
    ) -> Response:
        service = self.services.conversations
        client = self.services.pacer.client(request.client.host) if request.client else None
        try:
            state = await self._state(value)
            if state is not None and state.flow not in self.services.flows:
                state = None
            if self._spent(value, state, fields):
                if state is None:  # sent, stopped or run out: the first screen again
                    return await self._reopen(request, code, value, lang)
                moved_on = Say(service.kit.t("moved_on", state.lang))
                return self._again(request, code, value, state, note=moved_on)
            if fields.get("ask") == "stop":
                # "Stop and delete" asks first; "Yes" posts the engine's stop (AN-03).
                return self._confirm_stop(request, code, value, state, lang)
            if state is None:
                # The first press on the first screen (or after a day away): begin now.
                start = Start((("invite", code),), lang)
                started = await service.handle(CHANNEL, value, start, client=client)
                if not started.open:  # the link stopped working, or paced
                    if fields.get("t") == "c:help":  # help is never refused (SG-01)
                        return self.pages.helplines_page(request, lang)
                    return await self._reply(request, code, value, started, lang)
            given = to_input(fields)
            reply = await service.handle(CHANNEL, value, given, client=client)
            kept = given.text if isinstance(given, Text) and self._too_long(reply, given) else ""
            return await self._reply(request, code, value, reply, lang, kept=kept)
        except SQLAlchemyError:
            # `handle` apologises for a failed write itself; reading the draft can fail too,
            # and that gets a kind page with the helplines, not a bare error (REL-05).
            busy = self.pages.wording.t("busy", lang)
            return self.pages.notice(request, lang, [busy], status=503)

    def _too_long(self, reply: Reply, given: Text) -> bool:
        """Words refused for their length: they go back in the box, not in the bin."""
        state = reply.state
        if state is None or state.flow not in self.services.flows:
            return False
        return len(given.text) > engine.text_limit(self.services.flows[state.flow], state)

    async def _reopen(self, request: Request, code: str, value: str, lang: str) -> Response:
        now = self.services.clock()
        service = self.services.conversations
        async with self.services.db.read() as conn:
            invite = service.usable(await catalog.invite_by_code(conn, code), now)
        if invite is None:
            return self.pages.bad_invite(request, lang)
        return self._first(request, code, value, invite.flow_id, lang)

    def _confirm_stop(
        self, request: Request, code: str, value: str, state: State | None, lang: str
    ) -> Response:
        lang = state.lang if state else lang
        form = self._form(code, value, state, lang)
        response = self.pages.confirm_stop(request, lang, form=form, back=f"/c/{code}")
        cookie.set_on(response, value)
        return response

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
        form = self._form(code, value, state, state.lang)
        shown = [note, *messages] if note is not None else messages
        response = self.pages.screen(
            request,
            shown,
            state.lang,
            flow=state.flow,
            form=form,
            status=status,
            limit=engine.text_limit(flow, state),
            answers=self._answers(flow, state, shown),
        )
        cookie.set_on(response, value)
        return response

    async def _reply(
        self, request: Request, code: str, value: str, reply: Reply, lang: str, kept: str = ""
    ) -> Response:
        state = reply.state
        if state is None and reply.open:  # nothing saved this time: the draft as it was
            state = await self._state(value)
        if state is None:
            # Sent, stopped or never started: the cookie goes, and the page says how to
            # leave no trace on a shared device.
            sent = any(m.node in self.ends for m in reply.messages)
            messages, code_shown = reply.messages, reply.receipt
            if sent:  # the page's own "✓ Sent — thank you" heading says it, once
                messages = [m for m in messages if m.node not in self.ends]
            if code_shown:  # laid out for the web: a box, a copy button, the removal link
                messages = [m for m in messages if code_shown not in m.text]
            response = self.pages.screen(
                request, messages, lang, flow=None, form=None, sent=sent, receipt=code_shown
            )
            cookie.clear_on(response)
            return response
        form = self._form(code, value, state, state.lang)
        service = self.services.conversations
        flow = service.flow_of(state.flow, state.version) or self.services.flows.get(state.flow)
        response = self.pages.screen(
            request,
            reply.messages,
            state.lang,
            flow=state.flow,
            form=form,
            limit=engine.text_limit(flow, state) if flow else None,
            kept=kept,
            answers=self._answers(flow, state, reply.messages) if flow else None,
        )
        cookie.set_on(response, value)
        return response

    def _answers(self, flow: Flow, state: State, messages: list[Say]) -> list[Answer]:
        """The review's answers, for its rows; only while the check-in is open (AN-12)."""
        nodes = [flow.node(m.node) for m in messages if m.kind == "review" and m.node]
        view = View(flow, self.services.conversations.kit, state)
        return [a for node in nodes if isinstance(node, ReviewNode) for a in node.answers(view)]

    async def _state(self, value: str) -> State | None:
        """The conversation's language and question set, for the page around the reply."""
        return await self.services.conversations.current(CHANNEL, value)
