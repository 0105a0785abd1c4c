"""Every chat page: the frame (quick exit, help, privacy), nothing from another site,
and the full privacy notice in English and Welsh (CC-07 to CC-10, CC-16)."""

from __future__ import annotations

import httpx

from tests.webchat.conftest import Browser
from tests.webchat.page import Page, read
from youthvoice.bootstrap import Services

QUICK_EXIT = "https://www.bbc.co.uk/weather"


async def _get(client: httpx.AsyncClient, path: str) -> Page:
    response = await client.get(path)
    return read(response.status_code, response.text)


def _local_only(page: Page) -> None:
    """Scripts, styles and images come from this server; links out are the quick exit
    and tap-to-call/text only."""
    assert page.sources and all(src.startswith("/static/") for src in page.sources)
    for label, href in page.links.items():
        assert href.startswith(("/", "tel:", "sms:")) or href == QUICK_EXIT, (label, href)


async def test_every_page_has_the_frame_and_loads_nothing_from_elsewhere(
    client: httpx.AsyncClient, browser: Browser
) -> None:
    pages = [
        await browser.open(),
        await browser.press("Start"),
        await browser.press("Get help now"),
        await browser.press("Stop and delete"),
        await browser.press("Yes, stop and delete"),
        await _get(client, "/c/not-a-link"),
        await _get(client, "/helplines?lang=cy"),
        await _get(client, "/privacy"),
        await _get(client, "/privacy?lang=cy"),
    ]
    for page in pages:
        _local_only(page)
        exit_label = "Quick exit" if page.lang == "en" else "Gadael yn gyflym"
        assert page.links[exit_label] == QUICK_EXIT
        assert page.h1, "every page has a main heading"
        assert page.title in ("Check-in", "Sgwrs")  # neutral tab title on a shared screen


async def test_the_privacy_notice_says_what_it_must(
    client: httpx.AsyncClient, services: Services
) -> None:
    english = await _get(client, "/privacy")
    assert english.lang == "en" and english.h1 == "Your privacy: the full story"
    for phrase in (
        "Test Youth Service",
        "Nobody reads the chat while you are using it",
        "Staff never see who said what",
        f"at least {services.settings.k_threshold} young people",
        "deleted after 2 years",
        "Your IP address",
        "a cookie",
        "Information Commissioner's Office",
        "our safeguarding lead",
    ):
        assert phrase in english.text, phrase
    welsh = await _get(client, "/privacy?lang=cy")
    assert welsh.lang == "cy" and welsh.h1 == "Dy breifatrwydd: y stori lawn"
    assert "Does neb yn darllen y sgwrs" in welsh.text
    assert "eu dileu ar ôl dwy flynedd" in welsh.text and "years" not in welsh.text
    assert english.links["Cymraeg"] == "/privacy?lang=cy" and welsh.links["English"] == "/privacy"


async def test_chat_pages_link_the_notice_used_as_the_default_privacy_url(
    browser: Browser, services: Services
) -> None:
    page = await browser.open()
    assert page.links["Privacy"] == "/privacy"
    assert services.settings.privacy_link == f"{services.settings.public_url}/privacy"
    page = await browser.post(t="c:privacy")
    assert f"Full notice: {services.settings.privacy_link}" in page.text
