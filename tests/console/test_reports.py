"""Reports through the gateway: closed periods only, CSV equals screen, rate limits, audit
(SDC-01..12, SEC-14, SEC-17, SEC-24)."""

from __future__ import annotations

import json
import random

from admin.console.exports import Figure, safe_cell, tidy_csv
from admin.console.routes import build_console
from storage import accounts
from tests.console import seed
from tests.console.conftest import CLOSED, OPEN, as_user
from tests.console.htmlgrid import data_cells, figure_text, grid_tables, tidy_rows


async def _events(services, action):
    async with services.db.read() as conn:
        return [e for e in await accounts.audit_events(conn, 1000) if e.action == action]


async def test_open_period_is_not_yet_available(client, services, org):
    """SDC-07: the period still running shows one empty state saying when figures come,
    not a table of "not yet available" and no Download button (issue 14)."""
    await as_user(client, services, org.users["manager"])
    page = await client.get(f"/admin/reports/period/{OPEN}/org")
    assert page.status_code == 200 and f"{OPEN} has not ended yet" in page.text
    assert grid_tables(page.text) == [] and "Download CSV" not in page.text


async def test_a_closed_period_leads_with_charts_and_keeps_the_numbers_one_tap_away(
    client, services, org
):
    await as_user(client, services, org.users["manager"])
    page = await client.get(f"/admin/reports/period/{CLOSED}/org")
    text = page.text
    assert text.count("<summary>Show the numbers") == len(grid_tables(text)) == 6
    assert text.index("<svg") < text.index("<summary>Show the numbers")


async def test_the_reports_page_picks_instead_of_listing(client, services, org):
    """One picker, not a link per period and team; a pick outside the viewer's teams or
    the closed periods is not followed."""
    await as_user(client, services, org.users["manager"])
    page = await client.get("/admin/reports")
    assert page.text.count("/admin/reports/period/") == 1
    picks = {
        f"report=period&period={CLOSED}&scope={org.team_a}": (
            f"/admin/reports/period/{CLOSED}/{org.team_a}"
        ),
        f"report=compare&period={CLOSED}&scope=org": f"/admin/reports/compare/{CLOSED}",
        "report=trends&scope=org": "/admin/reports/trends/org",
    }
    for query, where in picks.items():
        went = await client.get(f"/admin/reports?{query}")
        assert (went.status_code, went.headers["location"]) == (303, where)
    for query in (
        f"report=period&period={CLOSED}&scope={org.team_b}",  # not one of theirs
        f"report=period&period={OPEN}&scope=org",  # still open
        f"report=nonsense&period={CLOSED}&scope=org",
    ):
        assert (await client.get(f"/admin/reports?{query}")).status_code == 200


async def test_a_date_range_is_not_a_period(client, services, org):
    """SDC-07: only YYYY-Qn of the deployment's kind; dates, months or ranges are 404."""
    await as_user(client, services, org.users["manager"])
    for bad in ("2026-01-01", "2026-01", "2026-01-01..2026-02-01", "last-30-days"):
        assert (await client.get(f"/admin/reports/period/{bad}/org")).status_code == 404


async def _every_page(client, org, role):
    if role == "worker":
        paths = [
            "/admin",
            "/admin/invites",
            "/admin/my-results",
            f"/admin/my-results/{OPEN}",
            "/admin/guidance",
        ]
    else:
        paths = [
            "/admin",
            "/admin/invites",
            "/admin/reports",
            "/admin/dashboard",
            f"/admin/dashboard?period={CLOSED}&scope={org.team_a}",
            "/admin/reports/trends/org",
            f"/admin/reports/trends/{org.team_a}",
        ] + [
            f"/admin/reports/{kind}/{p}{suffix}"
            for p in (CLOSED, OPEN)
            for kind, suffix in (
                ("period", "/org"),
                ("period", f"/{org.team_a}"),
                ("compare", ""),
                ("themes", "/org"),
                ("safety", ""),
            )
        ]
    return {path: (await client.get(path)).text for path in paths}


