"""Unusual volume on an invite (issue 10, SEC-25): check-ins that arrived beyond their
invite's expected pace are held out of every figure, and a second person decides.

Only admins see this page, and never an alert on an invite they made themselves (four-eyes:
the person who might have padded a team is not the one who lets the padding count). The
alert says which invite, which team and which hour, and how many check-ins are held:
nothing anyone said, nothing about who. Releasing and deleting are audited (SEC-17).
Check-ins of a closed reporting period can only be deleted (see `storage.pace`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from reports.gateway import months
from storage import pace


def _open_months(console: Console) -> tuple[str, ...]:
    return months(console.reports.current())


async def alerts(console: Console, request: Request, actor: Actor) -> Response:
    async with console.services.db.read() as conn:
        found = await pace.open_alerts(conn, actor.user.id, _open_months(console))
    return console.render(request, "alerts.html", {"alerts": found}, actor=actor)


async def waiting(console: Console, actor: Actor) -> int:
    """How many alerts wait for this admin, for their start page."""
    async with console.services.db.read() as conn:
        return len(await pace.open_alerts(conn, actor.user.id, _open_months(console)))


async def release(console: Console, request: Request, actor: Actor) -> Response:
    return await _resolve(console, request, actor, release=True)


async def delete(console: Console, request: Request, actor: Actor) -> Response:
    return await _resolve(console, request, actor, release=False)


async def _resolve(console: Console, request: Request, actor: Actor, *, release: bool) -> Response:
    alert_id = request.path_params["alert_id"]
    async with console.services.db.write() as conn:
        changed = await pace.resolve(
            conn,
            alert_id,
            actor.user.id,
            release=release,
            open_months=_open_months(console),
            now=console.now(),
        )
    if changed is None:
        # Unknown, resolved, on an invite this admin made, or too late to release.
        raise NotFound  # unknown, already resolved, or on an invite this admin made
    audit_params(request, {"alert": alert_id, "check_ins": changed})
    return RedirectResponse("/admin/alerts", status_code=303)
