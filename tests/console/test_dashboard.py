"""The dashboard: every figure through the gateway, closed periods only, the viewer's own
teams only, and a tidy CSV of exactly its figures (SDC-01, SDC-02, SDC-07, SDC-12,
SEC-13, SEC-24)."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest

from admin.console.favourable import change, favourable, wilson
from admin.console.permissions import READERS
from admin.console.routes import build_console
from reports.gateway import Cell, Period, Scope
from storage import catalog
from tests.console import seed
from tests.console.conftest import CLOSED, OPEN, add_user, as_user

FAV_CELLS = re.compile(r'<span class="dim-fav">([^<]*)<')
HEAT_ROW = re.compile(r"<tr[^>]*><th scope=\"row\">([^<]+)</th>(.*?)</tr>", re.S)
HEAT_CELL = re.compile(r'<td class="(heat-[a-z0-9]+)"[^>]*>(.*?)</td>', re.S)


def _heat(html: str) -> dict[str, list[tuple[str, str]]]:
    return {name: HEAT_CELL.findall(body) for name, body in HEAT_ROW.findall(html)}


async def _manager_of(services, *teams: str) -> str:
    return await add_user(services, "mgr-" + "-".join(t[:4] for t in teams), "manager", [*teams])


@pytest.mark.parametrize("role", ["manager", "reviewer"])
async def test_readers_start_on_the_dashboard(client, services, org, role):
    await as_user(client, services, org.users[role])
    home = await client.get("/admin")
    assert home.status_code == 303 and home.headers["location"] == "/admin/dashboard"
    page = await client.get("/admin/dashboard")
    assert page.status_code == 200 and f"{CLOSED}" in page.text


async def test_other_roles_keep_their_home(client, services, org):
    for role in ("worker", "dsl", "admin"):
        assert role not in READERS
        await as_user(client, services, org.users[role])
        assert (await client.get("/admin")).status_code == 200
        assert (await client.get("/admin/dashboard")).status_code == 403


async def test_figures_are_the_gateways_shown_shares(client, services, org):
    """SDC-01: each favourable % is the sum of the 4 and 5 shares the gateway shows for
    this unit, and each heatmap cell the same for the comparison table's row."""
    await as_user(client, services, org.users["manager"])
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_a}")).text
    reports = build_console(services).reports  # the same gateway settings as the app
    period = Period.parse(CLOSED)
    shown = await reports.period_report(period, Scope.team(org.team_a))
    want = [f"{int(r.distribution[3].value) + int(r.distribution[4].value)}%" for r in shown]
    assert FAV_CELLS.findall(page) == want
    heat = _heat(page)
    tables = await reports.comparison(period)
    assert [t for _, t in heat["Test Youth Service"]] == [
        f"{int(t.total.cells[5].value) + int(t.total.cells[6].value)}%" for t in tables
    ]
    assert set(heat) == {"Test Youth Service", "Team A"}  # never another team's row (SEC-13)


async def test_a_small_team_shows_no_figure(client, services, org):
    """SDC-02: team C has 3 young people: no share, no count, no change, only the reason."""
    user = await _manager_of(services, org.team_a, org.team_c)
    await as_user(client, services, user)
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_c}")).text
    assert FAV_CELLS.findall(page) == [""] * 6
    assert "no figures can be shown (fewer than 10)" in page
    assert "sent a check-in: not shown (fewer than 10)" in page
    assert "%" not in page.split('class="headline"')[1].split("</p>")[0]
    heat = _heat(page)
    assert all(cls == "heat-hidden" and ">" in text for cls, text in heat["Team C"])
    for _, text in heat["Team C"]:
        assert re.sub(r"<[^>]+>", "", text).strip() in {"fewer than 10", PROTECTED}
    assert all(cls != "heat-hidden" for cls, _ in heat["Team A"])


PROTECTED = "hidden to protect another group"


async def test_an_open_period_never_appears(client, services, org):
    """SDC-07: the open quarter is not offered and cannot be asked for; nor a date."""
    await as_user(client, services, org.users["manager"])
    page = (await client.get("/admin/dashboard")).text
    assert OPEN not in page and f'<option value="{CLOSED}" selected>' in page
    for bad in (OPEN, "2026-04", "2026-01-01", "last-30-days", "2030-Q1"):
        assert (await client.get(f"/admin/dashboard?period={bad}")).status_code == 404


