"""Invites (issue 17, CC-11): with WHATSAPP_PHONE_NUMBER set, the invite page shows a
wa.me link (and its QR code) that opens a chat with "START <code>" typed in; the young
person sends it themselves, and the bot answers that as the start of a check-in."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.console.conftest import as_user
from youthvoice.settings import Settings


@pytest.fixture
def console_settings(console_settings: Settings) -> Settings:
    return console_settings.model_copy(update={"whatsapp_phone_number": "+44 7700 900999"})


async def test_the_invite_page_offers_a_wa_me_link_with_start_and_the_code(
    client, services, org
) -> None:
    csrf = await as_user(client, services, org.users["worker"])
    form = {"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": "Board"}
    made = await client.post("/admin/invites", data={**form, "about": "me"})
    page = await client.get(made.headers["location"])
    (link,) = re.findall(r'href="(https://wa\.me/[^"]+)"', page.text)
    url = urlsplit(link)
    word, code = parse_qs(url.query)["text"][0].split(" ")
    assert (url.netloc, url.path, word) == ("wa.me", "/447700900999", "START")
    assert f"/c/{code}" in page.text  # the same invite's code as the web chat link
    assert 'alt="QR code for the WhatsApp link"' in page.text


async def test_no_whatsapp_number_no_whatsapp_link(client, services, org) -> None:
    csrf = await as_user(client, services, org.users["worker"])
    form = {"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": "Board"}
    services.settings.whatsapp_phone_number = ""
    made = await client.post("/admin/invites", data={**form, "about": "me"})
    page = await client.get(made.headers["location"])
    assert "wa.me" not in page.text and "t.me/test_yv_bot" in page.text
