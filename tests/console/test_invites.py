"""Invites that get used (issue 15): creating is the main action, revoking asks first and
can be undone for a day (both audited), QR codes download as SVG and PNG, and the poster
comes in A4 or A5 and English, Welsh or both, with help wording right for each channel."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from PIL import Image

from storage import accounts, catalog
from tests.console.conftest import as_user

SVG = "{http://www.w3.org/2000/svg}svg"


class Forms(HTMLParser):
    """The action of every POST form, and whether it sits inside a <details>."""

    def __init__(self) -> None:
        super().__init__()
        self.details = 0
        self.posts: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details":
            self.details += 1
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.posts.append((a.get("action") or "", self.details > 0))

    def handle_endtag(self, tag):
        if tag == "details":
            self.details -= 1


def forms(html: str) -> list[tuple[str, bool]]:
    parser = Forms()
    parser.feed(html)
    return parser.posts


async def _create(client, csrf, org, label="Drop-in board") -> str:
    made = await client.post(
        "/admin/invites",
        data={"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": label},
    )
    assert made.status_code == 303 and made.headers["location"].endswith("?done=created")
    return made.headers["location"].split("/")[-1].split("?")[0]


async def _actions(services) -> list[tuple[str, dict]]:
    async with services.db.read() as conn:
        events = await accounts.audit_events(conn, 50, None)
    return [(e.action, json.loads(e.params or "{}")) for e in events]


async def test_create_is_the_main_action_and_says_it_worked(client, services, org):
    csrf = await as_user(client, services, org.users["worker"])
    listing = await client.get("/admin/invites")
    assert ("/admin/invites", False) in forms(listing.text), "create is not folded away"
    assert 'class="primary">Create invite' in listing.text
    invite_id = await _create(client, csrf, org)
    page = await client.get(f"/admin/invites/{invite_id}?done=created")
    assert "Invite created." in page.text
    listing = await client.get("/admin/invites")
    # No one-click revoke on the list any more: only a link to the question.
    assert not [a for a, _ in forms(listing.text) if a.endswith("/revoke")]
    assert f'href="/admin/invites/{invite_id}/revoke"' in listing.text


async def test_revoke_asks_first_and_can_be_undone_for_a_day(client, services, org, clock):
    csrf = await as_user(client, services, org.users["worker"])
    invite_id = await _create(client, csrf, org)
    asked = await client.get(f"/admin/invites/{invite_id}/revoke")
    assert asked.status_code == 200 and "Yes, revoke it" in asked.text
    assert (f"/admin/invites/{invite_id}/revoke", False) in forms(asked.text)
    async with services.db.read() as conn:
        assert (await catalog.invites_by_id(conn, {invite_id}))[invite_id].revoked_at is None

    done = await client.post(f"/admin/invites/{invite_id}/revoke", data={"csrf": csrf})
    assert done.headers["location"].endswith("?done=revoked")
    page = await client.get(f"/admin/invites/{invite_id}?done=revoked")
    assert "Invite revoked" in page.text and "Undo revoke" in page.text
    assert (await client.get(f"/admin/invites/{invite_id}/poster")).status_code == 404

    clock.advance(hours=23, minutes=59)
    csrf = await as_user(client, services, org.users["worker"])  # the session timed out
    undone = await client.post(f"/admin/invites/{invite_id}/unrevoke", data={"csrf": csrf})
    assert undone.headers["location"].endswith("?done=restored")
    assert (await client.get(f"/admin/invites/{invite_id}/poster")).status_code == 200

    await client.post(f"/admin/invites/{invite_id}/revoke", data={"csrf": csrf})
    clock.advance(hours=24, seconds=1)
    csrf = await as_user(client, services, org.users["worker"])
    late = await client.post(f"/admin/invites/{invite_id}/unrevoke", data={"csrf": csrf})
    assert not late.headers["location"].endswith("?done=restored")
    page = await client.get(f"/admin/invites/{invite_id}")
    assert "no longer works" in page.text and "Undo revoke" not in page.text
    assert (await client.get(f"/admin/invites/{invite_id}/poster")).status_code == 404

    audited = [(a, p.get("changed")) for a, p in await _actions(services) if "revoke" in a]
    assert audited == [
        ("invite.unrevoke", False),
        ("invite.revoke", True),
        ("invite.unrevoke", True),
        ("invite.revoke", True),
    ]


async def test_qr_codes_download_as_svg_and_png(client, services, org):
    csrf = await as_user(client, services, org.users["worker"])
    invite_id = await _create(client, csrf, org)
    base = f"/admin/invites/{invite_id}/qr"
    for link in ("web", "cy", "telegram"):
        svg = await client.get(f"{base}/{link}.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert "attachment" in svg.headers["content-disposition"]
        assert ET.fromstring(svg.content).tag == SVG
        png = await client.get(f"{base}/{link}.png")
        assert png.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(png.content)) as image:
            assert image.format == "PNG" and image.width >= 1000, "big enough for 10 cm print"
    for wrong in ("web.gif", "nowhere.svg", "web.svg.png"):
        assert (await client.get(f"{base}/{wrong}")).status_code == 404


@pytest.mark.parametrize("size", ["a4", "a5"])
@pytest.mark.parametrize("lang", ["en", "cy", "both"])
async def test_the_poster_in_every_size_and_language(client, services, org, size, lang):
    csrf = await as_user(client, services, org.users["worker"])
    invite_id = await _create(client, csrf, org)
    async with services.db.read() as conn:
        invite = (await catalog.invites_by_id(conn, {invite_id}))[invite_id]
    page = await client.get(f"/admin/invites/{invite_id}/poster?size={size}&lang={lang}")
    assert page.status_code == 200 and f"poster-{size}" in page.text
    text = page.text
    assert f"yv.example/c/{catalog.shown_short(invite.short_code)}" in text
    assert "/help in the chat" not in text, "the web chat has a button, not a command"
    english, welsh = "Got 2 minutes?" in text, "Oes gen ti 2 funud?" in text
    assert (english, welsh) == {"en": (True, False), "cy": (False, True), "both": (True, True)}[
        lang
    ]
    assert ("Get help now" in text) == english and ("Cael help nawr" in text) == welsh
    assert "send /help" in text or "anfona /help" in text  # Telegram's own wording
    assert text.count('src="data:image/svg+xml') == 2


async def test_a_poster_for_an_unknown_size_or_language_is_not_found(client, services, org):
    csrf = await as_user(client, services, org.users["worker"])
    invite_id = await _create(client, csrf, org)
    for query in ("size=a3", "lang=fr", "size=A4"):
        assert (await client.get(f"/admin/invites/{invite_id}/poster?{query}")).status_code == 404


async def test_my_results_says_once_that_they_are_turned_off(client, services, org):
    """SDC-10: off by default, and the page says so once, with no empty table."""
    await as_user(client, services, org.users["worker"])
    page = await client.get("/admin/my-results")
    assert page.status_code == 200
    assert page.text.count("turned off") == 1 and "<table" not in page.text
