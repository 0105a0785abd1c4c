"""Receipt deletions count every attempt (AN-19, SEC-03): 100 parallel /delete posts over
real HTTP check no more codes than the hourly budget, and the right code late in the
burst is refused like the rest, so its answers stay until it is tried again later."""

from __future__ import annotations

import asyncio

import httpx

from storage.schema import Submission
from tests.console.live import serving
from tests.test_receipts import CODE, _counts, _send
from tests.webchat.page import read

BUDGET = 10
BURST = 100


def _other(code: str, i: int) -> str:
    """A well-formed code that is not `code`."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    tail = "".join(alphabet[(i // len(alphabet) ** k) % len(alphabet)] for k in range(4))
    made = "ZZZZZ-Z" + tail
    return made if made != code else "YYYYY-Y" + tail


async def test_a_burst_of_codes_checks_at_most_the_budget(svc):
    from admin.app import create_app

    (code,) = {m for t in await _send(svc, "someone", "receipt") for m in CODE.findall(t)}
    svc.conversations.receipt_tries_per_hour = BUDGET
    kit = svc.conversations.kit
    async with serving(create_app(svc)) as http:
        form = read(200, (await http.get("/delete")).text)
        codes = [_other(code, i) for i in range(BURST)]
        codes[29] = code

        async def wave(part: list[str]) -> list[httpx.Response]:
            posts = (http.post("/delete", data={"csrf": form.csrf, "code": c}) for c in part)
            return await asyncio.gather(*posts)

        # One instant on the server's clock; the first 29 are answered before the rest
        # are sent, so the right code is certainly the 30th.
        responses = [*await wave(codes[:29]), *await wave(codes[29:])]
    said = [read(r.status_code, r.text).text for r in responses]
    unknown = sum(kit.t("delete_unknown", "en") in s for s in said)
    busy = sum(kit.t("delete_busy", "en") in s for s in said)
    assert unknown <= BUDGET and unknown + busy == BURST
    assert kit.t("delete_busy", "en") in said[29]
    assert (await _counts(svc))[Submission.__tablename__] == 1  # not deleted in the burst
