"""The themes page (SDC-11): counts by polarity, trends and new topics for managers and
reviewers; quotes for reviewers alone. Parameters come only from the fixed catalogue, as
on every report page (SDC-07, SDC-08): a closed period and "org" or one of the viewer's
teams. Its CSV export goes through `report_views.export` like every other report's."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.console import report_pages, theme_pages
from admin.console.context import Actor, Console
from admin.console.guard import audit_params


async def themes_view(console: Console, request: Request, actor: Actor) -> Response:
    p = request.path_params
    page = await theme_pages.build(console, actor, p["period"], p["scope"])
    shown = sum(len(group.quotes) for group in page.quote_groups)
    # Every quote view is audited with how many quotes it showed (SEC-17).
    audit_params(
        request, {"kind": "themes", "period": page.period, "scope": page.scope, "quotes": shown}
    )
    org = ("org", console.services.settings.org_name)
    scopes = [org, *await report_pages.my_teams(console, actor)]
    context = {
        "page": page,
        "scopes": scopes,
        "periods": [str(period) for period in console.reports.periods()],
        "k": console.k,
    }
    return console.render(request, "themes.html", context, actor=actor)
