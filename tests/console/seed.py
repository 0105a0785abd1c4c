"""Seeded datasets for console tests and the report benchmark: bulk inserts of anonymous
submissions, exactly the shape the conversation service writes."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import Answer, Comment, CommentTheme, HelpRequest, SafetyCount, Submission

ITEMS = ("trust", "relatability", "heard", "power", "agency", "aliveness")


async def add_submissions(
    conn: AsyncConnection,
    *,
    team_id: str,
    period: str,
    count: int,
    rng: random.Random,
    worker_id: str | None = None,
    values: Sequence[int] = (2, 3, 4, 4, 5),
    comments: Sequence[tuple[str, str, Sequence[str]]] = (),
    item_values: Mapping[str, Sequence[int]] | None = None,
    polarity_of_question: bool = False,
) -> None:
    """`count` submissions for one team and month; answers drawn from `values` (or per
    item from `item_values`), with an occasional skip. Each (question, text, themes)
    comment goes on its own submission, tagged "helps" unless `polarity_of_question`
    tags a "better" comment "better"."""
    subs, answers, notes, tags = [], [], [], []
    for i in range(count):
        sid = secrets.token_bytes(16)
        subs.append(
            {
                "id": sid,
                "period": period,
                "team_id": team_id,
                "worker_id": worker_id,
                "flow_id": "relationship-checkin",
                "flow_version": 1,
            }
        )
        for item in ITEMS:
            if rng.random() < 0.05:
                answers.append(
                    {"submission_id": sid, "item": item, "value": None, "status": "skip"}
                )
            else:
                value = rng.choice((item_values or {}).get(item, values))
                answers.append(
                    {"submission_id": sid, "item": item, "value": value, "status": "answered"}
                )
        if i < len(comments):
            question, text, themes = comments[i]
            cid = secrets.token_bytes(16)
            notes.append(
                {
                    "id": cid,
                    "submission_id": sid,
                    "period": period,
                    "team_id": team_id,
                    "worker_id": worker_id,
                    "question": question,
                    "text": text,
                }
            )
            polarity = "better" if polarity_of_question and question == "better" else "helps"
            tags.extend({"comment_id": cid, "theme": t, "polarity": polarity} for t in themes)
    if subs:
        await conn.execute(Submission.__table__.insert(), subs)
        await conn.execute(Answer.__table__.insert(), answers)
    if notes:
        await conn.execute(Comment.__table__.insert(), notes)
    if tags:
        await conn.execute(CommentTheme.__table__.insert(), tags)


async def add_safety(conn: AsyncConnection, period: str, reason: str, count: int) -> None:
    await conn.execute(
        SafetyCount.__table__.insert().values(
            period=period, reason=reason, category="general", count=count
        )
    )


async def add_help_request(
    conn: AsyncConnection, request_id: str, sealed_contact: bytes, at: object, team_id: str
) -> None:
    await conn.execute(
        HelpRequest.__table__.insert().values(
            id=request_id, created_at=at, sealed_contact=sealed_contact, team_id=team_id
        )
    )
