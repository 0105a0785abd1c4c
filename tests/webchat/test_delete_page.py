"""The web chat's /delete page (AN-19, CC-23): reached from the privacy page, guarded by
a form token like the chat's forms, and it removes what a receipt code points at."""

from __future__ import annotations

import re

import httpx

from storage.schema import DeletionReceipt
from tests.webchat.conftest import Browser, count, submissions
from tests.webchat.page import read
from youthvoice.bootstrap import Services

CODE = re.compile(r"\b[2-9A-Z]{5}-[2-9A-Z]{5}\b")


async def _send_with_receipt(browser: Browser) -> str:
    page = await browser.open()
    page = await browser.press("Start")
    for _ in range(9):
        page = await browser.press("Skip")
    # Under the answers, Send first, then the receipt (CC-22).
    chosen = [label for label in page.buttons if not label.startswith("Change")]
    assert chosen[:2] == ["Send", "Send and get a code to delete it later"]
    page = await browser.press("Send and get a code to delete it later")
    (code,) = set(CODE.findall(page.text))
    # Worded for the web (issue 16 item 6): no command to type, no advice to clear the
    # history that holds the code, and a direct link to the removal page.
    assert "/delete" not in page.text and "history" not in page.text
    assert page.links["Remove my answers with this code"] == "/delete"
    return code


async def test_a_receipt_code_removes_the_answers_from_the_delete_page(
    browser: Browser, client: httpx.AsyncClient, services: Services
) -> None:
    """AN-19: Send with a code, follow the privacy page's link, enter it: gone."""
    kit = services.conversations.kit
    code = await _send_with_receipt(browser)
    assert await submissions(services) == await count(services, DeletionReceipt) == 1
    privacy = read(200, (await client.get("/privacy")).text)
    href = privacy.links["Remove answers you sent, with your code"]
    form = read(200, (await client.get(href)).text)
    assert form.csrf and form.h1 == "Remove answers you sent"
    response = await client.post(
        "/delete", data={"csrf": form.csrf, "lang": "en", "code": code.lower()}
    )
    page = read(response.status_code, response.text)
    assert page.status == 200
    assert kit.t("deleted", "en") in page.texts and "If you need help now" in page.text
    assert await submissions(services) == await count(services, DeletionReceipt) == 0
    assert code not in response.text  # the code is never echoed back


async def test_a_forged_or_missing_token_deletes_nothing(
    browser: Browser, client: httpx.AsyncClient, services: Services
) -> None:
    """SEC-09: a form posted from another site cannot carry a valid token."""
    code = await _send_with_receipt(browser)
    form = read(200, (await client.get("/delete?lang=cy")).text)
    stamp, _, _mac = form.csrf.partition(".")
    for token in ("", "forged", f"{stamp}.{'0' * 64}", f"{int(stamp) + 9}.{_mac}"):
        response = await client.post("/delete", data={"csrf": token, "code": code})
        assert response.status_code == 403
    assert await submissions(services) == 1
