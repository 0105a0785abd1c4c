"""The check-in over plain HTML forms (no JavaScript), against the real app and database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from storage import catalog
from storage.catalog import InviteInfo
from storage.schema import Answer, Comment, SafetyCount
from tests.webchat.conftest import Browser, count, drafts, submissions
from youthvoice.bootstrap import Services

SAFETY = "If you need help now"
# The helplines, shown once as buttons (issue 16 item 5): 999 and Childline at least.
HELPLINES = {"tel:999", "tel:08001111"}
CLEAR = "On a shared phone or computer?"


async def test_a_whole_check_in_with_skip_back_and_words(
    browser: Browser, services: Services
) -> None:
    """CC-21 skip parity, back, SG-01 help, AN-14 scrubbed words; one submission on Send."""
    page = await browser.open()
    assert (
        page.status == 200
        and "2-minute check-in" in page.text
        and SAFETY in page.text
        and HELPLINES <= page.calls
    )
    page = await browser.press("Start")
    assert page.h1.startswith("Think about the person who supports you")
    assert "Question 1 of 9" in page.text
    assert {"Skip", "Prefer not to say", "Back", "Get help now", "Stop and delete"} <= set(
        page.buttons
    )
    page = await browser.press("Mostly")
    assert page.h1.startswith("Do they get what your life is like")
    page = await browser.press("Skip")
    assert page.h1.startswith("When you talk")
    page = await browser.press("Back")
    assert page.h1.startswith("Do they get what your life is like")
    page = await browser.press("Get help now")
    assert (
        SAFETY in page.text
        and HELPLINES <= page.calls
        and page.h1.startswith("Do they get what your life is like")
    )
    for label in ("Totally", "Sometimes", "Prefer not to say", "A little", "Totally"):
        page = await browser.press(label)
    assert page.has_textarea and "please don't put names" in page.text
    page = await browser.write("Ottilie listens, ring me on 07700 900981")
    assert page.h1.startswith("What one thing would make it better")
    page = await browser.press("Skip")
    page = await browser.press("Skip")
    assert "This is what you'll send" in page.text
    assert await submissions(services) == 0  # nothing is kept before Send (AN-03)
    page = await browser.press("Send")
    assert (
        "Sent — thank you" in page.text
        and SAFETY in page.text
        and HELPLINES <= page.calls
        and CLEAR in page.text
    )
    assert "Stop and delete" not in page.buttons and page.csrf == ""
    assert await submissions(services) == 1 and await drafts(services) == 0
    async with services.db.read() as conn:
        answers = {r.item: (r.value, r.status) for r in await conn.execute(select(Answer))}
        words = [r.text for r in await conn.execute(select(Comment.__table__.c.text))]
    assert answers == {
        "trust": (4, "answered"),
        "relatability": (5, "answered"),
        "heard": (3, "answered"),
        "power": (None, "pns"),
        "agency": (2, "answered"),
        "aliveness": (5, "answered"),
    }
    assert words == ["[NAME] listens, ring me on [PHONE]"]


async def test_opening_a_link_stores_nothing(browser: Browser, services: Services) -> None:
    """SEC-09: GET changes nothing (a link preview or a reload writes no row); the draft
    begins with the first button pressed."""
    await browser.open()
    await browser.open()
    assert await drafts(services) == 0 and await count(services, SafetyCount) == 0
    page = await browser.press("Start")
    assert page.h1.startswith("Think about the person")
    assert await drafts(services) == 1 and await count(services, SafetyCount) == 1


async def test_the_cookie_lives_only_for_the_conversation(browser: Browser) -> None:
    """AN-05 / SEC-08: __Host- cookie, Secure, HttpOnly, SameSite=Strict, no lifetime; gone
    after Stop."""
    await browser.open()
    assert browser.response is not None
    set_cookie = browser.response.headers["set-cookie"]
    name_value, *attributes = [part.strip() for part in set_cookie.split(";")]
    assert name_value.startswith("__Host-yvchat=") and len(name_value.split("=", 1)[1]) >= 43
    assert {a.lower() for a in attributes} == {"httponly", "path=/", "samesite=strict", "secure"}
    page = await browser.press("Not now")
    assert "Stopped. Nothing you answered has been kept." in page.text and CLEAR in page.text
    cleared = browser.response.headers["set-cookie"]
    assert cleared.startswith('__Host-yvchat=""') and "Max-Age=0" in cleared


async def test_stop_midway_keeps_nothing(browser: Browser, services: Services) -> None:
    """AN-03: Stop discards the draft; no submission, no draft row."""
    await browser.open()
    await browser.press("Start")
    await browser.press("Mostly")
    assert await drafts(services) == 1
    page = await browser.press("Stop and delete")
    assert page.h1 == "Stop and delete your answers?" and await drafts(services) == 1
    assert page.links["No, go back"] == f"/c/{browser.code}"  # asked first (issue 16)
    page = await browser.press("Yes, stop and delete")
    assert (
        "Nothing you answered has been kept" in page.text
        and SAFETY in page.text
        and HELPLINES <= page.calls
    )
    assert await submissions(services) == 0 and await drafts(services) == 0


async def test_a_disclosure_in_words_pauses_with_help(browser: Browser, services: Services) -> None:
    """SG-04: after a disclosure the next question is not asked; the four choices are."""
    await browser.open()
    await browser.press("Start")
    for _ in range(6):
        await browser.press("Skip")
    page = await browser.write("my step dad hits me when he's drunk")
    assert "sounds serious" in page.text and SAFETY in page.text and HELPLINES <= page.calls
    assert {"Get help now", "Talk to a person", "Carry on with feedback", "Stop"} <= set(
        page.buttons
    )
    assert not page.h1.startswith("What one thing")
    page = await browser.press("Carry on with feedback")
    assert page.has_textarea
    assert await submissions(services) == 0


async def test_anything_not_understood_gets_the_helplines(browser: Browser) -> None:
    """SG-01: words where a button was expected get the safety block, as buttons, and the
    same question again."""
    await browser.open()
    await browser.press("Start")
    page = await browser.write("what do i press")
    assert "I didn't get that" in page.text and SAFETY in page.text
    assert HELPLINES <= page.calls and page.h1.startswith("Think about the person")


async def test_reloading_shows_the_same_question_and_keeps_answers(browser: Browser) -> None:
    """A reload (GET) shows where the young person is, without starting again."""
    await browser.open()
    await browser.press("Start")
    await browser.press("Mostly")
    page = await browser.open()
    assert page.h1.startswith("Do they get what your life is like")
    assert "earlier question" not in page.text
    page = await browser.press("Back")
    assert page.h1.startswith("Think about the person")


async def test_a_stale_button_gets_the_current_question(browser: Browser) -> None:
    """A resubmitted old page (browser Back without JavaScript) changes nothing."""
    await browser.open()
    await browser.press("Start")
    first = browser.page
    await browser.press("Mostly")
    browser.page = first
    page = await browser.press("Totally")
    assert "That button is from an earlier question" in page.text
    assert page.h1.startswith("Do they get what your life is like")


async def test_welsh_from_the_link_and_by_the_language_button(browser: Browser) -> None:
    """`?lang=cy` starts in Welsh; the language command switches; <html lang> follows."""
    page = await browser.open("?lang=cy")
    assert page.lang == "cy" and page.dir == "ltr" and "Helo." in page.text
    page = await browser.press("English / Cymraeg")
    assert "Pa iaith?" in page.text
    page = await browser.press("English")
    assert page.lang == "en" and "Hi. This is a 2-minute check-in" in page.text
    await browser.press("Stop and delete")
    page = await browser.press("Yes, stop and delete")
    assert page.lang == "en"


async def test_a_right_to_left_language_sets_dir(
    client, services: Services, invite: InviteInfo
) -> None:
    """The question set's `rtl` list decides the page direction."""
    flow = services.flows["relationship-checkin"]
    services.flows["rtl-test"] = flow.model_copy(update={"id": "rtl-test", "rtl": ["cy"]})
    async with services.db.write() as conn:
        made = await catalog.add_invite(
            conn, team_id=invite.team_id, flow_id="rtl-test", label="x", now=services.clock()
        )
    welsh = await Browser(client, made.code).open("?lang=cy")
    client.cookies.clear()  # another young person
    english = await Browser(client, made.code).open()
    assert (welsh.lang, welsh.dir) == ("cy", "rtl") and (english.lang, english.dir) == ("en", "ltr")


