"""The canary run over WhatsApp (AN-01, AN-02, AN-11, AN-14, SEC-18): a full check-in by a
person whose profile name, wa_id and message ids (which carry the number) are canaries,
typing the shared canary words (tests/canary.py: a name, an address, a school, a handle,
a phone number, an email), with a shared contact and a location on the way, and Send with
a receipt, with DEBUG logging to a file. After Send, after `/delete CODE` and after
stopping, the raw bytes of the SQLite file, its -wal and -shm, and the log hold none of
it, nor the service's own number from the metadata, nor unkeyed hashes of the wa_id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import canary
from tests.at_rest.drive import receipt_in
from tests.whatsapp import payloads as p
from tests.whatsapp.conftest import APP_SECRET, Phone
from tests.whatsapp.drive import Person
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

WA_ID = "447700900461"  # the canary's number, as WhatsApp gives it
PROFILE = "Quilliam Fenwick-Canary"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"wal_wipe_seconds": canary.WIPE_SECONDS})


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    with canary.debug_log(tmp_path / "logs" / "youthvoice.log") as path:
        yield path


class Recording(Person):
    """A person whose every message id is kept, to look for in the files."""

    ids: list[str]

    async def _send(self, payload: dict[str, Any]) -> list[str]:
        self.ids = [*getattr(self, "ids", []), *_ids(payload)]
        return await super()._send(payload)


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _ids(payload: dict[str, Any]) -> list[str]:
    return [
        m["id"]
        for e in payload["entry"]
        for c in e["changes"]
        for m in c["value"].get("messages", [])
    ]


async def _check_in(person: Recording, code: str) -> list[str]:
    said = await person.type(f"START {code}")
    words = list(canary.WORDS)
    shared = False
    for _ in range(30):
        offered = person.offered()
        if not offered or offered[0].startswith("a:_reach:"):
            return said
        if "a:review:send" in offered:
            said = await person.tap("a:review:receipt")
        elif offered[0].endswith(":next"):
            said = await person.tap(offered[0])
        elif any(t.endswith(":4") for t in offered):
            said = await person.tap(next(t for t in offered if t.endswith(":4")))
        else:  # a question answered in words; first, a contact card and a location
            if not shared:
                shared = True
                await person._send(p.contacts(person.wa_id))
                await person._send(p.location(person.wa_id))
            said = await person.type(words.pop(0))
    raise AssertionError("the check-in did not end")


async def test_canary_check_in_leaves_no_trace(
    debug_log: Path, phone: Phone, services: Services, settings: Settings, invite_code: str
) -> None:
    person = Recording(phone, WA_ID, PROFILE)
    ended = await _check_in(person, invite_code)
    code = receipt_in(ended)
    hashes = [h(WA_ID.encode()).hexdigest() for h in (hashlib.sha256, hashlib.md5)]
    values = [WA_ID, "quilliam", "fenwick-canary", p.BUSINESS_NUMBER, *person.ids, *hashes]
    assert len(person.ids) == 14  # 12 steps, a contact card and a location

    def scan() -> list[str]:
        canary.flush_logs()
        raw = canary.database_files(settings.data_dir) + _read(debug_log)
        return canary.leaks(raw, values)

    found: dict[str, list[str]] = {}
    assert await canary.wiped(services.db) < canary.DEADLINE
    found["after Send"] = scan()
    said = await person.type(f"/delete {code}")
    assert said[0] == services.conversations.kit.t("deleted", "en")
    assert await canary.wiped(services.db) < canary.DEADLINE
    found["after /delete"] = scan()
    await phone.channel.stop(timeout=5)
    await services.close()
    found["after stopping"] = scan()
    assert found == {"after Send": [], "after /delete": [], "after stopping": []}
    log = _read(debug_log)
    assert log.count(b"\n") > 5  # DEBUG lines were written
    for secret in (phone.graph.token, APP_SECRET):  # SEC-20
        assert secret.encode() not in log
