"""Talk to a person from the web chat's "Get help now" (SG-07): a box labelled for a way
to reach them, not for feedback words; a blank is refused and stores nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from storage.schema import Conversation, HelpRequest
from tests.webchat.conftest import Browser, count
from tests.webchat.page import read
from youthvoice.bootstrap import Services


async def test_get_help_now_leads_to_a_person(browser: Browser, services: Services) -> None:
    await browser.open()
    await browser.press("Start")
    page = await browser.press("Get help now")
    page = await browser.press("Talk to a person")
    assert "How can we reach you?" in page.text and page.has_textarea
    assert page.labels == ["How we can reach you"]
    assert "Send to our safeguarding lead" in page.buttons and "Next" not in page.buttons
    page = await browser.write("   ")
    assert "can't see a way to reach you" in page.text
    assert await count(services, HelpRequest) == 0
    page = await browser.write("ask for me at the youth club")
    assert await count(services, HelpRequest) == 1
    assert {"Carry on with feedback", "Stop here"} <= set(page.buttons)
    page = await browser.press("Carry on with feedback")
    assert page.h1.startswith("Think about the person who supports you")


async def test_after_send_a_person_is_still_one_tap_away(
    browser: Browser, client: httpx.AsyncClient, services: Services
) -> None:
    """The ended page keeps no cookie or form, so "Talk to a person" is a link to /person,
    which needs no conversation: a blank is refused, a phone number is stored sealed."""
    await browser.open("?lang=cy")
    await browser.press("Dechrau")
    for _ in range(9):
        page = await browser.press("Neidio")
    page = await browser.press("Anfon")
    assert page.csrf == "" and page.links["Siarad â pherson"] == "/person?lang=cy"
    form = read(200, (await client.get("/person?lang=cy")).text)
    assert form.labels == ["Sut gallwn ni gysylltu â ti"] and form.lang == "cy"
    refused = read(
        200,
        (await client.post("/person", data={"csrf": form.csrf, "lang": "cy", "text": " "})).text,
    )
    assert services.conversations.kit.t("contact_refused", "cy") in refused.texts
    assert await count(services, HelpRequest) == 0
    done = await client.post(
        "/person", data={"csrf": form.csrf, "lang": "cy", "text": "07700 900654"}
    )
    assert done.status_code == 200
    assert services.conversations.kit.t("person_saved", "cy") in read(200, done.text).texts
    async with services.db.read() as conn:
        (row,) = await conn.execute(select(HelpRequest.__table__))
    assert services.sealer.unseal(row.sealed_contact) == "07700 900654"
    assert (row.lang, row.team_id, row.kind) == ("cy", None, "person")
    assert await count(services, Conversation) == 0, "no draft is kept"


async def test_a_forged_person_form_stores_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    """SEC-09: no token, a made-up one, or one for the /delete form: refused."""
    delete_form = read(200, (await client.get("/delete")).text)
    for token in ("", "123.abc", delete_form.csrf):
        response = await client.post("/person", data={"csrf": token, "text": "07700 900654"})
        assert response.status_code == 403
    assert await count(services, HelpRequest) == 0
    helplines = read(200, (await client.get("/helplines")).text)
    assert helplines.links["Talk to a person"] == "/person"
