"""The console's routes, each mounted through the guard with its declared rule.

`routes(services)` is called by `admin.app.create_app`; it builds the console's parts
(password list, hasher, report service) here rather than at import time.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from admin.console import (
    admin_views,
    alert_views,
    auth_views,
    dashboard_views,
    invite_views,
    news_views,
    poster_views,
    question_preview,
    question_views,
    queue_views,
    report_views,
    theme_views,
    wording_views,
)
from admin.console.context import Actor, Console
from admin.console.guard import View, guard
from admin.console.passwords import PasswordPolicy, Passwords
from admin.console.permissions import READERS
from admin.console.sessions import SessionPolicy
from admin.templating import templates
from reports.service import Dimension
from themes.lexicon import load_lexicon
from youthvoice.bootstrap import Services

_log = logging.getLogger(__name__)

GET, POST = ["GET"], ["POST"]


async def home(console: Console, request: Request, actor: Actor) -> Response:
    """Managers and reviewers start on the dashboard; everyone else on their task list."""
    if actor.role in READERS:
        return RedirectResponse("/admin/dashboard", status_code=303)
    alerts = await alert_views.waiting(console, actor) if actor.role == "admin" else 0
    return console.render(request, "home.html", {"alerts": alerts}, actor=actor)


# (path, methods, rule name, view)
TABLE: list[tuple[str, list[str], str, View]] = [
    ("/admin", GET, "home", home),
    ("/admin/mfa", GET, "mfa", auth_views.mfa_form),
    ("/admin/mfa", POST, "mfa", auth_views.mfa_check),
    ("/admin/mfa/setup", GET, "enrol", auth_views.enrol_form),
    ("/admin/mfa/setup", POST, "enrol", auth_views.enrol_check),
    ("/admin/logout", POST, "logout", auth_views.logout),
    ("/admin/account/password", GET, "password", auth_views.password_form),
    ("/admin/account/password", POST, "password", auth_views.password_change),
    ("/admin/guidance", GET, "guidance", invite_views.guidance),
    ("/admin/invites", GET, "invites", invite_views.invites),
    ("/admin/invites", POST, "invite_create", invite_views.create),
    ("/admin/invites/{invite_id}", GET, "invite_show", invite_views.show),
    ("/admin/invites/{invite_id}/poster", GET, "invite_poster", poster_views.poster),
    ("/admin/invites/{invite_id}/qr/{link}.{kind}", GET, "invite_qr", poster_views.qr_download),
    ("/admin/invites/{invite_id}/revoke", GET, "invite_revoke_ask", invite_views.revoke_confirm),
    ("/admin/invites/{invite_id}/revoke", POST, "invite_revoke", invite_views.revoke),
    ("/admin/invites/{invite_id}/unrevoke", POST, "invite_unrevoke", invite_views.unrevoke),
    ("/admin/dashboard", GET, "dashboard", dashboard_views.show),
    ("/admin/dashboard/export", POST, "dashboard_export", dashboard_views.export),
    ("/admin/report/board", GET, "report_board", dashboard_views.board),
    ("/admin/reports", GET, "reports", report_views.index),
    ("/admin/reports/period/{period}/{scope}", GET, "report_period", report_views.period_view),
    ("/admin/reports/compare/{period}", GET, "report_compare", report_views.compare_view),
    ("/admin/reports/trends/{scope}", GET, "report_trends", report_views.trends_view),
    ("/admin/reports/themes/{period}/{scope}", GET, "report_themes", theme_views.themes_view),
    ("/admin/reports/safety/{period}", GET, "report_safety", report_views.safety_view),
    ("/admin/reports/export", POST, "report_export", report_views.export),
    ("/admin/my-results", GET, "my_results", report_views.my_results),
    ("/admin/my-results/{period}", GET, "my_results", report_views.my_results),
    ("/admin/queue", GET, "queue", queue_views.queue),
    ("/admin/queue/{item_id}/handled", POST, "queue_handled", queue_views.mark_handled),
    ("/admin/news", GET, "news", news_views.page),
    ("/admin/news", POST, "news_write", news_views.write),
    ("/admin/news/{news_id}/approve", POST, "news_approve", news_views.approve),
    ("/admin/questions", GET, "questions", question_views.page),
    ("/admin/questions", POST, "questions_create", question_views.create),
    ("/admin/questions/{draft_id}", GET, "questions_edit", question_views.editor),
    ("/admin/questions/{draft_id}", POST, "questions_save", question_views.save),
    ("/admin/questions/{draft_id}/preview", GET, "questions_preview", question_preview.preview),
    ("/admin/questions/{draft_id}/preview", POST, "questions_preview", question_preview.preview),
    ("/admin/questions/{draft_id}/approve", POST, "questions_approve", question_views.approve),
    ("/admin/users", GET, "users", admin_views.users),
    ("/admin/users", POST, "user_create", admin_views.create_user),
    ("/admin/users/{user_id}/edit", GET, "user_edit", admin_views.edit_user),
    ("/admin/users/{user_id}/role", POST, "user_role", admin_views.change_role),
    ("/admin/users/{user_id}/disable", POST, "user_disable", admin_views.disable),
    ("/admin/users/{user_id}/enable", POST, "user_enable", admin_views.enable),
    ("/admin/users/{user_id}/reset-mfa", POST, "user_reset_mfa", admin_views.reset_mfa),
    ("/admin/teams", GET, "teams", admin_views.teams),
    ("/admin/teams", POST, "team_create", admin_views.create_team),
    ("/admin/teams/{team_id}/edit", GET, "team_edit", admin_views.edit_team),
    ("/admin/teams/{team_id}/rename", POST, "team_rename", admin_views.rename_team),
    ("/admin/teams/{team_id}/archive", POST, "team_archive", admin_views.archive_team),
    ("/admin/teams/{team_id}/restore", POST, "team_restore", admin_views.restore_team),
    ("/admin/settings", GET, "settings", admin_views.settings),
    ("/admin/settings", POST, "settings_save", admin_views.save_settings),
    ("/admin/settings/logo", POST, "logo_save", admin_views.save_logo),
    ("/admin/settings/logo/remove", POST, "logo_remove", admin_views.remove_logo),
    ("/admin/audit", GET, "audit", admin_views.audit_log),
    ("/admin/wording", GET, "wording", wording_views.wording),
    ("/admin/alerts", GET, "alerts", alert_views.alerts),
    ("/admin/alerts/{alert_id}/release", POST, "alert_release", alert_views.release),
    ("/admin/alerts/{alert_id}/delete", POST, "alert_delete", alert_views.delete),
]


def _anonymous(
    console: Console, view: Callable[[Console, Request], Awaitable[Response]]
) -> Callable[[Request], Awaitable[Response]]:
    """The login page and form: no session yet, same last-resort error handling."""

    async def endpoint(request: Request) -> Response:
        request.state.request_id = secrets.token_hex(8)
        try:
            return await view(console, request)
        except Exception:
            _log.exception("console error (request %s)", request.state.request_id)
            context = {"title": "Something went wrong", "status": 500}
            return console.render(request, "message.html", context, status=500)

    return endpoint


def build_console(services: Services) -> Console:
    flows = services.flows.values()
    dims: dict[str, Dimension] = {}
    scale_labels: tuple[str, ...] = ()
    for flow in flows:
        for node in flow.nodes:
            if node.kind == "scale" and node.id not in dims:
                short = getattr(node, "short", None) or {}
                question = node.text.get("en", "")
                dims[node.id] = Dimension(node.id, short.get("en", node.id), question)
                if not scale_labels:
                    points = sorted(flow.scales[node.scale], key=lambda p: p.value)
                    scale_labels = tuple(p.label.get("en", str(p.value)) for p in points)
    lexicon = load_lexicon()
    return Console(
        services=services,
        templates=templates(),
        passwords=Passwords(),
        policy=PasswordPolicy.load(),
        sessions=SessionPolicy(
            idle=services.settings.session_idle,
            absolute=services.settings.session_absolute,
        ),
        report_limit=services.settings.report_views_per_hour,
        dimensions=tuple(dims.values()),
        scale_labels=scale_labels,
        theme_labels={t.id: t.label for t in lexicon.themes},
        theme_descriptions={t.id: t.description for t in lexicon.themes},
    )


def routes(services: Services) -> list[BaseRoute]:
    console = build_console(services)
    table: list[BaseRoute] = [
        Route("/admin/login", _anonymous(console, auth_views.login_form), methods=GET),
        Route("/admin/login", _anonymous(console, auth_views.login), methods=POST),
    ]
    for path, methods, name, view in TABLE:
        table.append(Route(path, guard(console, name, view), methods=methods, name=None))
    return table