async def test_one_new_response_changes_no_page(client, services, org):
    """SDC-09, AN-10: submit one response, reload every page a worker or manager sees:
    nothing changes (snapshot compare)."""
    for role in ("worker", "manager"):
        await as_user(client, services, org.users[role])
        before = await _every_page(client, org, role)
        async with services.db.write() as conn:
            await seed.add_submissions(
                conn,
                team_id=org.team_a,
                period="2026-05",
                count=1,
                rng=random.Random(role),
                worker_id=org.worker_a,
            )
        after = await _every_page(client, org, role)
        assert before == after


async def test_csv_export_is_the_screen(client, services, org):
    """SDC-12: every report's tidy CSV holds exactly the figures the page's tables show,
    one a row, with the same suppression; audited (SEC-17)."""
    csrf = await as_user(client, services, org.users["manager"])
    cases = [
        ("period", f"/admin/reports/period/{CLOSED}/org", CLOSED, "org"),
        ("period", f"/admin/reports/period/{CLOSED}/{org.team_a}", CLOSED, org.team_a),
        ("compare", f"/admin/reports/compare/{CLOSED}", CLOSED, "org"),
        ("trends", "/admin/reports/trends/org", "", "org"),
        ("themes", f"/admin/reports/themes/{CLOSED}/org", CLOSED, "org"),
        ("safety", f"/admin/reports/safety/{CLOSED}", CLOSED, "org"),
    ]
    for kind, path, period, scope in cases:
        page = (await client.get(path)).text
        screen = grid_tables(page)
        export = await client.post(
            "/admin/reports/export",
            data={"csrf": csrf, "kind": kind, "period": period, "scope": scope},
        )
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
        rows = tidy_rows(export.text)
        assert sorted(figure_text(r) for r in rows) == sorted(data_cells(page)), kind
        assert screen, kind
    exports = await _events(services, "report.export")
    assert len(exports) == len(cases)
    assert {json.loads(e.params)["kind"] for e in exports} == {c[0] for c in cases}


async def test_exports_are_tidy_and_named_for_scope_and_period(client, services, org):
    """Issue 14: one row per figure with the fixed columns, values numeric or empty,
    status shown or hidden with a reason when hidden, answers by label, and a filename
    naming the report, scope and period (the organisation's and a team's differ)."""
    csrf = await as_user(client, services, org.users["manager"])
    names = set()
    for kind, scope in (("period", "org"), ("period", org.team_a), ("compare", "org")):
        export = await client.post(
            "/admin/reports/export",
            data={"csrf": csrf, "kind": kind, "period": CLOSED, "scope": scope},
        )
        header = export.text.splitlines()[0]
        assert header == "period,scope,question,answer label,measure,value,status,reason"
        rows = tidy_rows(export.text)
        assert {r["period"] for r in rows} == {CLOSED}
        for r in rows:
            assert r["status"] in ("shown", "hidden")
            assert r["value"] == "" or float(r["value"]) >= 0
            assert (r["status"] == "hidden") <= (r["value"] == "" and r["reason"] != "")
            assert "fewer than" not in r["value"] and "%" not in r["value"]
        shares = [r for r in rows if r["measure"] == "% of those who answered"]
        labels = build_console(services).scale_labels
        assert shares and {r["answer label"] for r in shares} == set(labels)
        names.add(export.headers["content-disposition"])
    assert names == {
        f'attachment; filename="youthvoice-period-test-youth-service-{CLOSED}.csv"',
        f'attachment; filename="youthvoice-period-team-a-{CLOSED}.csv"',
        f'attachment; filename="youthvoice-compare-test-youth-service-{CLOSED}.csv"',
    }


