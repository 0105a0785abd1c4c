"""The canary run (AN-01, AN-02, AN-04, AN-11, AN-14, SEC-18, SEC-20): a full check-in
through the fake Bot API by the synthetic canary identity, typing the shared canary words
(tests/canary.py) and sending with a receipt, with DEBUG logging to a file. Within 60 s of
Send, and again of `/delete CODE`, while the bot still runs, the raw bytes of the SQLite
file, its -wal and -shm, and the log hold none of the canary's words or values, not even
unkeyed hashes of the id; nor after it stops; and the bot token is nowhere in the log."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.telegram.channel import TelegramChannel
from storage.schema import Answer, Comment, Conversation, Submission
from tests import canary
from tests.at_rest.drive import receipt_in, telegram_delete
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import database_bytes, deliver, message, tap, tokens
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

CANARY_ID = 987654321012
CANARY = {
    "id": CANARY_ID,
    "is_bot": False,
    "first_name": "Quilliam",
    "last_name": "Fenwick-Canary",
    "username": "zz_canary_user",
    "language_code": "cy",
}
CHAT = {
    "id": CANARY_ID,
    "type": "private",
    "first_name": "Quilliam",
    "last_name": "Fenwick-Canary",
    "username": "zz_canary_user",
}
SECOND = {"id": 912345678901, "is_bot": False, "first_name": "Ottoline", "last_name": "Canary"}


def canary_values() -> list[str]:
    ids = [str(CANARY_ID), str(SECOND["id"])]
    hashes = [h(i.encode()).hexdigest() for i in ids for h in (hashlib.sha256, hashlib.md5)]
    names = ["quilliam", "fenwick-canary", "zz_canary_user", "ottoline canary", "ottoline"]
    return [*ids, *hashes, *names]


def _read(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The Telegram settings, with the WAL wipe on a short real timer."""
    return settings.model_copy(update={"wal_wipe_seconds": canary.WIPE_SECONDS})


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    with canary.debug_log(tmp_path / "logs" / "youthvoice.log") as path:
        yield path


async def _check_in(api: FakeTelegramAPI, channel: TelegramChannel, code: str) -> list[Call]:
    """Answer every question the way a person would: a deep link, buttons, the canary's
    words, a forwarded message half way, the review, then Send with a receipt."""
    said = await deliver(api, channel, message(CANARY_ID, f"/start {code}", CANARY, chat=CHAT))
    forwarded = False
    words = list(canary.WORDS)
    for _ in range(30):
        # Ended when only "Talk to a person" (under the helplines) is left to tap.
        asking = [c for c in said if tokens(c) and not tokens(c)[0].startswith("a:_reach:")]
        if not asking:
            return said
        choices = tokens(asking[-1])
        if "a:review:send" in choices:
            update = tap(CANARY_ID, "a:review:receipt", CANARY)
        elif choices[0].endswith(":next"):
            update = tap(CANARY_ID, choices[0], CANARY)
        elif any(t.endswith(":4") for t in choices):
            update = tap(CANARY_ID, next(t for t in choices if t.endswith(":4")), CANARY)
        else:  # a question answered in words
            if not forwarded:
                forwarded = True
                origin = {"type": "user", "date": 1700000000, "sender_user": SECOND}
                note = await deliver(
                    api,
                    channel,
                    message(
                        CANARY_ID,
                        "Ottoline Canary: don't tell anyone",
                        CANARY,
                        chat=CHAT,
                        forward_origin=origin,
                        forward_from=SECOND,
                    ),
                )
                assert [c.params["text"] for c in note] == [
                    channel.handler.service.kit.t("forwarded", "cy")
                ]
            update = message(CANARY_ID, words.pop(0), CANARY, chat=CHAT)
        said = await deliver(api, channel, update)
    raise AssertionError("the check-in did not end")


async def test_canary_check_in_leaves_no_trace(
    api: FakeTelegramAPI,
    debug_log: Path,
    services: Services,
    settings: Settings,
    invite_code: str,
    channel: TelegramChannel,
) -> None:
    ended = await _check_in(api, channel, invite_code)
    assert ended[-1].params["text"].endswith(services.conversations.kit.safety_block("cy"))
    async with services.db.read() as conn:
        (period,) = (await conn.execute(select(Submission.__table__.c.period))).scalars().all()
        answers = (await conn.execute(select(Answer.__table__.c.value))).scalars().all()
        comments = (await conn.execute(select(Comment.__table__.c.text))).scalars().all()
        drafts = (await conn.execute(select(Conversation.__table__.c.key))).all()
    assert re.fullmatch(r"\d{4}-\d{2}", period)  # AN-08: a month, never a time
    assert answers.count(4) == 6 and comments and drafts == []
    assert api.sent_messages()[0].params["text"].startswith("Helo.")  # cy, from AN-04
    assert api.violations == []  # every request the run made fits api.json

    code = receipt_in([c.params["text"] for c in ended])

    def scan() -> list[str]:
        canary.flush_logs()
        raw = database_bytes(settings) + _read(debug_log)
        return canary.leaks(raw, canary_values())

    # AN-11: while the bot runs, the WAL wipe after Send and after /delete clears it all.
    found: dict[str, list[str]] = {}
    assert await canary.wiped(services.db) < canary.DEADLINE
    found["after Send"] = scan()
    deleted = await telegram_delete(api, channel, CANARY, code)
    assert deleted[0].startswith(services.conversations.kit.t("deleted", "cy"))
    assert await canary.wiped(services.db) < canary.DEADLINE
    found["after /delete"] = scan()

    await channel.stop(timeout=5)
    await services.close()  # closed, every byte is in the files we scan
    found["after stopping"] = scan()
    assert found == {"after Send": [], "after /delete": [], "after stopping": []}
    log = _read(debug_log).lower()
    assert log.count(b"\n") > 5  # the log was written to: DEBUG lines from the run
    # SEC-20: the token (and its secret half) never reach the log, even at DEBUG.
    secret_half = api.token.split(":", 1)[1]
    assert api.token.lower().encode() not in log and secret_half.lower().encode() not in log
