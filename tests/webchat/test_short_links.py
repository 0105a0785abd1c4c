"""Short links (issue 15): /c/<short code> opens the same chat as the long link, typed in
any case or with a hyphen; guessing codes costs the guesser a start each, and once a
client has none left every link answers "try again later" alike."""

from __future__ import annotations

from bot.pacing import Allowance, ClientPacer
from storage import catalog
from youthvoice.bootstrap import Services

PACED = "Lots of check-ins are coming from here just now"


async def test_the_short_link_opens_the_same_chat_however_it_is_typed(client, invite):
    long = await client.get(f"/c/{invite.code}")
    assert long.status_code == 200
    short = invite.short_code
    for typed in (short, short.lower(), catalog.shown_short(short)):
        page = await client.get(f"/c/{typed}")
        assert page.status_code == 200 and 'action="/c/' in page.text
    welsh = await client.get(f"/c/{short}?lang=cy")
    assert welsh.status_code == 200 and 'lang="cy"' in welsh.text


async def test_guessing_short_codes_is_paced_and_says_nothing_once_spent(
    client, services: Services, invite
):
    services.pacer = ClientPacer({"start": Allowance(3, 60)})
    for guess in ("ZZZZ0000", "ZZZZ0001", "ZZZZ0002"):
        missed = await client.get(f"/c/{guess}")
        assert missed.status_code == 404 and PACED not in missed.text
    for code in (invite.short_code, invite.code, "ZZZZ0003"):
        paced = await client.get(f"/c/{code}")
        assert paced.status_code == 429 and PACED in paced.text
