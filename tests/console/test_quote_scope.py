"""Quotes come only from what counts and from where the reviewer may look (issue 10,
SDC-11, SEC-12): only from the reviewer's own teams, even on the organisation's page;
never from a team where fewer than k young people raised the theme, however many did
elsewhere; and never from check-ins held out of the figures for arriving in a burst."""

from __future__ import annotations

from sqlalchemy import update

from storage.schema import Submission
from tests.console.conftest import add_user, as_user
from tests.console.test_themes_data import HELPS, add_people, cell, page, quotes, said

Q4 = "2025-Q4"
HEARD = ("heard", "helps")
OTHER_TEAM = "the worker at the other place listens to me and takes me seriously"
MINE = "my worker listens to me properly and takes what I say seriously"
SHORT = "she listens"  # too short ever to be quoted


async def test_a_reviewer_of_one_team_sees_no_other_teams_words_on_the_org_page(
    client, services, org
):
    """The leak as found: a reviewer scoped to team A opened the organisation's themes and
    read team B's comments as "organisation quotes". Team A's own comments here are too
    short to quote, so any quote on the page would be team B's words."""
    await add_people(services, team_id=org.team_a, month="2025-11", people=said(12, SHORT, HEARD))
    await add_people(
        services, team_id=org.team_b, month="2025-11", people=said(12, OTHER_TEAM, HEARD)
    )
    await as_user(client, services, org.users["reviewer"])  # scoped to team A only
    text = await page(client, Q4, "org")
    assert "being heard" in text.lower()
    assert quotes(text) == []
    # A reviewer of team B does see them, so the test above can fail.
    reviewer_b = await add_user(
        services, "reviewer-b", "reviewer", [org.team_b], totp="JBSWY3DPEHPK3PXP"
    )
    await as_user(client, services, reviewer_b)
    assert any(q.startswith(OTHER_TEAM) for q in quotes(await page(client, Q4, "org")))


async def test_never_from_a_team_where_fewer_than_k_raised_the_theme(client, services, org):
    """k - 1 young people in team A raised the theme, 12 in team B and 10 in team C: the
    organisation's cell has 31, but team A's words are never quoted, even to a reviewer of
    every team; team C's, from exactly k, are."""
    await add_people(services, team_id=org.team_a, month="2025-11", people=said(9, MINE, HEARD))
    await add_people(services, team_id=org.team_b, month="2025-11", people=said(12, SHORT, HEARD))
    await add_people(
        services, team_id=org.team_c, month="2025-12", people=said(10, OTHER_TEAM, HEARD)
    )
    every = await add_user(
        services,
        "reviewer-abc",
        "reviewer",
        [org.team_a, org.team_b, org.team_c],
        totp="JBSWY3DPEHPK3PXP",
    )
    await as_user(client, services, every)
    shown = quotes(await page(client, Q4, "org"))
    assert [q for q in shown if q.startswith(MINE)] == []
    assert any(q.startswith(OTHER_TEAM) for q in shown)


async def test_held_check_ins_never_make_a_theme_quotable(client, services, org):
    """2025-Q4: six young people and four held check-ins raised the theme, so fewer than k
    did: no quote and no figure. 2025-Q3, the control: the same ten, none held, are quoted."""
    for month in ("2025-08", "2025-11"):
        await add_people(services, team_id=org.team_a, month=month, people=said(6, MINE, HEARD))
    for month in ("2025-09", "2025-12"):
        await add_people(services, team_id=org.team_a, month=month, people=said(4, MINE, HEARD))
    s = Submission.__table__
    async with services.db.write() as conn:
        await conn.execute(update(s).where(s.c.period == "2025-12").values(hold_id="alert-1"))
    await as_user(client, services, org.users["reviewer"])
    q4 = await page(client, Q4, org.team_a)
    assert quotes(q4) == [] and cell(q4, HELPS, "being heard") == "fewer than 10"
    q3 = await page(client, "2025-Q3", org.team_a)
    assert any(q.startswith(MINE) for q in quotes(q3))
    assert cell(q3, HELPS, "being heard") != "fewer than 10"
