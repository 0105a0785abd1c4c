"""The dashboard page, its tidy CSV and its printable board report (SDC-01, SDC-07,
SDC-12, SEC-14).

The period and scope come from a small GET form whose choices are the closed periods in
the catalogue and the viewer's own teams; anything else is a 404 (see `dashboard.build`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.console import dashboard, theme_pages
from admin.console.context import Actor, Console
from admin.console.exports import dashboard_figures, filename, tidy_csv
from admin.console.favourable import METHOD
from admin.console.guard import audit_params


async def show(console: Console, request: Request, actor: Actor) -> Response:
    q = request.query_params
    board = await dashboard.build(console, actor, q.get("period", ""), q.get("scope", ""))
    audit_params(request, {"kind": "dashboard", "period": str(board.period), "scope": board.scope})
    context = {"board": board, "method": METHOD, "shades": dashboard.SHADES}
    return console.render(request, "dashboard.html", context, actor=actor)


async def export(console: Console, request: Request, actor: Actor) -> Response:
    """POST (CSRF-checked, audited, SEC-09/SEC-17) -> one tidy CSV of the dashboard."""
    form = await request.form()
    period, scope = (str(form.get(n) or "") for n in ("period", "scope"))
    board = await dashboard.build(console, actor, period, scope)
    audit_params(request, {"kind": "dashboard", "period": str(board.period), "scope": board.scope})
    name = filename("dashboard", board.unit, str(board.period))
    return Response(
        tidy_csv(dashboard_figures(board)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def board(console: Console, request: Request, actor: Actor) -> Response:
    """The board report: the dashboard and the themes on A4 pages (print CSS), for a
    period and scope. The same gateway figures as the dashboard and themes pages; never
    quotes, since a printed pack leaves the reviewer's hands (SDC-11)."""
    q = request.query_params
    board = await dashboard.build(console, actor, q.get("period", ""), q.get("scope", ""))
    themes = await theme_pages.build(console, actor, str(board.period), board.scope)
    audit_params(request, {"kind": "board", "period": str(board.period), "scope": board.scope})
    counts = [s.grid for s in themes.sections[: len(dashboard.THEME_TITLES)]]
    context = {
        "board": board,
        "method": METHOD,
        "shades": dashboard.SHADES,
        "counts": counts,
        # Print has no hover: each hidden heatmap cell's reason, once, under the map.
        "reasons": sorted({c.reason for row in board.heat for c in row.cells if c.reason}),
        "k": console.k,
    }
    return console.render(request, "board.html", context, actor=actor)
