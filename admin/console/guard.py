"""The one wrapper every console endpoint runs inside.

In order: find the session (idle and absolute timeouts), check the login stage, the role
(deny by default), the CSRF token on every POST (403 without), and the hourly report
budget (429, audited); then run the view, write its audit event, and turn any error into
a generic page with a correlation id (SEC-19) — never a stack trace or partial data.

GET handlers change no application data. Two writes are bookkeeping, not state: the
session's last-seen time (needed for the idle timeout) and audit events for views that
must be logged (report views, queue access, SEC-17).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.permissions import RULES, Rule, allowed
from admin.console.sessions import COOKIE, clear_cookie, token_hash
from admin.console.throttle import report_key
from storage import accounts, throttles

_log = logging.getLogger(__name__)

View = Callable[[Console, Request, Actor], Awaitable[Response]]
LOGIN = "/admin/login"
STAGE_PAGES = {"mfa": "/admin/mfa", "enrol": "/admin/mfa/setup"}


class NotFound(Exception):
    """Unknown or out-of-scope object: both look the same from outside (SEC-13)."""


def audit_params(request: Request, params: Mapping[str, str | int | bool | None]) -> None:
    """Let a view record the validated parameters of what it showed (SEC-17)."""
    request.state.audit_params = dict(params)


async def load_actor(console: Console, request: Request) -> Actor | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    key = token_hash(token)
    now = console.now()
    async with console.services.db.read() as conn:
        row = await accounts.session(conn, key)
        user = await accounts.user_by_id(conn, row.user_id) if row else None
    if row is None or user is None:
        return None
    if user.disabled or console.sessions.expired(row, now):
        async with console.services.db.write() as conn:
            await accounts.delete_session(conn, key)
        return None
    if console.sessions.needs_touch(row, now):
        async with console.services.db.write() as conn:
            await accounts.touch_session(conn, key, now)
    return Actor(user, row)


async def csrf_ok(request: Request, expected: str) -> bool:
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def guard(console: Console, name: str, view: View) -> Callable[[Request], Awaitable[Response]]:
    rule = RULES[name]  # a route without a declared rule cannot be mounted

    async def endpoint(request: Request) -> Response:
        request.state.request_id = secrets.token_hex(8)
        try:
            return await _run(console, rule, view, request)
        except NotFound:
            return _page(console, request, "Not found", 404)
        except Exception:
            _log.exception("console error (request %s)", request.state.request_id)
            return _page(console, request, "Something went wrong", 500)

    endpoint.__name__ = name
    return endpoint


async def _run(console: Console, rule: Rule, view: View, request: Request) -> Response:
    actor = await load_actor(console, request)
    if actor is None:
        if request.method == "GET":
            response: Response = RedirectResponse(LOGIN, status_code=303)
        else:
            response = _page(console, request, "Please log in again", 401)
        clear_cookie(response, COOKIE)
        return response
    stage = actor.session.stage
    if rule.stage != "any" and stage != rule.stage:
        target = STAGE_PAGES.get(stage, "/admin")
        return RedirectResponse(target, status_code=303)
    if not allowed(rule, actor.role):
        return _page(console, request, "You don't have access to this page", 403, actor)
    if request.method == "POST" and not await csrf_ok(request, actor.session.csrf_token):
        return _page(console, request, "This form has expired. Go back and try again", 403, actor)
    if rule.limited and not await _within_budget(console, actor):
        await console.audit(
            request, actor, "report.rate_limited", "denied", dict(request.path_params)
        )
        return _page(console, request, "Too many reports this hour. Try again later", 429, actor)
    if rule.limited:
        await console.refresh_k()
    try:
        response = await view(console, request, actor)
    except NotFound:
        if rule.audit:
            await console.audit(request, actor, rule.audit, "not_found", dict(request.path_params))
        raise
    if rule.audit:
        params = getattr(request.state, "audit_params", None) or dict(request.path_params)
        outcome = "ok" if response.status_code < 400 else f"http_{response.status_code}"
        await console.audit(request, actor, rule.audit, outcome, params)
    return response


async def _within_budget(console: Console, actor: Actor) -> bool:
    """Take one report view from the hourly budget, counted before the report is built, so
    parallel requests cannot overtake the count (SEC-14)."""
    taken = await throttles.take(
        console.services.db,
        report_key(actor.user.id),
        console.now(),
        dt.timedelta(hours=1),
        lambda marks: len(marks) < console.report_limit,
    )
    return taken is not None


def _page(
    console: Console, request: Request, title: str, status: int, actor: Actor | None = None
) -> Response:
    return console.render(
        request, "message.html", {"title": title, "status": status}, actor=actor, status=status
    )
