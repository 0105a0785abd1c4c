"""The question-set editor (issue 15): an admin makes a new version from the current one,
changes its wording per language (with reading-age feedback, CC-09), reorders, adds or
removes optional questions; a second person approves it, and only then do new check-ins
use it. Check-ins under way finish on the version they began with.

Every version is validated by the same model as the YAML files before it is saved. The
page lists every question as young people will read it, and links to the draft in the
web chat's own screens (`question_preview`), which store nothing. Saving and approving
are audited by the guard (questions.write, questions.approve) with ids only.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from flows.editing import CORE, Edit, NewQuestion, next_version, questions, reading, revise
from flows.loader import FlowError, flow_files
from flows.model import Flow
from flows.nodes.base import View
from flows.state import State
from storage import question_sets as store

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg (Welsh)"}


async def page(console: Console, request: Request, actor: Actor, error: str = "") -> Response:
    async with console.services.db.read() as conn:
        drafts = await store.drafts(conn)
        published = await store.published(conn)
    context = {
        "live": sorted(console.services.flows.values(), key=lambda f: f.id),
        "drafts": drafts,
        "published": list(reversed(published)),
        "error": error,
    }
    return console.render(
        request, "questions.html", context, actor=actor, status=400 if error else 200
    )


async def _current(console: Console, flow_id: str) -> Flow | None:
    """The newest version of a set with every question (options not applied)."""
    async with console.services.db.read() as conn:
        mine = [v.flow for v in await store.published(conn) if v.flow.id == flow_id]
    installed = flow_files().get(flow_id)
    candidates = [f for f in (*mine, installed) if f is not None]
    return max(candidates, key=lambda f: f.version) if candidates else None


async def create(console: Console, request: Request, actor: Actor) -> Response:
    """A new draft version from the current one."""
    flow_id = str((await request.form()).get("flow", ""))
    current = await _current(console, flow_id)
    if current is None or flow_id not in console.services.flows:
        return await page(console, request, actor, "Choose a question set from the list.")
    async with console.services.db.read() as conn:
        if any(d.flow.id == flow_id for d in await store.drafts(conn)):
            message = "A new version of this set is already being written: finish that one first."
            return await page(console, request, actor, message)
        after = await store.highest_version(conn, flow_id)
    draft = next_version(current, after)
    async with console.services.db.write() as conn:
        draft_id = await store.add_draft(conn, draft, actor.user.id, console.now())
    audit_params(request, {"question_set": draft_id, "flow": flow_id, "version": draft.version})
    return RedirectResponse(f"/admin/questions/{draft_id}", status_code=303)


async def _draft(console: Console, request: Request) -> store.Version:
    async with console.services.db.read() as conn:
        found = await store.get(conn, request.path_params["draft_id"])
    if found is None or found.published_at is not None:
        raise NotFound
    return found


def _preview(console: Console, flow: Flow) -> dict[str, list[str]]:
    """Every question as the chat shows it, per language, with the organisation's names."""
    kit = console.services.conversations.kit
    out: dict[str, list[str]] = {}
    for lang in flow.languages:
        for node in questions(flow):
            view = View(flow, kit, State(flow.id, lang, node.id, version=flow.version))
            out.setdefault(lang, []).append(node.numbered_text(view))
    return out


async def editor(
    console: Console,
    request: Request,
    actor: Actor,
    error: str = "",
    draft: store.Version | None = None,
) -> Response:
    draft = draft or await _draft(console, request)
    flow = draft.flow
    context: dict[str, Any] = {
        "draft": draft,
        "flow": flow,
        "questions": questions(flow),
        "core": CORE,
        "languages": [(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in flow.languages],
        "reading": reading,
        "preview": _preview(console, flow),
        "error": error,
        "mine": draft.written_by == actor.user.id,
    }
    status = 400 if error else 200
    return console.render(request, "question_set.html", context, actor=actor, status=status)


def _edits(flow: Flow, form: FormData) -> dict[str, Edit]:
    def field(name: str) -> str:
        return str(form.get(name, ""))

    edits = {}
    for index, node in enumerate(questions(flow)):
        try:
            position = float(field(f"{node.id}.position") or index + 1)
        except ValueError:
            position = float(index + 1)
        edits[node.id] = Edit(
            text={lang: field(f"{node.id}.text.{lang}") for lang in flow.languages},
            short={lang: field(f"{node.id}.short.{lang}") for lang in flow.languages},
            position=position,
            remove=field(f"{node.id}.remove") == "yes",
        )
    return edits


def _new(flow: Flow, form: FormData) -> NewQuestion | None:
    new_id = str(form.get("new.id", "")).strip()
    if not new_id:
        return None
    return NewQuestion(
        id=new_id,
        kind=str(form.get("new.kind", "text")),
        text={lang: str(form.get(f"new.text.{lang}", "")) for lang in flow.languages},
        short={lang: str(form.get(f"new.short.{lang}", "")) for lang in flow.languages},
    )


async def save(console: Console, request: Request, actor: Actor) -> Response:
    draft = await _draft(console, request)
    audit_params(request, {"question_set": draft.id})
    if draft.written_by != actor.user.id:
        return await editor(console, request, actor, "Only its author changes a draft.", draft)
    form = await request.form()
    try:
        changed = revise(draft.flow, _edits(draft.flow, form), _new(draft.flow, form))
    except FlowError as exc:
        return await editor(console, request, actor, f"Not saved. {exc}", draft)
    async with console.services.db.write() as conn:
        if not await store.save_draft(conn, draft.id, changed):
            raise NotFound
    return RedirectResponse(f"/admin/questions/{draft.id}#saved", status_code=303)


async def approve(console: Console, request: Request, actor: Actor) -> Response:
    draft = await _draft(console, request)
    audit_params(request, {"question_set": draft.id, "version": draft.flow.version})
    if draft.written_by == actor.user.id:
        message = "A second person must approve this: not its author."
        return await editor(console, request, actor, message, draft)
    async with console.services.db.write() as conn:
        if not await store.publish(conn, draft.id, actor.user.id, console.now()):
            raise NotFound
    await console.services.refresh_questions()
    return RedirectResponse("/admin/questions", status_code=303)
