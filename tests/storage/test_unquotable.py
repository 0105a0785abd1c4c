"""Words kept after "I'm OK" at the calm question count as feedback but are never offered
as a reviewer's quote: not for a theme, not for an emerging topic."""

from __future__ import annotations

import secrets

from reports.theme_report import Topic, _topic_candidates
from storage import catalog
from storage import reports as queries
from storage.conversations import NewSubmission, random_key, store_submissions
from storage.db import Database

OK_WORDS = "things are rough at home but she always makes time for me"
PLAIN = "she always makes time for me and really listens to what I say"


def _submission(team: str, text: str, *, hidden: bool, tags: tuple[tuple[str, str], ...]):  # type: ignore[no-untyped-def]
    comment = secrets.token_bytes(16)
    return NewSubmission(
        id=random_key(),
        period="2026-11",
        team_id=team,
        worker_id=None,
        flow_id="relationship-checkin",
        flow_version=1,
        participation=secrets.token_hex(8),
        purge_after="2027-12",
        answers=(),
        comments=((comment, "helps", text, tags),),
        unquotable=(comment,) if hidden else (),
    )


async def test_unquotable_words_are_counted_but_never_quote_candidates(db: Database) -> None:
    async with db.write() as conn:
        team = await catalog.add_team(conn, f"Team {secrets.token_hex(3)}")
        subs = [
            _submission(team, OK_WORDS, hidden=True, tags=(("time", "helps"),)),
            _submission(team, PLAIN, hidden=False, tags=(("time", "helps"),)),
            _submission(team, OK_WORDS + " again", hidden=True, tags=()),
            _submission(team, PLAIN + " again", hidden=False, tags=()),
        ]
        assert await store_submissions(conn, subs) == []
    async with db.read() as conn:
        counted = await queries.theme_respondents(conn, ["2026-11"], "helps")
        pool = await queries.themed_quote_pool(
            conn, ["2026-11"], {team}, min_chars=10, per_theme=10
        )
        unthemed = await queries.unthemed_comments(conn, ["2026-11"])
    assert counted[team]["time"] == 2, "both young people are counted for the theme"
    assert [q.text for q in pool] == [PLAIN]
    assert sorted((c.text, c.quotable) for c in unthemed) == [
        (PLAIN + " again", True),
        (OK_WORDS + " again", False),
    ]
    topic = Topic("new-1", "time", {team: 2}, tuple(unthemed), {team: 0})
    assert [c.text for c in _topic_candidates(topic, {team})] == [PLAIN + " again"]
