"""Administration: accounts and their roles and teams, teams, settings, the audit log.

Admins see no report data (SEC-12): nothing here reads submissions. Every change is
audited with what changed (SEC-17); a changed role ends that person's sessions, so the new
rights start from a fresh login (SEC-06).
"""

from __future__ import annotations

import asyncio
import re

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.branding import MAX_BYTES as LOGO_MAX_BYTES
from admin.console.branding import LogoError, logo_uri, reencode
from admin.console.context import K_SETTING, Actor, Console
from admin.console.guard import NotFound, audit_params
from admin.console.permissions import ROLES
from storage import accounts, branding, catalog

USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
MAX_K = 100
# What a redirect after a change says (`?done=`): fixed wording, never text from the request.
DONE = {
    "added": "The account was added.",
    "role": "The role and teams were saved; they sign in again to use them.",
    "disabled": "The account was disabled and signed out everywhere.",
    "enabled": "The account was enabled.",
    "reset": "Their second step was reset; they set up a new app at their next sign-in.",
    "team": "The team was added.",
    "renamed": "The team was renamed.",
    "archived": "The team was archived: its history stays, it takes no new invites.",
    "restored": "The team was brought back.",
    "settings": "The settings were saved.",
}


def done(request: Request) -> str:
    return DONE.get(request.query_params.get("done", ""), "")


def _saved(path: str, what: str) -> Response:
    return RedirectResponse(f"{path}?done={what}", status_code=303)


async def _users_page(
    console: Console,
    request: Request,
    actor: Actor,
    error: str = "",
    values: dict[str, object] | None = None,
) -> Response:
    """`values`: a failed add's own entries (never the password), so nothing is retyped."""
    async with console.services.db.read() as conn:
        people = await accounts.users(conn)
        teams = await catalog.teams(conn)
        workers = {w: name for w, _, name in await catalog.workers(conn)}
        signed_in = await accounts.last_sign_ins(conn)
    context = {
        "people": people,
        "teams": teams,
        "team_names": dict(teams),
        "team_text": {p.id: ", ".join(sorted(n for t, n in teams if t in p.teams)) for p in people},
        "workers": workers,
        "signed_in": signed_in,
        "roles": ROLES,
        "error": error,
        "done": done(request),
        "values": values or {},
    }
    return console.render(request, "users.html", context, actor=actor, status=400 if error else 200)


async def users(console: Console, request: Request, actor: Actor) -> Response:
    return await _users_page(console, request, actor)


async def edit_user(console: Console, request: Request, actor: Actor) -> Response:
    """One person's role, teams, second step and status, each with its own action."""
    user = await _other_user(console, request, actor)
    async with console.services.db.read() as conn:
        teams = await catalog.teams(conn)
    context = {"p": user, "teams": teams, "roles": ROLES}
    return console.render(request, "user_edit.html", context, actor=actor)


def _team_ids(form: object, known: set[str]) -> list[str]:
    return [t for t in form.getlist("teams") if isinstance(t, str) and t in known]  # type: ignore[attr-defined]


async def create_user(console: Console, request: Request, actor: Actor) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip().lower()
    role = str(form.get("role") or "")
    password = str(form.get("password") or "")
    worker_name = str(form.get("worker_name") or "").strip()[:120]
    async with console.services.db.read() as conn:
        known = {t for t, _ in await catalog.teams(conn)}
        taken = await accounts.user_by_name(conn, username) is not None
    team_ids = _team_ids(form, known)
    error = None
    if not USERNAME.fullmatch(username):
        error = "Usernames are 3 to 64 lower-case letters, digits, dots, dashes or underscores."
    elif taken:
        error = "That username is taken."
    elif role not in ROLES:
        error = "Choose a role."
    elif role == "worker" and worker_name and not team_ids:
        error = "A worker's name needs a team."
    else:
        org = console.services.settings.org_name
        # zxcvbn takes up to 0.15 s on 128 characters: off the event loop.
        error = await asyncio.to_thread(console.policy.problem, password, username, org)
    if error:
        values = {"username": username, "role": role, "teams": team_ids, "worker_name": worker_name}
        return await _users_page(console, request, actor, error, values)
    password_hash = await asyncio.to_thread(console.passwords.hash, password)
    async with console.services.db.write() as conn:
        worker_id = None
        if role == "worker" and worker_name:
            worker_id = await catalog.add_worker(conn, team_ids[0], worker_name)
        user_id = await accounts.add_user(
            conn,
            username=username,
            password_hash=password_hash,
            role=role,
            team_ids=team_ids,
            now=console.now(),
            worker_id=worker_id,
        )
    if worker_id:
        await console.services.refresh_scrubber()  # the new name joins the deny-list (AN-14)
    audit_params(request, {"user": user_id, "role": role, "teams": ",".join(sorted(team_ids))})
    return _saved("/admin/users", "added")


