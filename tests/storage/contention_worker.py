"""One writer process for the contention test: N concurrent writers for D seconds, each
sending whole submissions through the normal write path. Prints a JSON summary."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time

from storage.committer import GroupCommitter
from storage.conversations import Effects, Job, NewSubmission, apply_batch, random_key
from storage.db import Database


async def main(url: str, team: str, writers: int, seconds: float, tag: str) -> None:
    db = Database(url)
    committer = GroupCommitter(db, apply_batch)
    attempted = done = 0
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    async def writer(w: int) -> None:
        nonlocal attempted, done
        n = 0
        while time.monotonic() < deadline:
            n += 1
            now = dt.datetime.now(dt.UTC)
            sub = NewSubmission(
                id=random_key(),
                period="2026-11",
                team_id=team,
                worker_id=None,
                flow_id="relationship-checkin",
                flow_version=1,
                participation=f"{tag}-{w}-{n}",
                purge_after="2027-12",
                answers=(("trust", 4, "answered"),),
                comments=(),
            )
            attempted += 1
            try:
                effects = Effects(state=None, submission=sub)
                await committer.run(
                    Job(
                        f"{tag}-{w}",
                        now,
                        now,
                        lambda _d, _i, e=effects: (e, None),
                        f"{tag}:{w}:{n}",
                    )
                )
                done += 1
            except Exception as exc:  # noqa: BLE001 - every error is reported to the test
                errors.append(repr(exc))

    await asyncio.gather(*(writer(w) for w in range(writers)))
    await committer.close()
    await db.dispose()
    print(
        json.dumps(
            {"attempted": attempted, "done": done, "errors": errors[:5], "error_count": len(errors)}
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]))
