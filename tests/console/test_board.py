"""The board report: the dashboard's figures and the themes' counts for one closed period
and scope, every one a gateway cell; closed periods and the viewer's own teams only; no
quotes even for a reviewer; audited and rate-limited like every report (issue 14;
SDC-01, SDC-02, SDC-07, SDC-11, SEC-13)."""

from __future__ import annotations

import json
import re

from admin.console.routes import build_console
from reports.gateway import Period, Scope
from storage import accounts
from tests.console.conftest import CLOSED, OPEN, as_user
from tests.console.htmlgrid import grid_tables

FAV = re.compile(r'<td class="dim-fav"[^>]*>([^<]*)<')
QUOTES = ("She really listens to what I say", "Would be better if the sessions were not")


def _board(period: str, scope: str) -> str:
    return f"/admin/report/board?period={period}&scope={scope}"


async def test_figures_are_the_gateways(client, services, org):
    """SDC-01: each favourable % is the sum of the shown 4 and 5 shares for this unit, and
    the theme tables are the themes page's own cells."""
    await as_user(client, services, org.users["manager"])
    page = await client.get(_board(CLOSED, org.team_a))
    assert page.status_code == 200
    gateway = build_console(services).reports
    shown = await gateway.period_report(Period.parse(CLOSED), Scope.team(org.team_a))
    want = [f"{int(r.distribution[3].value) + int(r.distribution[4].value)}%" for r in shown]
    assert FAV.findall(page.text) == want
    themes = await client.get(f"/admin/reports/themes/{CLOSED}/{org.team_a}")
    on_themes = {title: rows[1:] for title, rows in grid_tables(themes.text)}
    counts = [(t, rows) for t, rows in grid_tables(page.text) if t.endswith(": every theme")]
    assert len(counts) == 2
    for title, rows in counts:
        assert rows[1:] == on_themes[title.removesuffix(": every theme")]


async def test_a_small_team_prints_no_figure(client, services, org):
    """SDC-02: team C (3 young people) has no share, no count, and says why."""
    await as_user(client, services, org.users["manager"])
    async with services.db.write() as conn:
        await accounts.set_role(
            conn, org.users["manager"], "manager", [org.team_a, org.team_b, org.team_c]
        )
    text = (await client.get(_board(CLOSED, org.team_c))).text
    assert FAV.findall(text) == [""] * 6  # no figure, only the muted reason after it
    assert text.count('<span class="muted">not shown (fewer than 10)</span>') == 6
    assert "no figures can be shown (fewer than 10)" in text
    assert "Cells with no figure: " in text


async def test_only_closed_periods_and_own_teams(client, services, org):
    """SDC-07, SEC-13: the open period, a date and another team's id are 404."""
    await as_user(client, services, org.users["manager"])
    for path in (_board(OPEN, "org"), _board("2026-01-01", "org"), _board(CLOSED, org.team_c)):
        assert (await client.get(path)).status_code == 404, path


async def test_no_quotes_for_a_reviewer_and_audited(client, services, org):
    """SDC-11: a printed pack leaves the reviewer's hands, so it holds no quote; the view
    is audited with its parameters (SEC-17)."""
    await as_user(client, services, org.users["reviewer"])
    themes = await client.get(f"/admin/reports/themes/{CLOSED}/org")
    assert any(q in themes.text for q in QUOTES)  # there are quotes to leave out
    text = (await client.get(_board(CLOSED, "org"))).text
    assert not any(q in text for q in QUOTES)
    async with services.db.read() as conn:
        views = [e for e in await accounts.audit_events(conn, 100) if e.action == "report.view"]
    params = [json.loads(e.params) for e in views]
    assert {"kind": "board", "period": CLOSED, "scope": "org"} in params


async def test_workers_and_admins_cannot_open_it(client, services, org):
    for role in ("worker", "admin", "dsl"):
        await as_user(client, services, org.users[role])
        assert (await client.get(_board(CLOSED, "org"))).status_code == 403