async def test_small_team_is_hidden_everywhere(client, services, org):
    """SDC-02/05: team C (3 young people) shows no figure on the comparison page, and no
    row lets it be recovered: shown rows plus C equal the organisation only if C is 0."""
    await as_user(client, services, org.users["manager"])
    async with services.db.write() as conn:
        await accounts.set_role(
            conn, org.users["manager"], "manager", [org.team_a, org.team_b, org.team_c]
        )
    page = await client.get(f"/admin/reports/compare/{CLOSED}")
    for _, rows in grid_tables(page.text):
        row_c = next(r for r in rows if r[0] == "Team C")
        assert all(not cell.rstrip("%").replace(".", "").isdigit() for cell in row_c[1:])
    direct = await client.get(f"/admin/reports/period/{CLOSED}/{org.team_c}")
    assert "Too few young people to show figures safely" in direct.text
    assert grid_tables(direct.text) == []


async def test_report_views_are_rate_limited(client, services, org):
    """SEC-14: the 61st report view in an hour gets 429 and an audit event."""
    await as_user(client, services, org.users["reviewer"])
    for _ in range(60):
        assert (await client.get(f"/admin/reports/safety/{CLOSED}")).status_code == 200
    assert (await client.get(f"/admin/reports/safety/{CLOSED}")).status_code == 429
    assert len(await _events(services, "report.rate_limited")) == 1
    views = await _events(services, "report.view")
    assert len(views) == 60 and json.loads(views[0].params) == {
        "kind": "safety",
        "period": CLOSED,
        "scope": "org",
    }


async def test_quotes_only_for_reviewers(client, services, org):
    """SDC-11: a reviewer sees quotes; a manager sees themes with counts and no quotes."""
    quotes = ("She really listens to what I say", "Would be better if the sessions were not")
    await as_user(client, services, org.users["manager"])
    manager = await client.get(f"/admin/reports/themes/{CLOSED}/org")
    assert not any(q in manager.text for q in quotes) and "being heard" in manager.text.lower()
    await as_user(client, services, org.users["reviewer"])
    reviewer = await client.get(f"/admin/reports/themes/{CLOSED}/org")
    assert any(q in reviewer.text for q in quotes)
    assert "2026" not in reviewer.text.split("Some things young people wrote")[1]


async def test_worker_results_are_off_by_default(client, services, org):
    """SDC-10: a worker's own results say they are turned off."""
    await as_user(client, services, org.users["worker"])
    page = await client.get(f"/admin/my-results/{CLOSED}")
    assert page.status_code == 200 and "turned off" in page.text


def test_csv_cells_cannot_start_a_formula():
    """SEC-24: = + - @ tab CR get an apostrophe, everything else is untouched."""
    for cell in ('=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("fewer than 10") == "fewer than 10"
    body = tidy_csv([Figure("2026-Q1", "=cmd|' /C calc'!A0", "q", "=1+1", "m", 3, "shown")])
    assert "'=cmd" in body and "'=1+1" in body


async def test_queue_for_the_safeguarding_lead(client, services, org, clock):
    """SG-07, SG-08: the dsl sees the request, its age, language and team, and marks it
    handled with an outcome note; who handled it is shown; audited without the note."""
    clock.advance(hours=3)
    csrf = await as_user(client, services, org.users["dsl"])
    page = await client.get("/admin/queue")
    assert "please call me, ask for J" in page.text and "3 hours" in page.text
    assert "English" in page.text and "team: " in page.text
    blank = await client.post("/admin/queue/help-req-0001/handled", data={"csrf": csrf})
    assert blank.status_code == 400, "an outcome note is needed"
    note = "Called back; referred to early help"
    done = await client.post(
        "/admin/queue/help-req-0001/handled", data={"csrf": csrf, "outcome": note}
    )
    assert done.status_code == 303
    after = (await client.get("/admin/queue")).text
    assert "ask for J" not in after and note in after
    assert "handled by <strong>dsl1</strong>" in after
    assert len(await _events(services, "queue.view")) == 2
    events = await _events(services, "queue.handled")
    assert [e.outcome for e in events].count("ok") == 1
    assert not any("referred" in str(e) for e in events), "the note is never audited"
