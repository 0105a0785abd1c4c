"""Report pages, their CSV export, and a worker's own results (SDC-01..12, SEC-14).

Parameters come only from the fixed catalogue: a period of the deployment's kind and a
scope that is "org" or one of the viewer's teams. Anything else is a 404; there is no
date-range parameter to pass (SDC-07, SDC-08).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console import report_pages as pages
from admin.console import theme_pages
from admin.console.context import Actor, Console
from admin.console.exports import filename, tidy_csv
from admin.console.guard import NotFound, audit_params

# The picker's choices of report, and where each lives; "scope" is ignored where a report
# is always about the whole organisation.
PICKS = {
    "period": "/admin/reports/period/{period}/{scope}",
    "compare": "/admin/reports/compare/{period}",
    "themes": "/admin/reports/themes/{period}/{scope}",
    "safety": "/admin/reports/safety/{period}",
    "trends": "/admin/reports/trends/{scope}",
}


async def index(console: Console, request: Request, actor: Actor) -> Response:
    """The Reports page: a picker (report, period, scope) instead of a list of links. A
    picked report redirects to its own address, after the same checks the page makes."""
    periods = [str(p) for p in console.reports.periods()]
    teams = await pages.my_teams(console, actor)
    asked = request.query_params
    kind = asked.get("report", "")
    if kind in PICKS:
        period, scope = asked.get("period", ""), asked.get("scope", "org")
        if (period in periods or kind == "trends") and (scope == "org" or actor.in_scope(scope)):
            return RedirectResponse(PICKS[kind].format(period=period, scope=scope), 303)
    context = {
        "periods": periods,
        "current": str(console.reports.current()),
        "teams": teams,
        "kinds": pages.KIND_NAMES,
    }
    return console.render(request, "reports.html", context, actor=actor)


async def _show(
    console: Console, request: Request, actor: Actor, kind: str, period: str, scope: str
) -> Response:
    page = await pages.build(console, actor, kind, period, scope)
    audit_params(request, {"kind": kind, "period": page.period, "scope": page.scope})
    context = {"page": page, "k": console.k}
    return console.render(request, "report.html", context, actor=actor)


async def period_view(console: Console, request: Request, actor: Actor) -> Response:
    p = request.path_params
    return await _show(console, request, actor, "period", p["period"], p["scope"])


async def compare_view(console: Console, request: Request, actor: Actor) -> Response:
    return await _show(console, request, actor, "compare", request.path_params["period"], "org")


async def trends_view(console: Console, request: Request, actor: Actor) -> Response:
    return await _show(console, request, actor, "trends", "", request.path_params["scope"])


async def safety_view(console: Console, request: Request, actor: Actor) -> Response:
    return await _show(console, request, actor, "safety", request.path_params["period"], "org")


async def export(console: Console, request: Request, actor: Actor) -> Response:
    """POST (CSRF-checked, audited with its parameters, SEC-09/SEC-17) -> text/csv."""
    form = await request.form()
    kind, period, scope = (str(form.get(n) or "") for n in ("kind", "period", "scope"))
    if kind not in pages.KINDS or (actor.role == "dsl" and kind != "safety"):
        raise NotFound  # the safeguarding lead's only report is the safety count
    page: pages.ReportPage
    if kind == "themes":
        page = await theme_pages.build(console, actor, period, scope)
    else:
        page = await pages.build(console, actor, kind, period, scope)
    audit_params(request, {"kind": kind, "period": page.period, "scope": page.scope})
    body = tidy_csv(f for s in page.sections for f in s.figures)
    name = filename(kind, page.unit, page.period or "trends")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def my_results(console: Console, request: Request, actor: Actor) -> Response:
    """A worker's own banded results, if the deployment turned them on (SDC-10)."""
    text = request.path_params.get("period")
    periods = console.reports.periods()
    period = pages.period_of(console, text) if text else periods[0]
    if actor.user.worker_id is None:
        raise NotFound
    page = await pages.worker_page(console, actor, period)
    audit_params(request, {"kind": "mine", "period": str(period), "scope": "worker"})
    context = {
        "page": page,
        "periods": [str(p) for p in periods],
        "turned_off": not console.services.settings.worker_results,
    }
    return console.render(request, "my_results.html", context, actor=actor)
