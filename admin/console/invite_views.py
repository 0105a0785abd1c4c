"""Invites: a shared link, QR code and poster for a team or a worker and a question set.

An invite never names, targets or tracks a young person (AN-07): it takes a team, an
optional "about me" for the worker creating it, a question set, a label for staff (where
the poster goes) and an optional expiry. Many young people share one code.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote
from zoneinfo import ZoneInfo

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.guard import NotFound, audit_params
from storage import catalog
from storage.catalog import InviteInfo

MAX_LABEL = 120


def links(console: Console, invite: InviteInfo) -> dict[str, str]:
    """The web chat link always (it works for under-16s, CC-06); Telegram and WhatsApp when
    configured. WhatsApp's opens a chat with "START <code>" typed in, which the person
    sends themselves (the bot never writes first, CC-11) and could also type."""
    settings = console.services.settings
    code = quote(invite.code, safe="")
    out = {"web": f"{settings.public_url.rstrip('/')}/c/{code}"}
    if settings.telegram_bot_username:
        out["telegram"] = f"https://t.me/{settings.telegram_bot_username}?start={code}"
    number = "".join(ch for ch in settings.whatsapp_phone_number if ch.isdigit())
    if number:
        out["whatsapp"] = f"https://wa.me/{number}?text={quote('START ' + invite.code, safe='')}"
    return out


def qr(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


async def _scoped_invites(console: Console, actor: Actor) -> list[InviteInfo]:
    async with console.services.db.read() as conn:
        found = await catalog.invites(conn)
    return [i for i in found if actor.in_scope(i.team_id)]


async def _invite(console: Console, actor: Actor, invite_id: str) -> InviteInfo:
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
    return RedirectResponse(f"/admin/invites/{invite.id}", status_code=303)


async def show(console: Console, request: Request, actor: Actor) -> Response:
    invite = await _invite(console, actor, request.path_params["invite_id"])
    urls = links(console, invite)
    context = await _page_context(console, actor)
    context.update(invite=invite, links=urls, qrs={k: qr(u) for k, u in urls.items()})
    return console.render(request, "invite.html", context, actor=actor)


async def poster(console: Console, request: Request, actor: Actor) -> Response:
    invite = await _invite(console, actor, request.path_params["invite_id"])
    if not invite.usable(console.now()):
        raise NotFound
    urls = links(console, invite)
    context = {"invite": invite, "links": urls, "qrs": {k: qr(u, 8) for k, u in urls.items()}}
    return console.render(request, "poster.html", context, actor=actor)


async def revoke(console: Console, request: Request, actor: Actor) -> Response:
    invite = await _invite(console, actor, request.path_params["invite_id"])
    async with console.services.db.write() as conn:
        await catalog.revoke_invite(conn, invite.id, console.now())
    audit_params(request, {"invite": invite.id, "team": invite.team_id})
    if request.headers.get("hx-request"):
        revoked = await _invite(console, actor, invite.id)
        context = await _page_context(console, actor)
        context.update(invite=revoked)
        return console.render(request, "_invite_row.html", context, actor=actor)
    return RedirectResponse(f"/admin/invites/{invite.id}", status_code=303)


async def guidance(console: Console, request: Request, actor: Actor) -> Response:
    return console.render(request, "guidance.html", {}, actor=actor)
