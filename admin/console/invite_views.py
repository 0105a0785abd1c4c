"""Invites: a shared link, QR code and poster for a team or a worker and a question set.

An invite never names, targets or tracks a young person (AN-07): it takes a team, an
optional "about me" for the worker creating it, a question set, a label for staff (where
the poster goes) and an optional expiry. Many young people share one code.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from admin.console.invite_links import Links, qr_svg_uri
from admin.console.invite_links import links as invite_links
from storage import catalog
from storage.catalog import InviteInfo

MAX_LABEL = 120
# What the invite page says after an action that redirected to it (?done=...).
DONE = {
    "created": "Invite created. Copy or share the link, or print the poster.",
    "revoked": "Invite revoked: it no longer opens a check-in.",
    "restored": "Revoke undone: the invite works again.",
}


def links(console: Console, invite: InviteInfo) -> Links:
    settings = console.services.settings
    return invite_links(
        settings.public_url, settings.telegram_bot_username, invite, settings.whatsapp_phone_number
    )


async def _scoped_invites(console: Console, actor: Actor) -> list[InviteInfo]:
    async with console.services.db.read() as conn:
        found = await catalog.invites(conn)
    return [i for i in found if actor.in_scope(i.team_id)]


async def scoped_invite(console: Console, actor: Actor, invite_id: str) -> InviteInfo:
    for invite in await _scoped_invites(console, actor):
        if invite.id == invite_id:
            return invite
    raise NotFound


async def _page_context(console: Console, actor: Actor) -> dict[str, object]:
    async with console.services.db.read() as conn:
        archived = await catalog.archived_teams(conn)
        teams = [(t, n) for t, n in await catalog.teams(conn) if actor.in_scope(t)]
        workers = {w: (team, name) for w, team, name in await catalog.workers(conn)}
    me = workers.get(actor.user.worker_id or "")
    return {
        # New invites only for active teams; an archived team's invites are still listed.
        "teams": [(t, n) for t, n in teams if t not in archived],
        "team_names": dict(teams),
        "me": me[1] if me and actor.in_scope(me[0]) else None,
        "flows": sorted((f.id, f.title.get("en", f.id)) for f in console.services.flows.values()),
        "now": console.now(),
        "local": ZoneInfo(console.services.settings.timezone),
    }


async def invites(console: Console, request: Request, actor: Actor, error: str = "") -> Response:
    context = await _page_context(console, actor)
    context.update(invites=await _scoped_invites(console, actor), error=error)
    return console.render(
        request, "invites.html", context, actor=actor, status=400 if error else 200
    )


def _expiry(text: str, timezone: str) -> dt.datetime | None:
    """The end of the chosen day in the organisation's time zone, stored as UTC."""
    day = dt.date.fromisoformat(text)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ZoneInfo(timezone))
    return end.astimezone(dt.UTC)


async def create(console: Console, request: Request, actor: Actor) -> Response:
    form = await request.form()
    team_id, flow_id, label, about, expires = (
        str(form.get(n) or "").strip() for n in ("team", "flow", "label", "about", "expires")
    )
    if not actor.in_scope(team_id):
        return await invites(console, request, actor, "Choose one of your teams.")
    async with console.services.db.read() as conn:
        if team_id in await catalog.archived_teams(conn):
            return await invites(console, request, actor, "That team is archived.")
    if flow_id not in console.services.flows:
        return await invites(console, request, actor, "Choose a question set.")
    if not 1 <= len(label) <= MAX_LABEL:
        return await invites(
            console, request, actor, f"Give a label of 1 to {MAX_LABEL} characters."
        )
    worker_id = None
    if about == "me":
        async with console.services.db.read() as conn:
            mine = {w: t for w, t, _ in await catalog.workers(conn)}
        if actor.user.worker_id is None or mine.get(actor.user.worker_id) != team_id:
            return await invites(console, request, actor, "You are not a worker in that team.")
        worker_id = actor.user.worker_id
    try:
        expires_at = _expiry(expires, console.services.settings.timezone) if expires else None
    except ValueError:
        return await invites(console, request, actor, "Give the expiry as a date.")
    if expires_at is not None and expires_at <= console.now():
        return await invites(console, request, actor, "The expiry date has already passed.")
    async with console.services.db.write() as conn:
        invite = await catalog.add_invite(
            conn,
            team_id=team_id,
            flow_id=flow_id,
            label=label,
            now=console.now(),
            worker_id=worker_id,
            created_by=actor.user.id,
            expires_at=expires_at,
        )
    audit_params(
        request,
        {"invite": invite.id, "team": team_id, "flow": flow_id, "about_me": bool(worker_id)},
    )
    return RedirectResponse(f"/admin/invites/{invite.id}?done=created", status_code=303)


async def show(console: Console, request: Request, actor: Actor) -> Response:
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    urls = links(console, invite)
    context = await _page_context(console, actor)
    qrs = {"web": qr_svg_uri(urls.web)}
    if urls.telegram:
        qrs["telegram"] = qr_svg_uri(urls.telegram)
    if urls.whatsapp:
        qrs["whatsapp"] = qr_svg_uri(urls.whatsapp)
    context.update(
        invite=invite,
        links=urls,
        qrs=qrs,
        done=DONE.get(request.query_params.get("done", ""), ""),
        undo_until=invite.undo_until(console.now()),
    )
    return console.render(request, "invite.html", context, actor=actor)


async def revoke_confirm(console: Console, request: Request, actor: Actor) -> Response:
    """Revoking asks first, on its own page, so it needs no JavaScript."""
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    if not invite.usable(console.now()):
        return RedirectResponse(f"/admin/invites/{invite.id}", status_code=303)
    context = await _page_context(console, actor)
    context.update(invite=invite, undo_hours=int(catalog.UNDO_REVOKE.total_seconds() // 3600))
    return console.render(request, "invite_revoke.html", context, actor=actor)


async def revoke(console: Console, request: Request, actor: Actor) -> Response:
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    async with console.services.db.write() as conn:
        done = await catalog.revoke_invite(conn, invite.id, console.now())
    audit_params(request, {"invite": invite.id, "team": invite.team_id, "changed": done})
    return RedirectResponse(f"/admin/invites/{invite.id}?done=revoked", status_code=303)


async def unrevoke(console: Console, request: Request, actor: Actor) -> Response:
    """Undo a revoke within a day of it (`catalog.UNDO_REVOKE`); after that it is final."""
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    async with console.services.db.write() as conn:
        done = await catalog.unrevoke_invite(conn, invite.id, console.now())
    audit_params(request, {"invite": invite.id, "team": invite.team_id, "changed": done})
    outcome = "?done=restored" if done else ""
    return RedirectResponse(f"/admin/invites/{invite.id}{outcome}", status_code=303)


async def guidance(console: Console, request: Request, actor: Actor) -> Response:
    return console.render(request, "guidance.html", {}, actor=actor)
