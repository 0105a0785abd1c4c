"""The canary run (AN-01, AN-02, AN-04, SEC-18, SEC-20): a full check-in through the fake
Bot API by the synthetic canary identity, with DEBUG logging to a file. Afterwards the
raw bytes of the SQLite file, its -wal and -shm, and the log hold none of the canary's
values, not even unkeyed hashes of the id, and the bot token is nowhere in the log."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.telegram.channel import TelegramChannel
from storage.schema import Answer, Comment, Conversation, Submission
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import database_bytes, deliver, message, tap, tokens
from youthvoice import logs
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
WORDS = "They listen to me and help me plan things"


def canary_values() -> list[str]:
    ids = [str(CANARY_ID), str(SECOND["id"])]
    hashes = [h(i.encode()).hexdigest() for i in ids for h in (hashlib.sha256, hashlib.md5)]
    names = ["quilliam", "fenwick-canary", "zz_canary_user", "ottoline canary", "ottoline"]
    return [*ids, *hashes, *names]


def _read(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """The product's own logging (youthvoice.logs) at DEBUG into a file; restored after."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET}
    path = tmp_path / "logs" / "youthvoice.log"
    logs.configure("DEBUG", path)
    try:
        yield path
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


async def _check_in(api: FakeTelegramAPI, channel: TelegramChannel, code: str) -> list[Call]:
    """Answer every question the way a person would: a deep link, buttons, words, a
    forwarded message half way, the review, then Send."""
    said = await deliver(api, channel, message(CANARY_ID, f"/start {code}", CANARY, chat=CHAT))
    forwarded = False
    for _ in range(30):
        # Ended when only "Talk to a person" (under the helplines) is left to tap.
        asking = [c for c in said if tokens(c) and not tokens(c)[0].startswith("a:_reach:")]
        if not asking:
            return said
        choices = tokens(asking[-1])
        if "a:review:send" in choices:
            update = tap(CANARY_ID, "a:review:send", CANARY)
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
            update = message(CANARY_ID, WORDS, CANARY, chat=CHAT)
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
    assert ended[-1].params["text"] == services.conversations.kit.safety_block("cy")
    async with services.db.read() as conn:
        (period,) = (await conn.execute(select(Submission.__table__.c.period))).scalars().all()
        answers = (await conn.execute(select(Answer.__table__.c.value))).scalars().all()
        comments = (await conn.execute(select(Comment.__table__.c.text))).scalars().all()
        drafts = (await conn.execute(select(Conversation.__table__.c.key))).all()
    assert re.fullmatch(r"\d{4}-\d{2}", period)  # AN-08: a month, never a time
    assert answers.count(4) == 6 and comments and drafts == []
    assert api.sent_messages()[0].params["text"].startswith("Helo.")  # cy, from AN-04
    assert api.violations == []  # every request the run made fits api.json

    await channel.stop(timeout=5)
    await services.close()  # checkpoint, so every byte is in the files we scan
    for handler in logging.getLogger().handlers:
        handler.flush()
    db = database_bytes(settings).lower()
    log = _read(debug_log).lower()
    assert log.count(b"\n") > 5  # the log was written to: DEBUG lines from the run
    for value in canary_values():
        assert value.encode() not in db, f"database holds {value}"
        assert value.encode() not in log, f"log holds {value}"
    # SEC-20: the token (and its secret half) never reach the log, even at DEBUG.
    secret_half = api.token.split(":", 1)[1]
    assert api.token.lower().encode() not in log and secret_half.lower().encode() not in log
