"""Logging in and out, the second factor, and changing one's password (SEC-01..09).

A failed login looks exactly the same whether the account exists, the password was wrong
or the name is being throttled: same page, same status, same time spent hashing.
"""

from __future__ import annotations

import asyncio
import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console import mfa
from admin.console.context import Actor, Console
from admin.console.guard import STAGE_PAGES, load_actor
from admin.console.passwords import MAX_LENGTH
from admin.console.sessions import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    clear_cookie,
    new_token,
    set_cookie,
    token_hash,
)
from admin.console.throttle import WINDOW, account_key, locked_until
from storage import accounts
from storage.accounts import User

FAILED = (
    "That username and password did not work, or there have been too many tries. "
    "Wait a few minutes and try again."
)
MFA_TRIES = 5


def _text(form: object, name: str, limit: int = MAX_LENGTH * 4) -> str:
    value = form.get(name)  # type: ignore[attr-defined]
    return value[:limit] if isinstance(value, str) else ""


def _login_page(console: Console, request: Request, token: str, error: str = "") -> Response:
    response = console.render(request, "login.html", {"login_csrf": token, "error": error})
    set_cookie(response, LOGIN_CSRF_COOKIE, token)
    return response


async def login_form(console: Console, request: Request) -> Response:
    actor = await load_actor(console, request)
    if actor is not None and actor.session.stage == "full":
        return RedirectResponse("/admin", status_code=303)
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    return _login_page(console, request, token)


async def login(console: Console, request: Request) -> Response:
    form = await request.form()
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    given = _text(form, "csrf", 100)
    if not cookie or not hmac.compare_digest(cookie.encode(), given.encode()):
        return console.render(
            request, "message.html", {"title": "This form has expired", "status": 403}, status=403
        )
    username = _text(form, "username", 200).strip().lower()
    password = _text(form, "password")
    key = account_key(username)
    now = console.now()
    async with console.services.db.read() as conn:
        failures = await accounts.failures_since(conn, key, now - WINDOW)
        user = await accounts.user_by_name(conn, username)
    if locked_until(failures, now) is not None:
        await console.audit(request, None, "login.throttled", "denied", {}, user=user)
        return _login_page(console, request, cookie, FAILED)
    stored = user.password_hash if user is not None and not user.disabled else None
    ok = await asyncio.to_thread(console.passwords.verify, stored, password)
    if not ok or user is None:
        async with console.services.db.write() as conn:
            await accounts.record_failure(conn, key, now)
        params = {"known_account": user is not None}
        await console.audit(request, None, "login.failed", "denied", params, user=user)
        return _login_page(console, request, cookie, FAILED)
    stage = "mfa" if user.totp_secret else "enrol" if user.role in mfa.MFA_ROLES else "full"
    token = new_token()
    async with console.services.db.write() as conn:
        await accounts.clear_failures(conn, key)
        if console.passwords.needs_rehash(user.password_hash):
            new_hash = await asyncio.to_thread(console.passwords.hash, password)
            await accounts.set_password_hash(conn, user.id, new_hash)
        await accounts.add_session(
            conn,
            id_hash=token_hash(token),
            user_id=user.id,
            stage=stage,
            csrf_token=new_token(),
            now=now,
            pending_totp=mfa.new_secret() if stage == "enrol" else None,
        )
    action = "login.ok" if stage == "full" else "login.password_ok"
    await console.audit(request, None, action, "ok", {"stage": stage}, user=user)
    response = RedirectResponse(STAGE_PAGES.get(stage, "/admin"), status_code=303)
    set_cookie(response, COOKIE, token)  # a fresh id at login: fixation is impossible
    clear_cookie(response, LOGIN_CSRF_COOKIE)
    return response


async def _full_session(console: Console, actor: Actor) -> Response:
    """Swap the half-logged-in session for a new full one (a new id at privilege change)."""
    token = new_token()
    async with console.services.db.write() as conn:
        await accounts.delete_session(conn, actor.session.id_hash)
        await accounts.add_session(
            conn,
            id_hash=token_hash(token),
            user_id=actor.user.id,
            stage="full",
            csrf_token=new_token(),
            now=console.now(),
        )
    response = RedirectResponse("/admin", status_code=303)
    set_cookie(response, COOKIE, token)
    return response