async def test_links_that_do_not_work_get_a_kind_404(
    client, services: Services, invite: InviteInfo
) -> None:
    """Unknown, expired and revoked links: the reason in plain words and the safety block."""
    now = services.clock()
    async with services.db.write() as conn:
        expired = await catalog.add_invite(
            conn,
            team_id=invite.team_id,
            flow_id="relationship-checkin",
            label="old",
            now=now,
            expires_at=now - dt.timedelta(days=1),
        )
        revoked = await catalog.add_invite(
            conn, team_id=invite.team_id, flow_id="relationship-checkin", label="r", now=now
        )
        await catalog.revoke_invite(conn, revoked.id, now)
    for code in ("no-such-link", expired.code, revoked.code, "x" * 200):
        response = await client.get(f"/c/{code}?lang=cy")
        page = Browser(client, code).load(response)
        assert page.status == 404 and page.lang == "cy"
        assert (
            "dydy'r ddolen yna ddim yn gweithio" in page.text and "Os oes angen help" in page.text
        )
        assert "set-cookie" not in response.headers
    assert await drafts(services) == 0


async def test_a_link_revoked_while_the_first_screen_is_open(
    browser: Browser, services: Services, invite: InviteInfo
) -> None:
    """The conversation begins at the first press, so a link revoked in between is caught
    then: the young person is told kindly and nothing is kept."""
    await browser.open()
    async with services.db.write() as conn:
        await catalog.revoke_invite(conn, invite.id, services.clock())
    page = await browser.press("Start")
    assert "that link isn't working" in page.text and "If you need help now" in page.text
    assert browser.response is not None and "Max-Age=0" in browser.response.headers["set-cookie"]
    assert await drafts(services) == 0


async def test_a_database_that_cannot_be_read_gets_a_kind_page(
    browser: Browser, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REL-05: when the draft cannot be read, a sorry page with help, not a bare 500."""
    await browser.open()
    await browser.press("Start")

    async def broken(channel: str, external_id: str) -> None:
        raise OperationalError("SELECT", {}, OSError("disk I/O error"))

    monkeypatch.setattr(services.conversations, "current", broken)
    page = await browser.press("Mostly")
    assert page.status == 503 and "something went wrong on our side" in page.text
    assert SAFETY in page.text and HELPLINES <= page.calls
