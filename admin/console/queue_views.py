"""The safeguarding lead's queue of help requests young people chose to send (SG-07, SG-08,
CC-25). Only the dsl role reaches it; every view and every "handled" is audited (SEC-17)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from storage import reports as queries


def age_text(delta: dt.timedelta) -> str:
    """A queue age a person reads at a glance: minutes, hours, then days."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


async def queue(console: Console, request: Request, actor: Actor) -> Response:
    async with console.services.db.read() as conn:
        items = await queries.open_help_requests(conn)
        handled = await queries.recently_handled(conn)
    now = console.now()
    context = {
        "items": [(item, age_text(now - item.created_at)) for item in items],
        "oldest": age_text(now - items[0].created_at) if items else None,
        "handled": handled,
    }
    audit_params(request, {"open": len(items)})
    return console.render(request, "queue.html", context, actor=actor)


async def mark_handled(console: Console, request: Request, actor: Actor) -> Response:
    item_id = request.path_params["item_id"]
    async with console.services.db.write() as conn:
        done = await queries.mark_handled(conn, item_id, actor.user.id, console.now())
    if not done:
        raise NotFound
    audit_params(request, {"item": item_id})
    if request.headers.get("hx-request"):
        return Response("", media_type="text/html")
    return RedirectResponse("/admin/queue", status_code=303)
