"""The demo organisation: clearly labelled, realistic, and shaped so that the default
quarterly reports show figures and held-back cells side by side (SDC-02), whatever the
date it is seeded on: six closed quarters in which most teams pass k and the small one
never does, scores that move, distinct comments, and only a few check-ins in the open
quarter (issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from admin.console.favourable import change, favourable
from admin.console.routes import build_console
from reports.gateway.periods import closed_periods, containing, months
from storage import accounts, catalog, reports
from storage.schema import Comment, CommentTheme, Submission
from youthvoice.bootstrap import bootstrap
from youthvoice.demo import OPEN_TOTAL, POSTER, QUARTERS, SMALL_TEAM_TOTAL, seed_if_empty
from youthvoice.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, org_name="Demo Youth Service")


@pytest.mark.parametrize("today", ["2026-01-10", "2026-04-01", "2026-06-30", "2026-11-27"])
async def test_reports_get_both_shown_and_held_back_cells(tmp_path: Path, today: str) -> None:
    now = dt.datetime.fromisoformat(today).replace(hour=12, tzinfo=dt.UTC)
    settings = _settings(tmp_path)
    services = await bootstrap(settings, clock=lambda: now)
    try:
        info = await seed_if_empty(services)
        assert info is not None
        k = settings.k_threshold
        quarter = closed_periods(now.date(), "quarter", 1)[0]
        async with services.db.read() as conn:
            teams = dict(await catalog.teams(conn))
            per_team = await reports.team_respondents(conn, months(quarter))
            themes = await reports.theme_respondents(conn, months(quarter))
            small = next(t for t, name in teams.items() if "Harbour" in name)
            in_small = select(func.count()).where(Submission.team_id == small)
            small_total = (await conn.execute(in_small)).scalar()
        assert set(teams.values()) == {
            "DEMO Northside Youth Team",
            "DEMO Riverside Outreach",
            "DEMO Valley Leaving Care",
            "DEMO Harbour Drop-in",
        }
        assert small_total == SMALL_TEAM_TOTAL < 5  # under any k a deployment can set
        counts = [per_team.get(t, 0) for t in teams]
        assert max(counts) >= k and min(counts) < k
        org_themes: dict[str, int] = {}
        for by_theme in themes.values():
            for theme, n in by_theme.items():
                org_themes[theme] = org_themes.get(theme, 0) + n
        assert max(org_themes.values()) >= k and min(org_themes.values()) < k
    finally:
        await services.close()


@pytest.mark.parametrize("today", ["2026-01-10", "2026-11-27"])
async def test_six_closed_quarters_where_most_teams_pass_k(tmp_path: Path, today: str) -> None:
    now = dt.datetime.fromisoformat(today).replace(hour=12, tzinfo=dt.UTC)
    settings = _settings(tmp_path)
    services = await bootstrap(settings, clock=lambda: now)
    try:
        await seed_if_empty(services)
        k = settings.k_threshold
        quarters = closed_periods(now.date(), "quarter", QUARTERS + 1)  # oldest first
        open_months = months(containing(now.date(), "quarter"))
        async with services.db.read() as conn:
            teams = dict(await catalog.teams(conn))
            per_quarter = [await reports.team_respondents(conn, months(q)) for q in quarters]
            in_open = select(func.count()).where(Submission.period.in_(open_months))
            open_total = (await conn.execute(in_open)).scalar()
        small = next(t for t, name in teams.items() if "Harbour" in name)
        passing = [sum(counts.get(t, 0) >= k for t in teams) for counts in per_quarter[1:]]
        assert all(counts.get(small, 0) < k for counts in per_quarter)
        assert sum(n >= 2 for n in passing) >= QUARTERS - 1  # most teams, most quarters
        assert sum(passing) > len(passing) * 2  # and not only two: the third passes too
        assert per_quarter[0] == {}  # nothing before the six quarters
        assert 0 < open_total == OPEN_TOTAL <= 5
    finally:
        await services.close()


async def test_scores_move_and_the_dashboard_can_name_a_change(tmp_path: Path) -> None:
    """At organisation level every dimension has a figure in all six quarters, some move
    by 20 points or more over them, and the last quarter has a change beyond noise."""
    now = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    services = await bootstrap(_settings(tmp_path), clock=lambda: now)
    try:
        await seed_if_empty(services)
        gateway = build_console(services).reports
        quarters = closed_periods(now.date(), "quarter", QUARTERS)
        series = []
        for quarter in quarters:
            tables = await gateway.comparison(quarter)
            series.append([favourable(t.total.cells[1], t.total.cells[2:7]) for t in tables])
        by_dim = list(zip(*series, strict=True))
        assert all(f.percent is not None for dim in by_dim for f in dim)
        spans = [max(f.percent or 0 for f in d) - min(f.percent or 0 for f in d) for d in by_dim]
        assert sum(span >= 20 for span in spans) >= 2
        named = [change(now_, before).points for before, now_ in zip(*series[-2:], strict=True)]
        assert any(points is not None and points > 0 for points in named)
    finally:
        await services.close()


async def test_no_comment_repeats_within_a_quarter(tmp_path: Path) -> None:
    services = await bootstrap(_settings(tmp_path))
    try:
        await seed_if_empty(services)
        async with services.db.read() as conn:
            rows = (
                await conn.execute(
                    select(Submission.period, Comment.text).join(
                        Submission, Submission.id == Comment.submission_id
                    )
                )
            ).all()
        seen: set[tuple[str, str]] = set()
        for month, text in rows:
            key = (str(containing(dt.date.fromisoformat(month + "-01"), "quarter")), text)
            assert key not in seen, key
            seen.add(key)
        assert len(rows) > 200
    finally:
        await services.close()


async def test_the_demo_is_complete_and_seeded_once(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    services = await bootstrap(settings)
    try:
        first = await seed_if_empty(services)
        assert first is not None and first.login is not None
        async with services.db.read() as conn:
            workers = await catalog.workers(conn)
            invites = await catalog.invites(conn)
            users = await accounts.users(conn)
            periods = {r[0] for r in await conn.execute(select(Submission.period).distinct())}
            written = (await conn.execute(select(func.count(func.distinct(Comment.text))))).scalar()
            tagged = (await conn.execute(select(func.count()).select_from(CommentTheme))).scalar()
        assert len(workers) == 12 and all(name.strip() for _, _, name in workers)
        poster = next(i for i in invites if i.code == first.invite_code)
        assert poster.label == POSTER and poster.usable(services.clock())
        assert any(not i.usable(services.clock()) for i in invites)  # a revoked one, too
        # Six closed quarters of months, then this quarter's months so far.
        assert 3 * QUARTERS + 1 <= len(periods) <= 3 * QUARTERS + 3
        assert written >= 38 and tagged > 0
        assert {u.username for u in users} == set(first.login.usernames)
        assert {u.role for u in users} == {"manager", "reviewer", "dsl", "admin", "worker"}
        login_file = tmp_path / "demo-login"
        assert login_file.stat().st_mode & 0o777 == 0o600
        again = await seed_if_empty(services)
        # The same link on the next run, but the password only on the first (SEC-21):
        # afterwards `youthvoice demo logins` prints it.
        assert again is not None and again.invite_code == first.invite_code
        assert again.login is None and again.accounts
        assert all(u.demo for u in users)
        async with services.db.read() as conn:
            assert len(await catalog.workers(conn)) == 12
    finally:
        await services.close()


async def test_no_demo_for_a_real_organisation_and_no_accounts_in_production(
    tmp_path: Path,
) -> None:
    services = await bootstrap(_settings(tmp_path))
    try:
        async with services.db.write() as conn:
            await catalog.add_team(conn, "Real team")
        assert await seed_if_empty(services) is None
    finally:
        await services.close()
    prod = Settings(
        _env_file=None,
        data_dir=tmp_path / "prod",
        env="prod",
        pepper="ab" * 32,
        data_key="cd" * 32,
    )
    services = await bootstrap(prod)
    try:
        info = await seed_if_empty(services)
        assert info is not None and info.login is None
    finally:
        await services.close()