async def test_another_teams_scope_is_not_found(client, services, org):
    """SEC-13: team B is outside the manager's teams."""
    await as_user(client, services, org.users["manager"])
    assert (await client.get(f"/admin/dashboard?scope={org.team_b}")).status_code == 404
    assert f'value="{org.team_b}"' not in (await client.get("/admin/dashboard")).text


@pytest.mark.parametrize("clear", [True, False])
async def test_a_clear_change_is_named_and_noise_is_not(client, services, org, clear):
    """A rise beyond the Wilson intervals is shown with its size: Q4 2025 answers of 1-3
    only against Q1 2026's mostly 4-5. The same mix in both quarters is noise."""
    rng = random.Random(3)
    before = (1, 2, 3) if clear else (2, 3, 4, 4, 5)
    async with services.db.write() as conn:
        for month in ("2025-10", "2025-11", "2025-12"):
            await seed.add_submissions(
                conn, team_id=org.team_a, period=month, count=40, rng=rng, values=before
            )
            await seed.add_submissions(conn, team_id=org.team_b, period=month, count=30, rng=rng)
    await as_user(client, services, org.users["manager"])
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_a}")).text
    rises = re.findall(r'dim-change up">up (\d+) points<', page)
    if clear:
        assert len(rises) == 6 and all(int(n) >= 30 for n in rises)
        assert "Since 2025-Q4: being honest rose" in page
    else:
        assert rises == [] and page.count(">no clear change<") == 6
        assert "No clear change since 2025-Q4." in page


def test_wilson_and_change():
    low, high = wilson(50, 100)
    assert round(low, 3) == 0.404 and round(high, 3) == 0.596
    big = favourable(Cell.number(100, "100"), [Cell.number(v, f"{v}%") for v in (5, 5, 10, 40, 40)])
    small = favourable(
        Cell.number(100, "100"), [Cell.number(v, f"{v}%") for v in (5, 5, 15, 40, 35)]
    )
    assert big.percent == 80 and small.percent == 75
    assert change(big, small).text == "no clear change"
    low_fav = favourable(
        Cell.number(100, "100"), [Cell.number(v, f"{v}%") for v in (40, 20, 10, 20, 10)]
    )
    assert change(big, low_fav).points == 50
    band = favourable(Cell.number(15, "15"), [Cell.band("some")] * 5)
    assert band.percent is None and change(big, band).points is None


async def test_tidy_csv_is_the_dashboard(client, services, org):
    """SDC-12, SEC-24: one row per figure, numbers as numbers, hidden cells empty with a
    reason, a filename naming scope and period, formula-looking names made safe."""
    async with services.db.write() as conn:
        evil = await catalog.add_team(conn, "=HYPERLINK(1)")
        await seed.add_submissions(
            conn, team_id=evil, period="2026-02", count=12, rng=random.Random(1)
        )
    user = await _manager_of(services, org.team_a, evil)
    csrf = await as_user(client, services, user)
    response = await client.post(
        "/admin/dashboard/export", data={"csrf": csrf, "period": CLOSED, "scope": org.team_a}
    )
    assert response.status_code == 200
    assert (
        f'filename="youthvoice-dashboard-team-a-{CLOSED}.csv"'
        in (response.headers["content-disposition"])
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "period",
        "scope",
        "question",
        "answer label",
        "measure",
        "value",
        "status",
        "reason",
    ]
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_a}")).text
    now = [
        r
        for r in rows
        if r["period"] == CLOSED and r["scope"] == "Team A" and r["measure"] == "favourable %"
    ]
    assert [f"{r['value']}%" for r in now] == FAV_CELLS.findall(page)
    for r in rows:
        assert r["status"] in {"shown", "hidden"}
        if r["status"] == "hidden":
            assert r["value"] == "" and r["reason"]
        elif r["value"]:
            float(r["value"])
        assert not r["scope"].startswith("=")
    assert any(r["scope"] == "'=HYPERLINK(1)" for r in rows)
    assert not any(r["period"] == OPEN for r in rows)
