"""Young people using the web chat on a phone, with and without JavaScript, against the
real product (`youthvoice serve` with demo data) in Debian's Chromium.

After each conversation the raw database bytes (with -wal and -shm) and everything the
server logged or printed are scanned for the browser's cookie value, its user agent and
its IP address (AN-01, AN-05, SEC-18), and the browser must not have asked any other
host for anything (CC-16).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, LocatorAssertions, Page, expect

from tests.webchat.live import MANY_STARTS, USER_AGENT, LiveServer, Phone, phone, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAFETY = "If you need help now"
CLEAR = "On a shared phone or computer?"
CLIENT_IP = "127.0.0.1"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("live") / "var", **MANY_STARTS) as server:
        yield server


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def person(request: pytest.FixtureRequest, chromium: Browser, live: LiveServer) -> Iterator[Phone]:
    young = phone(chromium, live.base, javascript=request.param)
    yield young
    young.context.close()
    assert young.outside == [], "the page asked another site for something"


def press(person: Phone, name: str) -> None:
    person.submit(person.page.get_by_role("button", name=name, exact=True).first)


def fixed(person: Phone, name: str) -> None:
    """The "Get help now" / "Stop and delete" pair that is on every screen."""
    row = person.page.locator(".row-always")
    person.submit(row.get_by_role("button", name=name, exact=True))


def question(page: Page) -> LocatorAssertions:
    """The question on screen: the page's main heading."""
    return expect(page.get_by_role("heading", level=1))


def no_trace(live: LiveServer, cookie: str | None) -> None:
    assert cookie, "the conversation had a cookie"
    raw, logged = live.files_bytes(), live.logged()
    assert b"DEMO Northside" in raw and "Uvicorn running" in logged  # the scan sees data
    for canary in (cookie, USER_AGENT, "YVCanaryBrowser", CLIENT_IP):
        assert canary.encode() not in raw, canary
        assert canary not in logged, canary


def test_a_whole_check_in_on_a_phone(person: Phone, live: LiveServer) -> None:
    """Complete it, skip, go back, get help, write words, send (CC-21, SG-01, AN-12)."""
    page = person.page
    sent_before = live.count("submissions")
    page.goto(live.chat_link)
    expect(page.locator("main")).to_contain_text(SAFETY)
    cookie = person.cookie()
    press(person, "Start")
    question(page).to_have_text(
        "Think about the person who supports you. Do you feel you can be honest with them?"
    )
    press(person, "Mostly")
    question(page).to_contain_text("Do they get what your life is like")
    press(person, "Skip")
    question(page).to_contain_text("When you talk")
    press(person, "Back")
    question(page).to_contain_text("Do they get what your life is like")
    fixed(person, "Get help now")
    expect(page.locator(".msg-safety")).to_contain_text("Childline: call 0800 1111")
    question(page).to_contain_text("Do they get what your life is like")
    for answer in ("Totally", "Sometimes", "Prefer not to say", "A little", "Totally"):
        press(person, answer)
    expect(page.locator("main")).to_contain_text("please don't put names")
    page.get_by_label("Your words").fill("they always listen to me properly")
    press(person, "Next")
    question(page).to_contain_text("What one thing would make it better")
    press(person, "Skip")
    press(person, "Skip")
    expect(page.locator("main")).to_contain_text("This is what you'll send")
    press(person, "Send")
    main = page.locator("main")
    question(page).to_have_text("✓ Sent — thank you")
    expect(main).to_contain_text("What happens next: every three months, staff see totals")
    expect(main).to_contain_text("Sent — thank you")
    expect(main).to_contain_text(SAFETY)
    expect(main).to_contain_text(CLEAR)
    assert person.cookie() is None
    assert live.count("submissions") == sent_before + 1
    no_trace(live, cookie)


def test_stopping_midway_keeps_nothing(person: Phone, live: LiveServer) -> None:
    """AN-03: Stop deletes the draft at once; no submission is stored."""
    page = person.page
    sent_before, drafts_before = live.count("submissions"), live.count("conversations")
    page.goto(live.chat_link)
    cookie = person.cookie()
    press(person, "Start")
    press(person, "Mostly")
    press(person, "A little")
    question(page).to_contain_text("When you talk")
    assert live.count("conversations") == drafts_before + 1
    fixed(person, "Stop and delete")
    question(page).to_have_text("Stop and delete your answers?")  # asked first (issue 16)
    assert live.count("conversations") == drafts_before + 1
    press(person, "Yes, stop and delete")
    expect(page.locator("main")).to_contain_text("Stopped. Nothing you answered has been kept.")
    expect(page.locator("main")).to_contain_text(CLEAR)
    assert person.cookie() is None
    assert live.count("submissions") == sent_before
    assert live.count("conversations") == drafts_before
    no_trace(live, cookie)


def test_a_disclosure_in_words_gets_the_safety_pause(person: Phone, live: LiveServer) -> None:
    """SG-04: the flow pauses with help, a person, carry on and stop; nothing is stored."""
    page = person.page
    sent_before = live.count("submissions")
    page.goto(live.chat_link)
    cookie = person.cookie()
    press(person, "Start")
    for _ in range(6):
        press(person, "Skip")
    page.get_by_label("Your words").fill("im scared to go home, my stepdad hits me")
    press(person, "Next")
    main = page.locator("main")
    expect(main).to_contain_text("What you wrote sounds serious")
    expect(main).to_contain_text("Childline")
    for choice in ("Get help now", "Talk to a person", "Carry on with feedback", "Stop"):
        expect(page.get_by_role("button", name=choice, exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="What one thing")).to_have_count(0)  # paused
    assert live.count("submissions") == sent_before
    no_trace(live, cookie)


def test_quick_exit_leaves_no_way_back_with_javascript(chromium: Browser, live: LiveServer) -> None:
    """With JavaScript, Quick exit replaces the chat in the tab's history (the neutral
    site is answered locally: nothing leaves the machine)."""
    young = phone(chromium, live.base)
    exit_page = "https://www.bbc.co.uk/weather"
    young.context.unroute("**/*")
    young.context.route(
        "**/*",
        lambda route: (
            route.fulfill(body="<title>Weather</title>", content_type="text/html")
            if route.request.url.startswith(exit_page)
            else route.continue_()
        ),
    )
    page = young.page
    page.goto(f"{live.base}/privacy")
    page.goto(live.chat_link)
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(exit_page)
    page.go_back()
    assert page.url == f"{live.base}/privacy"
    young.context.close()
