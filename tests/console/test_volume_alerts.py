"""Unusual volume on an invite (issue 10, SEC-25, SEC-17): the padding attack through the
real conversation service, then the console.

A manager sends a burst of check-ins through their own team's invite. Beyond the invite's
expected pace they are held out of the figures; the alert goes to an admin who did not
make the invite (never to its maker, even one who is now an admin); that admin releases or
deletes them, and the audit log records what was done to how many, never who sent them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flows.inputs import Choose, Command, Start
from storage import accounts, catalog, pace
from tests.console.conftest import add_user, as_user
from tests.console.htmlgrid import grid_tables
from youthvoice.settings import Settings

@pytest.fixture
def console_settings(console_settings: Settings) -> Settings:
    """The closing check counts young people exactly, and organisation figures are sums of
    noisy team counts (SDC-14, tested in tests/attack and tests/gateway), so noise is off."""
    return console_settings.model_copy(update={"cell_key_noise": False})


SCALES = ("trust", "relatability", "heard", "power", "agency", "aliveness")
BURST = 12
ALERT = "Unusual volume on invite"


async def _check_ins(services, code: str, n: int, tag: str) -> None:
    service = services.conversations
    for i in range(n):
        who = f"{tag}-{i}"
        await service.handle("web", who, Start((("invite", code),)))
        await service.handle("web", who, Choose("intro", "next"))
        for item in SCALES:
            await service.handle("web", who, Choose(item, "2"))
        for _ in range(3):
            await service.handle("web", who, Command("skip"))
        sent = await service.handle("web", who, Choose("review", "send"))
        assert sent.messages[0].text.startswith("Sent."), "held, not refused"


async def _invite(services, team: str, label: str, owner: str):
    async with services.db.write() as conn:
        return await catalog.add_invite(
            conn,
            team_id=team,
            flow_id="relationship-checkin",
            label=label,
            now=services.clock(),
            created_by=owner,
        )


def _alert_ids(html: str) -> list[str]:
    return [part.split("/", 1)[0] for part in html.split('action="/admin/alerts/')[1:]]


async def test_a_burst_is_held_and_only_a_second_admin_can_release_it(client, services, org, clock):
    manager, admin = org.users["manager"], org.users["admin"]
    mine = await _invite(services, org.team_a, "summer poster", manager)
    # An admin who made an invite while they were a manager: four-eyes still applies.
    former = await add_user(services, "former-manager", "admin", [], totp="JBSWY3DPEHPK3PXP")
    theirs = await _invite(services, org.team_b, "club poster", former)
    await _check_ins(services, mine.code, BURST, "a")
    await _check_ins(services, theirs.code, BURST, "b")

    await as_user(client, services, admin)
    assert "2 waiting for you" in (await client.get("/admin")).text
    page = await client.get("/admin/alerts")
    assert page.status_code == 200
    assert page.text.count(ALERT) == 2 and "6 check-ins held" in page.text
    assert "summer poster" in page.text and "club poster" in page.text

    await as_user(client, services, former)
    page = await client.get("/admin/alerts")
    assert page.text.count(ALERT) == 1 and "summer poster" in page.text
    assert "club poster" not in page.text, "never an alert on an invite you made"
    assert "1 waiting for you" in (await client.get("/admin")).text
    async with services.db.read() as conn:
        own = [a for a in await _open(conn, admin) if a.invite_id == theirs.id][0]
    refused = await client.post(
        f"/admin/alerts/{own.id}/release", data={"csrf": await as_user(client, services, former)}
    )
    assert refused.status_code == 404

    await as_user(client, services, manager)
    assert (await client.get("/admin/alerts")).status_code == 403

    csrf = await as_user(client, services, admin)
    ids = _alert_ids((await client.get("/admin/alerts")).text)
    async with services.db.read() as conn:
        by_invite = {a.invite_id: a.id for a in await _open(conn, admin)}
    assert set(ids) == set(by_invite.values())
    released = await client.post(f"/admin/alerts/{by_invite[mine.id]}/release", data={"csrf": csrf})
    deleted = await client.post(f"/admin/alerts/{by_invite[theirs.id]}/delete", data={"csrf": csrf})
    assert released.status_code == deleted.status_code == 303
    assert ALERT not in (await client.get("/admin/alerts")).text
    async with services.db.read() as conn:
        events = [
            e for e in await accounts.audit_events(conn, 100) if e.action.startswith("alert.")
        ]
    done = [(e.action, e.actor_id, json.loads(e.params)) for e in events if e.outcome == "ok"]
    assert sorted(done) == [
        ("alert.delete", admin, {"alert": by_invite[theirs.id], "check_ins": 6}),
        ("alert.release", admin, {"alert": by_invite[mine.id], "check_ins": 6}),
    ]
    assert [(e.actor_id, e.outcome) for e in events if e.outcome != "ok"] == [(former, "not_found")]

    # Once the quarter closes, the organisation counts team A's 12 earlier check-ins, all
    # 12 of its released burst, and team B's 6 within its invite's pace: 30, not 36 or 24.
    clock.now = dt.datetime(2026, 7, 2, 9, 0, tzinfo=dt.UTC)
    await as_user(client, services, manager)
    page = await client.get("/admin/reports/period/2026-Q2/org")
    _, rows = grid_tables(page.text)[0]
    assert dict(rows)["young people"] == "30"


async def _open(conn, viewer: str) -> list[pace.Alert]:
    return await pace.open_alerts(conn, viewer, ("2026-04", "2026-05", "2026-06"))
