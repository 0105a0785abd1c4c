"""The themes page: framework themes counted in distinct young people, split by polarity,
through the gateway; their trend across closed periods; bars beside an accessible table;
a CSV export that is the screen (SDC-02, SDC-05, SDC-06, SDC-07, SDC-11, SDC-12, SEC-17)."""

from __future__ import annotations

import json
import re

import pytest

from storage import accounts
from tests.console.conftest import OPEN, as_user
from tests.console.htmlgrid import data_cells, figure_text, grid_tables
from tests.console.test_themes_data import (
    BETTER,
    HELPS,
    TOPICS,
    add_people,
    cell,
    export,
    page,
    quotes,
    said,
    table,
)
from youthvoice.settings import Settings


@pytest.fixture
def console_settings(console_settings: Settings) -> Settings:
    """These tests count young people per theme exactly, so cell-key noise (SDC-14, on
    by default; tested in tests/attack and tests/gateway) is off here."""
    return console_settings.model_copy(update={"cell_key_noise": False})


Q4 = "2025-Q4"
LISTENS = "she listens to me properly and takes what I say seriously"
CANCELS = "they keep cancelling our sessions at the last minute"


async def _seed_q4(services, org) -> None:
    """Team A: 16 young people say "listens" (helps), one more says it twice; 12 say
    "cancelling" (better), 3 mention time. Team B: 11 say "listens" (helps), 11 (other
    people) say it would be better if they listened, 3 say "cancelling"."""
    twice = [
        [
            ("helps", f"{LISTENS} (x)", [("heard", "helps")]),
            ("tell", f"{LISTENS} (y)", [("heard", "helps")]),
        ]
    ]
    await add_people(
        services,
        team_id=org.team_a,
        month="2025-10",
        people=said(16, LISTENS, ("heard", "helps"), question="helps")
        + twice
        + said(12, CANCELS, ("reliability", "better"), question="better")
        + said(3, "could she have a bit more time for me", ("time", "better")),
    )
    await add_people(
        services,
        team_id=org.team_b,
        month="2025-11",
        people=said(11, LISTENS, ("heard", "helps"))
        + said(11, "wish she would listen before deciding", ("heard", "better"))
        + said(3, CANCELS, ("reliability", "better")),
    )


async def test_counts_are_young_people_split_by_polarity(client, services, org):
    """SDC-02, SDC-11: each theme's figure counts young people, not comments, separately for
    "what helps" and "what would make it better"; below k it reads "fewer than 10"."""
    await _seed_q4(services, org)
    await as_user(client, services, org.users["manager"])
    text = await page(client, Q4, "org")
    assert cell(text, HELPS, "being heard") == "28"  # 16 + 1 (twice, counted once) + 11
    assert cell(text, BETTER, "being heard") == "11"
    assert cell(text, BETTER, "reliability and continuity") == "15"
    assert cell(text, HELPS, "reliability and continuity") == "fewer than 10"
    assert cell(text, BETTER, "time and availability") == "fewer than 10"
    # Every framework theme is listed in both halves, mentioned or not.
    assert len(table(text, HELPS)) == len(table(text, BETTER)) == 10
    assert "young people" in grid_tables(text)[0][1][0]


async def test_team_counts_are_rounded_and_protected(client, services, org):
    """SDC-05, SDC-06: on a team page counts are rounded to 5; a team figure that would
    give away the other team's small one by subtraction from the total is hidden."""
    await _seed_q4(services, org)
    await as_user(client, services, org.users["manager"])
    text = await page(client, Q4, org.team_a)
    assert cell(text, HELPS, "being heard") == "15"  # 17 rounded to 5
    # Team B's 3 "cancelling" are hidden; A's 12 beside the total of 15 would give them away.
    assert cell(text, BETTER, "reliability and continuity") == "hidden to protect another group"
    assert "Team A" in text.split("</h1>")[0]


async def test_trend_shows_each_period_as_its_own_page_does(client, services, org):
    """SDC-07: a theme across closed periods, oldest first; each point is that period's
    gateway cell, so a figure hidden on its own page stays hidden in the trend."""
    await _seed_q4(services, org)
    await add_people(
        services,
        team_id=org.team_a,
        month="2025-08",
        people=said(12, LISTENS, ("heard", "helps")) + [[]] * 20,  # 20 wrote nothing
    )
    await add_people(
        services, team_id=org.team_a, month="2025-05", people=said(6, LISTENS, ("heard", "helps"))
    )
    await as_user(client, services, org.users["manager"])
    text = await page(client, Q4, "org")
    trend = table(text, f"{HELPS}: by period")
    header = next(rows[0] for title, rows in grid_tables(text) if title == f"{HELPS}: by period")
    assert header == ("theme", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", Q4)
    assert trend["being heard"] == ("fewer than 10",) * 4 + ("12", "28")
    for label, (shown,) in table(text, HELPS).items():
        assert trend[label][-1] == shown
    for period in ("2025-Q2", "2025-Q3"):
        on_its_page = cell(await page(client, period, "org"), HELPS, "being heard")
        assert trend["being heard"][header.index(period) - 1] == on_its_page


async def test_open_period_shows_nothing_yet(client, services, org):
    """SDC-07: the running period says "not yet available" in every theme cell."""
    await as_user(client, services, org.users["reviewer"])
    text = await page(client, OPEN, "org")
    for caption in (HELPS, BETTER):
        assert set(table(text, caption).values()) == {("not yet available",)}
    assert table(text, TOPICS) == {} and quotes(text) == []


async def test_bars_draw_only_shown_figures(client, services, org):
    """SDC-02: the SVG draws a bar for a figure the table beside it shows, and none for a
    hidden one; the chart and table carry the same words."""
    await _seed_q4(services, org)
    await as_user(client, services, org.users["manager"])
    text = await page(client, Q4, org.team_a)
    drawn = 0
    for caption in (HELPS, BETTER):
        section = next(
            s for s in text.split('<section class="report-section">') if f"<h2>{caption}</h2>" in s
        )
        svg = section.split("</svg>")[0]
        shown = [v[0] for v in table(text, caption).values() if v[0].isdigit()]
        bars = re.findall(r'<rect [^>]*class="bar"', svg)
        assert len(bars) == len(shown)
        drawn += len(bars)
        for value in table(text, caption).values():
            assert f">{value[0]}</text>" in svg
    assert drawn > 0


async def test_csv_export_is_the_screen(client, services, org):
    """SDC-12, SEC-17: the themes CSV holds exactly the figures of the page's tables, one
    a row, for the organisation and a team, for a manager and a reviewer; never a quote;
    each export is audited."""
    await _seed_q4(services, org)
    cases = 0
    for role in ("manager", "reviewer"):
        csrf = await as_user(client, services, org.users[role])
        for scope in ("org", org.team_a):
            text = await page(client, Q4, scope)
            body = await export(client, csrf, Q4, scope)
            assert sorted(figure_text(r) for r in body) == sorted(data_cells(text))
            tables = grid_tables(text)
            assert len(tables) == 5  # an empty table (no new topics) has no figure to export
            assert {r["question"] for r in body} == {title for title, rows in tables if rows[1:]}
            cases += 1
            if role == "reviewer":
                assert quotes(text), "a reviewer's page has quotes to leave out"
                cells = {c for row in body for c in row.values()}
                assert not cells & set(quotes(text))
    async with services.db.read() as conn:
        events = [e for e in await accounts.audit_events(conn, 1000) if e.action == "report.export"]
    assert len(events) == cases
    assert {json.loads(e.params)["kind"] for e in events} == {"themes"}
