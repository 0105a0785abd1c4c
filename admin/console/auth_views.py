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
from admin.console.throttle import (
    MFA_WINDOW,
    WINDOW,
    account_key,
    locked_until,
    mfa_key,
    mfa_locked_until,
)
from storage import accounts, throttles
from storage.accounts import User

FAILED = (
    "That username and password did not work, or there have been too many tries. "
    "Wait a few minutes and try again."
)
WRONG_CODE = "That code did not work. Try again."
PAUSED = (
    "There have been too many wrong codes for this account, so its second factor is "
    "paused for 15 minutes. Try again after that."
)


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


def _stage(console: Console, user: User) -> str:
    """What is left after the password: nothing, a code, or setting up an authenticator.
    Only accounts the demo seed made skip the second factor, and only with DEMO_DATA on."""
    if user.demo and console.services.settings.demo_data:
        return "full"
    if user.totp_secret:
        return "mfa"
    return "enrol" if user.role in mfa.MFA_ROLES else "full"


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
    # Counted before the password is checked, so parallel guesses cannot overtake the count.
    taken = await throttles.take(
        console.services.db, key, now, WINDOW, lambda marks: locked_until(marks, now) is None
    )
    async with console.services.db.read() as conn:
        user = await accounts.user_by_name(conn, username)
    if taken is None:
        await console.audit(request, None, "login.throttled", "denied", {}, user=user)
        return _login_page(console, request, cookie, FAILED)
    stored = user.password_hash if user is not None and not user.disabled else None
    ok = await asyncio.to_thread(console.passwords.verify, stored, password)
    if not ok or user is None:
        params = {"known_account": user is not None}
        await console.audit(request, None, "login.failed", "denied", params, user=user)
        return _login_page(console, request, cookie, FAILED)
    await throttles.clear(console.services.db, key)
    stage = _stage(console, user)
    token = new_token()
    async with console.services.db.write() as conn:
        if console.passwords.needs_rehash(user.password_hash):
            new_hash = await asyncio.to_thread(console.passwords.hash, password)
            await accounts.set_password_hash(conn, user.id, new_hash)
        pending = mfa.seal(console.services.sealer, mfa.new_secret()) if stage == "enrol" else None
        await accounts.add_session(
            conn,
            id_hash=token_hash(token),
            user_id=user.id,
            stage=stage,
            csrf_token=new_token(),
            now=now,
            pending_totp=pending,
        )
    action = "login.ok" if stage == "full" else "login.password_ok"
    await console.audit(request, None, action, "ok", {"stage": stage}, user=user)
    response = RedirectResponse(STAGE_PAGES.get(stage, "/admin"), status_code=303)
    set_cookie(response, COOKIE, token)  # a fresh id at login: fixation is impossible
    clear_cookie(response, LOGIN_CSRF_COOKIE)
    return response


async def _full_session(
    console: Console, request: Request, actor: Actor, codes: list[str] | None = None
) -> Response:
    """Swap the half-logged-in session for a new full one (a new id at privilege change).
    New recovery codes are shown once; so is a note that the second factor was paused."""
    token = new_token()
    notice = actor.user.mfa_lock_notice and codes is None
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
        if notice:
            await accounts.set_mfa_lock_notice(conn, actor.user.id, False)
    response: Response
    if codes is not None:
        response = console.render(request, "recovery_codes.html", {"codes": codes})
    elif notice:
        response = console.render(request, "mfa_notice.html", {})
    else:
        response = RedirectResponse("/admin", status_code=303)
    set_cookie(response, COOKIE, token)
    return response


async def _take_mfa_try(console: Console, actor: Actor) -> throttles.Taken | None:
    """One try from the account's budget of codes, counted before the code is compared."""
    now = console.now()
    return await throttles.take(
        console.services.db,
        mfa_key(actor.user.id),
        now,
        MFA_WINDOW,
        lambda marks: mfa_locked_until(marks, now) is None,
    )


