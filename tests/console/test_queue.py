"""The safeguarding lead's queue (SG-07, SG-08, CC-25): age in hours or days (never a
time), language and team for each request, fifty to a page, oldest first."""

from __future__ import annotations

import datetime as dt
import re

from storage import help_requests
from storage.help_requests import NewHelpRequest
from storage.schema import SafetyCount
from tests.console.conftest import START, as_user


async def test_the_queue_pages_after_fifty_with_age_language_and_team(client, services, org, clock):
    clock.advance(days=3)
    async with services.db.write() as conn:
        await help_requests.add(
            conn,
            [
                NewHelpRequest(
                    id=f"req-{n:03d}",
                    created_at=START + dt.timedelta(hours=n),
                    kind="concern" if n == 5 else "person",
                    lang="cy" if n == 0 else "en",
                    team_id=org.team_b,
                    sealed_contact=services.sealer.seal(f"contact number {n:03d}"),
                )
                for n in range(119)
            ],
        )
        await conn.execute(
            SafetyCount.__table__.insert(),
            [
                {"period": "2026-05", "reason": "disclosure", "category": c, "count": n}
                for c, n in (("worker_allegation", 2), ("home_harm", 7))
            ]
            + [
                {
                    "period": "2026-04",
                    "reason": "disclosure",
                    "category": "worker_allegation",
                    "count": 9,
                }
            ],
        )
    await as_user(client, services, org.users["dsl"])
    first = (await client.get("/admin/queue")).text
    assert first.count('<li id="help-') == 50, "fifty to a page"
    shown = re.findall(r"contact number (\d{3})", first)
    assert shown == [f"{n:03d}" for n in range(49)], "oldest first, after the seeded one"
    assert "120 waiting" in first and "The oldest has waited <strong>3 days</strong>" in first
    assert "Welsh" in first and "team: " in first and "Concern" in first
    assert re.search(r"waiting \d+ (hours?|days)", first)
    assert not re.search(r"\d{1,2}:\d{2}", first.split("Help requests", 1)[1]), "no clock time"
    assert 'href="/admin/queue?page=2"' in first
    assert "a worry about a member of staff: <strong>2</strong>" in first, "SG-09, counted only"
    third = (await client.get("/admin/queue?page=3")).text
    assert third.count('<li id="help-') == 20
    assert re.findall(r"contact number (\d{3})", third)[-1] == "118"
    assert "Page 3 of 3" in third