async def _other_user(console: Console, request: Request, actor: Actor) -> accounts.User:
    async with console.services.db.read() as conn:
        user = await accounts.user_by_id(conn, request.path_params["user_id"])
    if user is None or user.id == actor.user.id:
        raise NotFound  # admins change others, so the last admin cannot lock everyone out
    return user


async def change_role(console: Console, request: Request, actor: Actor) -> Response:
    user = await _other_user(console, request, actor)
    form = await request.form()
    role = str(form.get("role") or "")
    if role not in ROLES:
        return await _users_page(console, request, actor, "Choose a role.")
    async with console.services.db.write() as conn:
        known = {t for t, _ in await catalog.teams(conn)}
        team_ids = _team_ids(form, known)
        await accounts.set_role(conn, user.id, role, team_ids)
        await accounts.delete_user_sessions(conn, user.id)
    audit_params(
        request,
        {"user": user.id, "old_role": user.role, "role": role, "teams": ",".join(sorted(team_ids))},
    )
    return _saved("/admin/users", "role")


async def _set_disabled(
    console: Console, request: Request, actor: Actor, disable: bool
) -> Response:
    user = await _other_user(console, request, actor)
    async with console.services.db.write() as conn:
        await accounts.set_disabled(conn, user.id, console.now() if disable else None)
        await accounts.delete_user_sessions(conn, user.id)
    audit_params(request, {"user": user.id})
    return _saved("/admin/users", "disabled" if disable else "enabled")


async def disable(console: Console, request: Request, actor: Actor) -> Response:
    return await _set_disabled(console, request, actor, True)


async def enable(console: Console, request: Request, actor: Actor) -> Response:
    return await _set_disabled(console, request, actor, False)


async def reset_mfa(console: Console, request: Request, actor: Actor) -> Response:
    """For a lost phone: the person sets up a new authenticator at their next login."""
    user = await _other_user(console, request, actor)
    async with console.services.db.write() as conn:
        await accounts.set_totp(conn, user.id, None)
        await accounts.delete_user_sessions(conn, user.id)
    audit_params(request, {"user": user.id})
    return _saved("/admin/users", "reset")


async def _teams_page(
    console: Console, request: Request, actor: Actor, error: str = "", name: str = ""
) -> Response:
    async with console.services.db.read() as conn:
        teams = await catalog.teams(conn)
        archived = await catalog.archived_teams(conn)
    context = {
        "teams": teams,
        "archived": archived,
        "error": error,
        "done": done(request),
        "name": name,
    }
    return console.render(request, "teams.html", context, actor=actor, status=400 if error else 200)


async def teams(console: Console, request: Request, actor: Actor) -> Response:
    return await _teams_page(console, request, actor)


async def _name_problem(console: Console, name: str, team_id: str = "") -> str:
    if not 1 <= len(name) <= 120:
        return "Give a name of 1 to 120 characters."
    async with console.services.db.read() as conn:
        if any(n == name and t != team_id for t, n in await catalog.teams(conn)):
            return "There is already a team of that name."
    return ""


async def create_team(console: Console, request: Request, actor: Actor) -> Response:
    name = str((await request.form()).get("name") or "").strip()
    if problem := await _name_problem(console, name):
        return await _teams_page(console, request, actor, problem, name[:120])
    async with console.services.db.write() as conn:
        team_id = await catalog.add_team(conn, name)
    audit_params(request, {"team": team_id})
    return _saved("/admin/teams", "team")


async def _settings_page(
    console: Console, request: Request, actor: Actor, error: str = ""
) -> Response:
    await console.refresh_k()
    s = console.services.settings
    context = {
        "k": console.k,
        "k_floor": s.k_threshold,
        "max_k": MAX_K,
        "period": s.report_period,
        "worker_results": s.worker_results,
        "report_limit": console.report_limit,
        "logo": await logo_uri(console.services.db),
        "logo_max_mb": LOGO_MAX_BYTES // (1024 * 1024),
        "error": error,
        "done": done(request),
    }
    return console.render(
        request, "settings.html", context, actor=actor, status=400 if error else 200
    )