async def _mfa_failed(console: Console, request: Request, actor: Actor, page: str) -> Response:
    """Count a wrong code; after a few, the half-session ends and login starts again."""
    key = account_key("mfa|" + actor.user.id)
    now = console.now()
    async with console.services.db.write() as conn:
        await accounts.record_failure(conn, key, now)
        failures = await accounts.failures_since(conn, key, now - WINDOW)
        if len(failures) >= MFA_TRIES:
            await accounts.delete_session(conn, actor.session.id_hash)
    await console.audit(request, actor, "mfa.failed", "denied", {})
    if len(failures) >= MFA_TRIES:
        response = RedirectResponse("/admin/login", status_code=303)
        clear_cookie(response, COOKIE)
        return response
    return await _mfa_page(console, request, actor, page, "That code did not work. Try again.")


async def _mfa_page(
    console: Console, request: Request, actor: Actor, page: str, error: str = ""
) -> Response:
    context: dict[str, object] = {"error": error}
    secret = actor.session.pending_totp
    if page == "enrol.html" and secret:
        context["qr"] = mfa.provisioning_qr(
            secret, actor.user.username, console.services.settings.org_name
        )
        context["secret"] = secret
    return console.render(request, page, context, actor=actor)


async def mfa_form(console: Console, request: Request, actor: Actor) -> Response:
    return await _mfa_page(console, request, actor, "mfa.html")


async def mfa_check(console: Console, request: Request, actor: Actor) -> Response:
    code = _text(await request.form(), "code", 20)
    secret = actor.user.totp_secret
    step = mfa.matching_step(secret, code, console.now()) if secret else None
    if step is not None:
        async with console.services.db.write() as conn:
            fresh = await accounts.use_totp_step(conn, actor.user.id, step)
        if fresh:
            await console.audit(request, actor, "mfa.ok", "ok", {})
            return await _full_session(console, actor)
    return await _mfa_failed(console, request, actor, "mfa.html")


async def enrol_form(console: Console, request: Request, actor: Actor) -> Response:
    return await _mfa_page(console, request, actor, "enrol.html")


async def enrol_check(console: Console, request: Request, actor: Actor) -> Response:
    code = _text(await request.form(), "code", 20)
    secret = actor.session.pending_totp
    step = mfa.matching_step(secret, code, console.now()) if secret else None
    if secret is None or step is None:
        return await _mfa_failed(console, request, actor, "enrol.html")
    async with console.services.db.write() as conn:
        await accounts.set_totp(conn, actor.user.id, secret)
        await accounts.use_totp_step(conn, actor.user.id, step)
    await console.audit(request, actor, "mfa.enrolled", "ok", {})
    return await _full_session(console, actor)


async def logout(console: Console, request: Request, actor: Actor) -> Response:
    async with console.services.db.write() as conn:
        await accounts.delete_session(conn, actor.session.id_hash)
    await console.audit(request, actor, "logout", "ok", {})
    response = RedirectResponse("/admin/login", status_code=303)
    clear_cookie(response, COOKIE)
    return response


async def password_form(console: Console, request: Request, actor: Actor) -> Response:
    return console.render(request, "password.html", {"error": "", "done": False}, actor=actor)


async def password_change(console: Console, request: Request, actor: Actor) -> Response:
    form = await request.form()
    current, new, again = (_text(form, n) for n in ("current", "new", "again"))
    user: User = actor.user
    error = console.policy.problem(new, user.username)
    if new != again:
        error = "The two new passwords are different."
    if error is None and not await asyncio.to_thread(
        console.passwords.verify, user.password_hash, current
    ):
        error = "Your current password is not right."
    if error is not None:
        await console.audit(request, actor, "password.change", "denied", {})
        context = {"error": error, "done": False}
        return console.render(request, "password.html", context, actor=actor, status=400)
    new_hash = await asyncio.to_thread(console.passwords.hash, new)
    async with console.services.db.write() as conn:
        await accounts.set_password_hash(conn, user.id, new_hash)
        # Every other session ends with the old password (SEC-07); this one is renewed.
        await accounts.delete_user_sessions(conn, user.id)
    await console.audit(request, actor, "password.change", "ok", {})
    return await _full_session(console, actor)
