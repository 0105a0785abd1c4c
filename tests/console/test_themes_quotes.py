"""Quotes on the themes page (SDC-10, SDC-11, AN-18, SEC-17): reviewers only, only from cells
of at least k young people, long enough and barely scrubbed, never to the worker the
feedback is about, and bare text with no date, team or age beside it."""

from __future__ import annotations

import json
import re

import pytest

from storage import accounts, catalog
from tests.console.conftest import CLOSED, add_user, as_user
from tests.console.test_themes_data import add_people, page, quote_sections, quotes, said
from youthvoice.settings import Settings


@pytest.fixture
def console_settings(console_settings: Settings) -> Settings:
    """These tests count young people per theme exactly, so cell-key noise (SDC-14, on
    by default; tested in tests/attack and tests/gateway) is off here."""
    return console_settings.model_copy(update={"cell_key_noise": False})


Q4 = "2025-Q4"
HEARD = "she listens to me properly and takes what I say seriously"
POWER = "I get a real say in what we do in our sessions together"
TIME = "could she have a bit more time for me when things are hard"
SHORT = "she listens"
SCRUBBED = "[NAME] told [NAME] at [PLACE] about [NAME] and [NAME]"
DATE_OR_TEAM = re.compile(
    r"\b(19|20)\d\d\b|\bQ[1-4]\b|\b(january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b|\bteam\b|\bage\b|\d+\s*(years?|yrs)\b",
    re.I,
)


async def _seed(services, org, *, worker_id=None):
    """Team A in 2025-Q4: exactly k on one cell, k - 1 on another, 12 + 12 split across the
    two polarities of a third, and k short and k heavily scrubbed comments."""
    await add_people(
        services,
        team_id=org.team_a,
        month="2025-11",
        worker_id=worker_id,
        people=said(10, HEARD, ("heard", "helps"))
        + said(9, TIME, ("time", "better"))
        + said(6, POWER, ("power", "helps"))
        + said(6, POWER, ("power", "better"))
        + said(12, SHORT, ("practical", "helps"))
        + said(12, SCRUBBED, ("communication", "helps"))
        + [[]] * 20,
    )


def _texts(text: str, stem: str) -> list[str]:
    return [q for q in quotes(text) if q.startswith(stem)]


async def test_reviewer_sees_quotes_only_for_cells_of_k_or_more(client, services, org):
    """SDC-11 (b), AN-18: a cell of exactly k gives up to three quotes; k - 1 gives none,
    nor do two halves of 6 (a cell is one theme with one polarity); short or heavily
    scrubbed text is never quoted."""
    await _seed(services, org)
    await as_user(client, services, org.users["reviewer"])
    for scope in ("org", org.team_a):
        text = await page(client, Q4, scope)
        heard = _texts(text, HEARD)
        assert 1 <= len(heard) <= 3 and len(set(heard)) == len(heard)
        assert _texts(text, TIME) == [] and _texts(text, POWER) == []
        assert not any(q.startswith((SHORT + " (", "[NAME]")) for q in quotes(text))
        assert len(quotes(text)) == len(heard)


@pytest.mark.parametrize("role", ["manager", "worker"])
async def test_workers_and_managers_see_no_quotes(client, services, org, role):
    """SDC-10, SDC-11: a manager sees themes with counts and no words; a worker has no
    themes page or export at all, and their own results page carries no words either."""
    await _seed(services, org, worker_id=org.worker_a)
    csrf = await as_user(client, services, org.users[role])
    paths = [f"/admin/reports/themes/{Q4}/org", f"/admin/reports/themes/{Q4}/{org.team_a}"]
    for path in paths:
        response = await client.get(path)
        if role == "worker":
            assert response.status_code == 403
            continue
        assert response.status_code == 200 and "being heard" in response.text
        assert HEARD not in response.text and quotes(response.text) == []
    exported = await client.post(
        "/admin/reports/export",
        data={"csrf": csrf, "kind": "themes", "period": Q4, "scope": "org"},
    )
    assert exported.status_code == (403 if role == "worker" else 200)
    assert HEARD not in exported.text
    if role == "worker":
        for path in ("/admin/my-results", f"/admin/my-results/{Q4}"):
            mine = await client.get(path)
            assert mine.status_code == 200 and HEARD not in mine.text


