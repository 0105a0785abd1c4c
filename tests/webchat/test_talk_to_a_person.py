"""Talk to a person from the web chat's "Get help now" (SG-07): a box labelled for a way
to reach them, not for feedback words; a blank is refused and stores nothing."""

from __future__ import annotations

from storage.schema import HelpRequest
from tests.webchat.conftest import Browser, count
from youthvoice.bootstrap import Services


async def test_get_help_now_leads_to_a_person(browser: Browser, services: Services) -> None:
    await browser.open()
    await browser.press("Start")
    page = await browser.press("Get help now")
    page = await browser.press("Talk to a person")
    assert "How can we reach you?" in page.text and page.has_textarea
    assert page.labels == ["How we can reach you"]
    assert "Send to our safeguarding lead" in page.buttons and "Send words" not in page.buttons
    page = await browser.write("   ")
    assert "can't see a way to reach you" in page.text
    assert await count(services, HelpRequest) == 0
    page = await browser.write("ask for me at the youth club")
    assert await count(services, HelpRequest) == 1
    assert {"Carry on with feedback", "Stop here"} <= set(page.buttons)
    page = await browser.press("Carry on with feedback")
    assert page.h1.startswith("Think about the person who supports you")