async def _mfa_failed(
    console: Console, request: Request, actor: Actor, page: str, taken: throttles.Taken
) -> Response:
    """A wrong code keeps its mark. The one that pauses the second factor ends this
    half-session, flags a notice for the holder and leaves an audit event for admins."""
    await console.audit(request, actor, "mfa.failed", "denied", {})
    if mfa_locked_until(taken.marks, console.now()) is None:
        return await _mfa_page(console, request, actor, page, WRONG_CODE)
    async with console.services.db.write() as conn:
        await accounts.set_mfa_lock_notice(conn, actor.user.id, True)
        await accounts.delete_session(conn, actor.session.id_hash)
    await console.audit(request, actor, "mfa.locked", "denied", {"user": actor.user.id})
    response = RedirectResponse("/admin/login", status_code=303)
    clear_cookie(response, COOKIE)
    return response


async def _mfa_page(
    console: Console, request: Request, actor: Actor, page: str, error: str = ""
) -> Response:
    context: dict[str, object] = {"error": error}
    pending = actor.session.pending_totp
    if page == "enrol.html" and pending:
        secret, _ = mfa.unseal(console.services.sealer, pending)
        context["qr"] = mfa.provisioning_qr(
            secret, actor.user.username, console.services.settings.org_name
        )
        context["secret"] = secret
    status = 429 if error == PAUSED else 200
    return console.render(request, page, context, actor=actor, status=status)


async def mfa_form(console: Console, request: Request, actor: Actor) -> Response:
    return await _mfa_page(console, request, actor, "mfa.html")


async def _code_ok(console: Console, request: Request, actor: Actor, code: str) -> bool:
    """A fresh authenticator code, or an unspent recovery code."""
    stored = actor.user.totp_secret
    if not stored:
        return False
    secret, plain = mfa.unseal(console.services.sealer, stored)
    if plain:  # stored before sealing: seal it in place now (SEC-21)
        async with console.services.db.write() as conn:
            sealed = mfa.seal(console.services.sealer, secret)
            await accounts.reseal_totp(conn, actor.user.id, secret, sealed)
    step = mfa.matching_step(secret, code, console.now())
    if step is not None:
        async with console.services.db.write() as conn:
            return await accounts.use_totp_step(conn, actor.user.id, step)
    recovery = mfa.recovery_hash(code)
    if recovery is None:
        return False
    async with console.services.db.write() as conn:
        used = await accounts.use_recovery_code(conn, actor.user.id, recovery)
    if used:
        await console.audit(request, actor, "mfa.recovery_code", "ok", {})
    return used


async def mfa_check(console: Console, request: Request, actor: Actor) -> Response:
    code = _text(await request.form(), "code", 32)
    taken = await _take_mfa_try(console, actor)
    if taken is None:
        await console.audit(request, actor, "mfa.throttled", "denied", {})
        return await _mfa_page(console, request, actor, "mfa.html", PAUSED)
    if await _code_ok(console, request, actor, code):
        await throttles.release(console.services.db, taken.mark)
        await console.audit(request, actor, "mfa.ok", "ok", {})
        return await _full_session(console, request, actor)
    return await _mfa_failed(console, request, actor, "mfa.html", taken)


async def enrol_form(console: Console, request: Request, actor: Actor) -> Response:
    return await _mfa_page(console, request, actor, "enrol.html")


async def enrol_check(console: Console, request: Request, actor: Actor) -> Response:
    code = _text(await request.form(), "code", 20)
    taken = await _take_mfa_try(console, actor)
    if taken is None:
        await console.audit(request, actor, "mfa.throttled", "denied", {})
        return await _mfa_page(console, request, actor, "enrol.html", PAUSED)
    pending = actor.session.pending_totp
    secret = mfa.unseal(console.services.sealer, pending)[0] if pending else None
    step = mfa.matching_step(secret, code, console.now()) if secret else None
    if pending is None or step is None:
        return await _mfa_failed(console, request, actor, "enrol.html", taken)
    await throttles.release(console.services.db, taken.mark)
    codes = mfa.new_recovery_codes()
    hashes = [h for h in map(mfa.recovery_hash, codes) if h is not None]
    async with console.services.db.write() as conn:
        await accounts.set_totp(conn, actor.user.id, pending)
        await accounts.use_totp_step(conn, actor.user.id, step)
        await accounts.add_recovery_codes(conn, actor.user.id, hashes)
    await console.audit(request, actor, "mfa.enrolled", "ok", {})
    return await _full_session(console, request, actor, codes)


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
    # zxcvbn takes up to 0.15 s on 128 characters: off the event loop.
    org = console.services.settings.org_name
    error = await asyncio.to_thread(console.policy.problem, new, user.username, org)
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
    return await _full_session(console, request, actor)
