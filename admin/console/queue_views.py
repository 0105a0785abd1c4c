"""The safeguarding lead's queue of help requests young people chose to send (SG-07, SG-08,
CC-25). Only the dsl role reaches it; every view and every "handled" is audited (SEC-17).

Each request shows its age (hours or days, never a time), language and team, and the way
to reach them, unsealed only here. Fifty to a page. "Handled" records who and a short
outcome note, sealed like the contact; the audit log gets the request id, never the note.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from flows.safety.detector import WORKER_ALLEGATION
from storage import help_requests as queries
from storage import reports

PAGE_SIZE = 50
MAX_OUTCOME = 1000
LANGUAGES = {"en": "English", "cy": "Welsh"}


def age_text(delta: dt.timedelta) -> str:
    """A queue age a person reads at a glance. Requests keep only their hour, so the
    age is in hours, then days: "under an hour" rather than a made-up minute count."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def queue(console: Console, request: Request, actor: Actor) -> Response:
    page = _page_number(request)
    offset = (page - 1) * PAGE_SIZE
    async with console.services.db.read() as conn:
        waiting = await queries.count_open(conn)
        oldest = await queries.oldest_open(conn)
        items = await queries.open_requests(conn, limit=PAGE_SIZE, offset=offset)
        handled = await queries.handled_requests(conn, limit=20)
        month = console.services.conversations.period(console.now())
        about_staff = await reports.paused_for(conn, month, WORKER_ALLEGATION)
    now = console.now()
    unseal = console.services.sealer.unseal
    context = {
        "items": [
            {
                "id": item.id,
                "kind": item.kind,
                "age": age_text(now - item.created_at),
                "language": LANGUAGES.get(item.lang, item.lang),
                "team": item.team or "not known",
                "contact": unseal(item.sealed_contact),
            }
            for item in items
        ],
        "waiting": waiting,
        "oldest": age_text(now - oldest) if oldest is not None else None,
        "page": page,
        "pages": max(1, -(-waiting // PAGE_SIZE)),
        "handled": [
            {
                "when": item.handled_at.strftime("%d %b %Y") if item.handled_at else "",
                "by": item.handled_by or "an account since removed",
                "outcome": unseal(item.sealed_outcome) if item.sealed_outcome else "",
                "kind": item.kind,
                "team": item.team or "not known",
            }
            for item in handled
        ],
        "max_outcome": MAX_OUTCOME,
        "about_staff": about_staff,
    }
    audit_params(request, {"open": waiting, "page": page})
    return console.render(request, "queue.html", context, actor=actor)


async def mark_handled(console: Console, request: Request, actor: Actor) -> Response:
    item_id = request.path_params["item_id"]
    form = await request.form()
    note = form.get("outcome")
    outcome = note.strip()[:MAX_OUTCOME] if isinstance(note, str) else ""
    if not outcome:
        return Response(
            "Please write a short outcome note (what was done) before marking it handled.",
            status_code=400,
            media_type="text/plain",
        )
    sealed = console.services.sealer.seal(outcome)
    async with console.services.db.write() as conn:
        done = await queries.mark_handled(conn, item_id, actor.user.id, console.now(), sealed)
    if not done:
        raise NotFound
    audit_params(request, {"item": item_id})
    if request.headers.get("hx-request"):
        return Response("", media_type="text/html")
    return RedirectResponse("/admin/queue", status_code=303)