async def settings(console: Console, request: Request, actor: Actor) -> Response:
    return await _settings_page(console, request, actor)


async def save_settings(console: Console, request: Request, actor: Actor) -> Response:
    """k may be raised above the deployment's K_THRESHOLD, never lowered below it (SDC-02)."""
    text = str((await request.form()).get("k") or "").strip()
    floor = console.services.settings.k_threshold
    if not text.isdigit() or not floor <= int(text) <= MAX_K:
        return await _settings_page(
            console, request, actor, f"k must be a whole number from {floor} to {MAX_K}."
        )
    await console.refresh_k()
    old = console.k
    async with console.services.db.write() as conn:
        await accounts.set_setting(conn, K_SETTING, str(int(text)), console.now(), actor.user.id)
    audit_params(request, {"key": K_SETTING, "old": old, "new": int(text)})
    return _saved("/admin/settings", "settings")


async def save_logo(console: Console, request: Request, actor: Actor) -> Response:
    """The poster logo (issue 15): kept only as the PNG re-encoded from the upload."""
    form = await request.form()
    upload = form.get("logo")
    try:
        data = await upload.read(LOGO_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()  # the upload's temporary file goes now, not at collection
    try:
        png = reencode(data)
    except LogoError as error:
        return await _settings_page(console, request, actor, str(error))
    async with console.services.db.write() as conn:
        await branding.set_logo(conn, png, console.now(), actor.user.id)
    audit_params(request, {"logo": "set", "bytes": len(png)})
    return RedirectResponse("/admin/settings", status_code=303)


async def remove_logo(console: Console, request: Request, actor: Actor) -> Response:
    async with console.services.db.write() as conn:
        removed = await branding.remove_logo(conn)
    audit_params(request, {"logo": "removed", "changed": removed})
    return RedirectResponse("/admin/settings", status_code=303)


async def audit_log(console: Console, request: Request, actor: Actor) -> Response:
    before = request.query_params.get("before", "")
    if before and not before.isdigit():
        raise NotFound
    async with console.services.db.read() as conn:
        events = await accounts.audit_events(conn, 200, int(before) if before else None)
        people = {u.id: u.username for u in await accounts.users(conn)}
    audit_params(request, {"before": int(before) if before else None})
    context = {
        "events": events,
        "people": people,
        "older": events[-1].id if len(events) == 200 else None,
    }
    return console.render(request, "audit.html", context, actor=actor)


async def _team(console: Console, request: Request) -> tuple[str, str, bool]:
    """(id, name, archived) of the team in the path, or not found."""
    team_id = request.path_params["team_id"]
    async with console.services.db.read() as conn:
        names = dict(await catalog.teams(conn))
        archived = team_id in await catalog.archived_teams(conn)
    if team_id not in names:
        raise NotFound
    return team_id, names[team_id], archived


async def _team_page(
    console: Console, request: Request, actor: Actor, error: str = "", name: str = ""
) -> Response:
    team_id, current, archived = await _team(console, request)
    context = {
        "team_id": team_id,
        "current": current,
        "archived": archived,
        "name": name or current,
        "error": error,
    }
    status = 400 if error else 200
    return console.render(request, "team_edit.html", context, actor=actor, status=status)


async def edit_team(console: Console, request: Request, actor: Actor) -> Response:
    return await _team_page(console, request, actor)


async def rename_team(console: Console, request: Request, actor: Actor) -> Response:
    team_id, old, _ = await _team(console, request)
    name = str((await request.form()).get("name") or "").strip()
    if problem := await _name_problem(console, name, team_id):
        return await _team_page(console, request, actor, problem, name[:120])
    async with console.services.db.write() as conn:
        await catalog.rename_team(conn, team_id, name)
    audit_params(request, {"team": team_id, "renamed": old != name})
    return _saved("/admin/teams", "renamed")


async def _archive(console: Console, request: Request, archive: bool) -> Response:
    team_id, _, _ = await _team(console, request)
    async with console.services.db.write() as conn:
        await catalog.set_archived(conn, team_id, console.now() if archive else None)
    audit_params(request, {"team": team_id})
    return _saved("/admin/teams", "archived" if archive else "restored")


async def archive_team(console: Console, request: Request, actor: Actor) -> Response:
    return await _archive(console, request, True)


async def restore_team(console: Console, request: Request, actor: Actor) -> Response:
    return await _archive(console, request, False)