async def test_a_quote_carries_no_date_or_team(client, services, org):
    """SDC-11 (d): around each quote there is only the theme's name and the words: no
    period, year, month, team name or id, worker or age."""
    await _seed(services, org, worker_id=org.worker_a)
    await as_user(client, services, org.users["reviewer"])
    text = await page(client, Q4, org.team_a)
    sections = quote_sections(text)
    assert sections and quotes(text)
    for section in sections:
        assert DATE_OR_TEAM.search(section) is None, section
        for marker in (Q4, org.team_a, org.worker_a, "Sam Worker", "Team A"):
            assert marker not in section
        assert re.findall(r"<blockquote[^>]*>", section) == ["<blockquote>"] * len(
            re.findall(r"<blockquote", section)
        )
    # The page's heading names the team and period; the quotes sit apart from it.
    assert "Team A" in text.split("</h1>")[0] and Q4 in text.split("</h1>")[0]


async def test_never_to_the_worker_the_feedback_is_about(client, services, org):
    """SDC-11 (e): a reviewer who is also the worker the comments concern sees none of
    them; comments about another worker are still quoted for them."""
    async with services.db.write() as conn:
        other = await catalog.add_worker(conn, org.team_a, "Other Worker")
    await _seed(services, org, worker_id=org.worker_a)
    about_other = "the other worker always listens to every single thing I say"
    await add_people(
        services,
        team_id=org.team_a,
        month="2025-12",
        worker_id=other,
        people=said(12, about_other, ("heard", "helps")),
    )
    reviewer = await add_user(
        services, "rev-worker", "reviewer", [org.team_a], worker_id=org.worker_a
    )
    await as_user(client, services, reviewer)
    text = await page(client, Q4, org.team_a)
    assert _texts(text, about_other) and _texts(text, HEARD) == []
    await as_user(client, services, org.users["reviewer"])
    shown = set()
    for _ in range(10):  # quotes are drawn at random: the other worker's may crowd them out
        shown |= set(_texts(await page(client, Q4, org.team_a), HEARD))
    assert shown


async def test_quote_views_are_audited_with_their_count(client, services, org):
    """SEC-17: every themes view is audited with its parameters and how many quotes it
    showed (none for a manager)."""
    for role in ("reviewer", "manager"):
        await as_user(client, services, org.users[role])
        text = await page(client, CLOSED, "org")
        async with services.db.read() as conn:
            latest = (await accounts.audit_events(conn, 1))[0]
        assert (latest.action, latest.actor_role) == ("report.view", role)
        params = json.loads(latest.params)
        assert params == {
            "kind": "themes",
            "period": CLOSED,
            "scope": "org",
            "quotes": len(quotes(text)),
        }
        assert (params["quotes"] > 0) == (role == "reviewer")


class TestWithWorkerResultsOn:
    """SDC-10: even where a deployment shows workers their own (banded) results, a worker
    gets no themes page and no words."""

    @pytest.fixture
    def console_settings(self, console_settings):
        return console_settings.model_copy(update={"worker_results": True})

    async def test_worker_still_sees_no_quotes(self, client, services, org):
        assert services.settings.worker_results
        await _seed(services, org, worker_id=org.worker_a)
        await as_user(client, services, org.users["worker"])
        assert (await client.get(f"/admin/reports/themes/{Q4}/{org.team_a}")).status_code == 403
        mine = await client.get(f"/admin/my-results/{Q4}")
        assert mine.status_code == 200 and "turned off" not in mine.text
        assert HEARD not in mine.text and quotes(mine.text) == []


async def test_a_cell_hidden_to_protect_another_group_offers_no_quotes(client, services, org):
    """SDC-05 with SDC-11: team A's 12 would pass k alone, but with team B's 3 hidden the
    organisation total minus team A would reveal B, so A's cell is hidden too; a quote
    under it would say "k or more here" and undo that."""
    reviewer = org.users["reviewer"]
    async with services.db.write() as conn:
        await accounts.set_role(conn, reviewer, "reviewer", [org.team_a, org.team_b])
    await add_people(
        services, team_id=org.team_a, month="2025-11", people=said(12, HEARD, ("heard", "helps"))
    )
    await add_people(
        services, team_id=org.team_b, month="2025-11", people=said(3, HEARD, ("heard", "helps"))
    )
    await as_user(client, services, reviewer)
    team_page = await page(client, Q4, org.team_a)
    assert _texts(team_page, HEARD) == []
    org_page = await page(client, Q4, "org")
    assert 1 <= len(_texts(org_page, HEARD)) <= 3, "the organisation's 15 are shown, with quotes"
