"""A draft question set in the real web chat, without storing anything (issue 15).

The screens are the web chat's own (its templates, styles and script, and the real
engine), served under the console so only staff reach them. Nothing is written: the
conversation's state travels in the page, signed so it cannot be edited, and what the
engine would store or pass on (Send, "talk to a person", safety counts) is dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound
from admin.webchat.chat import to_input
from admin.webchat.pages import Form, Pages
from flows import engine
from flows.events import Say
from flows.inputs import Start
from flows.state import State
from storage import question_sets as store

NOTE = "Preview of a new version: nothing you do here is kept or passed on to anyone."


def _sign(console: Console, draft_id: str, state: str) -> str:
    key = hmac.digest(console.services.conversations.pepper, b"question preview", "sha256")
    return hmac.new(key, f"{draft_id}|{state}".encode(), hashlib.sha256).hexdigest()


def _carried(console: Console, draft_id: str, state: State | None) -> str:
    if state is None:
        return ""
    body = json.dumps(state.to_dict(), separators=(",", ":"))
    return f"{_sign(console, draft_id, body)}.{body}"


def _state(console: Console, draft_id: str, carried: str) -> State | None:
    mac, _, body = carried.partition(".")
    if not body or not hmac.compare_digest(mac, _sign(console, draft_id, body)):
        return None
    return State.from_dict(json.loads(body))


async def preview(console: Console, request: Request, actor: Actor) -> Response:
    draft_id = request.path_params["draft_id"]
    async with console.services.db.read() as conn:
        draft = await store.get(conn, draft_id)
    if draft is None or draft.published_at is not None:
        raise NotFound
    flow = draft.flow.with_options(console.services.settings.flow_options)
    pages = Pages(console.services)
    kit = console.services.conversations.kit
    if request.method == "GET":
        lang = pages.lang(request.query_params.get("lang"))
        result = engine.step(flow, None, Start((("team", "preview"),), lang), kit)
    else:
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        lang = pages.lang(fields.get("lang"))
        before = _state(console, draft_id, fields.get("state", ""))
        if before is None:
            result = engine.step(flow, None, Start((("team", "preview"),), lang), kit)
        else:
            result = engine.step(flow, before, to_input(fields), kit)
    shown = [Say(NOTE), *(e for e in result.events if isinstance(e, Say))]
    lang = result.state.lang if result.state else lang
    action = f"/admin/questions/{draft_id}/preview"
    carried = _carried(console, draft_id, result.state)
    # No step token: the draft travels signed in the page itself (`state`), not on the server.
    csrf = actor.session.csrf_token
    form_out = Form(action, csrf, lang, step="", state=carried) if result.state else None
    return pages.screen(request, shown, lang, flow=flow.id, form=form_out)
