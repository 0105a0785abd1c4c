"""The padding attack over real HTTP, against `youthvoice serve` as `make run` starts it
(issue 10, issue 12 finding 4), with the default settings.

As reported: one client sent 40 whole check-ins in 4 s, and 20 help requests in 3 s, and
nothing limited or flagged either. Now the same client is paced in memory with a kind
message (help is never refused), the check-ins that get through beyond the invite's
expected pace are held out of the figures, and neither the client's address nor anything
derived from it is in the database files or the log."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.webchat.live import COOKIE, LiveServer, serve
from tests.webchat.page import Page, read

PACED = "Lots of check-ins are coming from here just now. Please try again in a little while."
PERSON_PACED = "Lots of requests to talk to a person are coming from here just now"
SAFETY = "If you need help now"
BURST = 10  # PACE_CLIENT_CHECKINS_BURST's default
HELP_BURST = 3  # PACE_CLIENT_HELP_BURST's default
INVITE_HOUR = 6  # PACE_INVITE_PER_HOUR's default


class Young:
    """One browser tab over plain forms. The chat's cookie is Secure, which a client on
    http://localhost keeps to itself, so it is carried here by hand."""

    def __init__(self, http: httpx.Client, link: str) -> None:
        self.http = http
        self.link = link
        self.cookie = ""
        self.page = Page(0)

    def open(self) -> Page:
        return self._load(self.http.get(self.link))

    def press(self, label: str) -> Page:
        return self.post(t=self.page.token(label))

    def write(self, words: str) -> Page:
        return self.post(text=words, send="words")

    def post(self, **fields: str) -> Page:
        data = {"csrf": self.page.csrf, "lang": self.page.lang, "step": self.page.step, **fields}
        headers = {"cookie": f"{COOKIE}={self.cookie}"}
        return self._load(self.http.post(self.link, data=data, headers=headers))

    def _load(self, response: httpx.Response) -> Page:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            if name == COOKIE:
                self.cookie = rest.split(";", 1)[0].strip('"')
        self.http.cookies.clear()
        self.page = read(response.status_code, response.text)
        return self.page


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    with serve(tmp_path / "var") as server:
        yield server


def _count(live: LiveServer, sql: str) -> int:
    with sqlite3.connect(f"file:{live.database}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _help_counted(live: LiveServer) -> int:
    """ "Get help now" as counted for the safety report (demo data has some already)."""
    return _count(live, "SELECT coalesce(sum(count), 0) FROM safety_counts WHERE reason = 'help'")


def _no_address_kept(live: LiveServer) -> None:
    """AN-01, SEC-18: the address pacing read is nowhere in the files or the log."""
    for address in (b"127.0.0.1", b"::1"):
        assert address not in live.files_bytes()
        assert address.decode() not in live.logged()


def test_forty_check_ins_from_one_client_are_paced_and_the_burst_is_held(
    live: LiveServer,
) -> None:
    before = live.count("submissions")
    outcomes: list[str] = []
    with httpx.Client(timeout=30) as http:
        started = time.monotonic()
        for _ in range(40):
            young = Young(http, live.chat_link)
            page = young.open()
            if PACED not in page.text:
                page = young.press("Start")
            # Paced at Start, or already when the link opens once the client has no starts
            # left (so a guessed code and a real one get the same answer, issue 15).
            if PACED in page.text:
                assert SAFETY in page.text and page.status in (200, 429), "help comes with it"
                outcomes.append("paced")
                continue
            for _ in range(9):  # six scales and three questions in words
                page = young.press("Skip")
            page = young.press("Send")
            outcomes.append("sent" if "Sent — thank you" in page.text else page.text)
        elapsed = time.monotonic() - started
    print(f"40 check-ins from one client in {elapsed:.1f} s: {outcomes.count('sent')} sent")
    refilled = int(elapsed // 60)  # one more start a minute after the burst
    assert BURST <= outcomes.count("sent") <= BURST + refilled
    assert outcomes.count("paced") == 40 - outcomes.count("sent")
    sent = live.count("submissions") - before
    assert sent == outcomes.count("sent")
    # Of those that got through, the invite's expected pace counts 6 this hour; the rest
    # are held out of every figure under one content-free alert.
    held = _count(live, "SELECT count(*) FROM submissions WHERE hold_id IS NOT NULL")
    assert held == sent - INVITE_HOUR
    assert _count(live, "SELECT count(*) FROM volume_alerts WHERE status = 'open'") == 1
    _no_address_kept(live)


def test_twenty_help_requests_from_one_client_are_paced_never_refused(
    live: LiveServer,
) -> None:
    queued, counted = live.count("help_requests"), _help_counted(live)
    with httpx.Client(timeout=30) as http:
        young = Young(http, live.chat_link)
        young.open()
        young.press("Start")
        started = time.monotonic()
        pages = []
        for n in range(20):
            young.write("my mums boyfriend hits me")
            young.press("Talk to a person")
            pages.append(young.write(f"text me on 07700 90{n:04d}"))
            young.press("Carry on with feedback")
        helped = [young.press("Get help now") for _ in range(20)]
        elapsed = time.monotonic() - started
    print(f"20 help requests and 20 'Get help now' from one client in {elapsed:.1f} s")
    # Help is never refused: every page says how to get help now (999 and the helplines).
    assert all(p.status == 200 and "tel:999" in p.calls for p in pages), "help always"
    assert all(p.status == 200 and SAFETY in p.text for p in pages[HELP_BURST:] + helped)
    assert live.count("help_requests") - queued == HELP_BURST
    assert [PERSON_PACED in p.text for p in pages] == [False] * HELP_BURST + [True] * (
        20 - HELP_BURST
    )
    assert _help_counted(live) - counted == HELP_BURST
    _no_address_kept(live)
