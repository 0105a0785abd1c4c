"""Posts that did not come from our own page are refused kindly (SEC-09), and help is
never refused (SG-01)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from storage.schema import Conversation
from tests.webchat.conftest import Browser, drafts
from tests.webchat.page import read
from youthvoice.bootstrap import Services


async def _versions(services: Services) -> list[str]:
    """Every stored draft as it stands: any step that moved one on changes this."""
    async with services.db.read() as conn:
        return [r.state for r in await conn.execute(select(Conversation.__table__.c.state))]


async def test_a_post_without_or_with_a_wrong_token_is_refused(
    browser: Browser, services: Services
) -> None:
    await browser.open()
    good = browser.page
    assert good is not None and good.csrf
    before = await _versions(services)
    wrong = good.csrf[:-1] + ("0" if good.csrf[-1] != "0" else "1")
    for token in ("", "0" * 64, wrong, "é" * 64):  # non-ASCII must not crash the check
        page = await browser.post(csrf=token, t="a:intro:next")
        assert page.status == 403
        assert "this page has run out" in page.text and "If you need help now" in page.text
        assert page.links["Start again"] == f"/c/{browser.code}"
        browser.page = good
    assert await _versions(services) == before  # nothing moved on


async def test_a_token_from_another_conversation_is_refused(
    client: httpx.AsyncClient, browser: Browser, services: Services
) -> None:
    """The token is bound to this browser's cookie: one page's token opens no other."""
    await browser.open()
    theirs = browser.page
    assert theirs is not None
    client.cookies.clear()
    await browser.open()
    before = await _versions(services)
    response = await client.post(
        f"/c/{browser.code}", data={"csrf": theirs.csrf, "lang": "en", "t": "a:intro:next"}
    )
    assert response.status_code == 403 and await _versions(services) == before


async def test_without_a_cookie_posts_are_refused_but_help_is_given(
    client: httpx.AsyncClient, browser: Browser, services: Services
) -> None:
    await browser.open()
    await browser.press("Start")
    token = browser.page.csrf if browser.page else ""
    client.cookies.clear()
    refused = await client.post(f"/c/{browser.code}", data={"csrf": token, "t": "c:stop"})
    assert refused.status_code == 403 and await drafts(services) == 1
    helped = await client.post(f"/c/{browser.code}", data={"t": "c:help", "lang": "cy"})
    page = read(helped.status_code, helped.text)
    assert page.status == 200 and page.lang == "cy" and "Os oes angen help" in page.text
    assert page.links["Mewn perygl nawr? Ffonia 999."] == "tel:999"


async def test_help_page_needs_no_conversation(client: httpx.AsyncClient) -> None:
    response = await client.get("/helplines")
    page = read(response.status_code, response.text)
    assert page.status == 200 and "If you need help now:" in page.text
    assert page.links["In danger right now? Call 999."] == "tel:999"
    # Each button says what the text line said, hours too; the list is not also text.
    assert page.links["Childline: call 0800 1111. Free, any time."] == "tel:08001111"
    assert page.links["Shout: text SHOUT to 85258. Free, any time."] == "sms:85258?&body=SHOUT"
    assert "0800 1111" not in page.text and "Nobody reads this chat" in page.text
