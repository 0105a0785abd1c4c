"""The console shows the safeguarding lead what wording still waits for approval (SG-14)."""

from __future__ import annotations

from tests.console.conftest import as_user


async def test_the_lead_sees_what_waits_for_them_and_for_a_welsh_speaker(client, services, org):
    await as_user(client, services, org.users["dsl"])
    page = await client.get("/admin/wording")
    assert page.status_code == 200
    assert "Waiting for the safeguarding lead" in page.text
    assert "Waiting for a Welsh-speaking reviewer" in page.text
    assert "copy.pause" in page.text and 'lang="cy"' in page.text


async def test_a_worker_cannot_see_it(client, services, org):
    await as_user(client, services, org.users["worker"])
    assert (await client.get("/admin/wording")).status_code in (403, 404)
