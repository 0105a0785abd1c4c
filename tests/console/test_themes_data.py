"""Shared by the themes tests (there are no tests here): seeding young people's comments in
exactly the shape the conversation service stores them, and reading the themes page back
the way a browser or a spreadsheet would."""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Sequence

import httpx

from storage.schema import Comment, CommentTheme, Submission
from tests.console.htmlgrid import grid_tables, tidy_rows
from youthvoice.bootstrap import Services

# (question, scrubbed text, ((theme, polarity), ...)) — one comment of one young person.
Note = tuple[str, str, Sequence[tuple[str, str]]]

HELPS = "What helps"
BETTER = "What would make it better"
TOPICS = "New topics, in young people's words"
# Twelve young people's complaints about one room: no framework theme fits them, so they
# cluster into one emerging topic.
ROOM = (
    "the meeting room is freezing, we sit there in our coats",
    "the meeting room is always freezing when we go in there",
    "it is freezing in the meeting room every single time",
    "can someone fix the heating, the meeting room is freezing",
    "the meeting room is freezing cold and a bit damp too",
    "meeting room freezing again this week, could not focus",
    "the meeting room is freezing, nobody wants to stay long",
    "freezing meeting room, I had to wear my gloves inside",
    "the meeting room is freezing so we cut it short",
    "sort out the meeting room, it is freezing in winter",
    "the meeting room is freezing and the radiator is broken",
    "the meeting room upstairs is freezing most days",
)
_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.S)
_QUOTE_SECTION = re.compile(r'<section class="quotes">(.*?)</section>', re.S)


async def add_people(
    services: Services,
    *,
    team_id: str,
    month: str,
    people: Sequence[Sequence[Note]],
    worker_id: str | None = None,
) -> None:
    """One submission per young person, carrying that person's comments and theme tags."""
    subs, notes, tags = [], [], []
    for comments in people:
        sid = secrets.token_bytes(16)
        subs.append(
            {
                "id": sid,
                "period": month,
                "team_id": team_id,
                "worker_id": worker_id,
                "flow_id": "relationship-checkin",
                "flow_version": 1,
            }
        )
        for question, text, themes in comments:
            cid = secrets.token_bytes(16)
            notes.append(
                {
                    "id": cid,
                    "submission_id": sid,
                    "period": month,
                    "team_id": team_id,
                    "worker_id": worker_id,
                    "question": question,
                    "text": text,
                }
            )
            tags += [{"comment_id": cid, "theme": t, "polarity": p} for t, p in themes]
    async with services.db.write() as conn:
        await conn.execute(Submission.__table__.insert(), subs)
        if notes:
            await conn.execute(Comment.__table__.insert(), notes)
        if tags:
            await conn.execute(CommentTheme.__table__.insert(), tags)


def said(n: int, text: str, *themes: tuple[str, str], question: str = "tell") -> list[list[Note]]:
    """n young people who each wrote `text` (numbered, so every comment is distinct)."""
    return [[(question, f"{text} ({i})", themes)] for i in range(n)]


async def page(client: httpx.AsyncClient, period: str, scope: str) -> str:
    response = await client.get(f"/admin/reports/themes/{period}/{scope}")
    assert response.status_code == 200, response.status_code
    return response.text


def table(text: str, caption: str) -> dict[str, tuple[str, ...]]:
    """The page's table with this caption: first cell -> the other cells."""
    for title, rows in grid_tables(text):
        if title == caption:
            return {row[0]: row[1:] for row in rows[1:]}
    raise AssertionError(f"no table {caption!r}")


def cell(text: str, caption: str, label: str) -> str:
    return table(text, caption)[label][0]


def quotes(text: str) -> list[str]:
    return [html.unescape(q).strip() for q in _QUOTE.findall(text)]


def quote_sections(text: str) -> list[str]:
    """The raw HTML of each group of quotes, heading included."""
    return _QUOTE_SECTION.findall(text)


async def export(
    client: httpx.AsyncClient, csrf: str, period: str, scope: str
) -> list[dict[str, str]]:
    response = await client.post(
        "/admin/reports/export",
        data={"csrf": csrf, "kind": "themes", "period": period, "scope": scope},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return tidy_rows(response.text)
