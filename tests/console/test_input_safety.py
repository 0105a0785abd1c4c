"""Hostile input: CSRF on every state-changing route, XSS payloads rendered as text, and
SQL-looking input that changes nothing (SEC-09, SEC-10, SEC-11, AN-07)."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from admin.console.routes import TABLE
from storage import catalog
from storage.schema import Submission, Team
from tests.console import seed
from tests.console.conftest import CLOSED, as_user
from tests.console.htmlgrid import parse

XSS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)")
SQL = "'; DROP TABLE submissions;--"
ROLE_FOR = {"admin": ("user", "team", "settings"), "dsl": ("queue",)}


async def test_every_post_without_csrf_is_refused(client, services, org):
    """SEC-09: each POST route, called by a role allowed to use it, without a token or with
    a wrong one, gets 403."""
    posts = [(path, name) for path, methods, name, _ in TABLE if methods == ["POST"]]
    assert len(posts) >= 12
    for path, name in posts:
        role = next((r for r, prefixes in ROLE_FOR.items() if name.startswith(prefixes)), "manager")
        stage = {"mfa": "mfa", "enrol": "enrol"}.get(name, "full")
        await as_user(client, services, org.users[role], stage)
        url = (
            path.replace("{invite_id}", "x")
            .replace("{item_id}", "help-req-0001")
            .replace("{user_id}", org.users["worker"])
        )
        for data in ({}, {"csrf": "forged"}):
            response = await client.post(url, data={**data, "name": "t", "k": "20"})
            assert response.status_code == 403, (name, data)
    login = await client.post("/admin/login", data={"username": "a", "password": "b"})
    assert login.status_code == 403


def _injected(html: str) -> list[str]:
    """Elements or attributes a payload could have created."""
    found = []
    for tag, attrs in parse(html).tags:
        if tag == "script" and attrs.get("src") != "/static/vendor/htmx.min.js":
            found.append("script")
        if any(name.startswith("on") for name in attrs):
            found.append(f"{tag} handler")
        if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
            found.append(f"{tag} javascript: url")
    return found


async def test_payloads_render_as_text(client, services, org):
    """SEC-10: payloads in team names, invite labels and comments show as text."""
    payload_teams = []
    async with services.db.write() as conn:
        for i, payload in enumerate(XSS):
            team = await catalog.add_team(conn, f"{payload} {i}")
            payload_teams.append(team)
            await catalog.add_invite(
                conn,
                team_id=org.team_a,
                flow_id="relationship-checkin",
                label=payload,
                now=services.clock(),
            )
            # The team whose themes page is read is the largest, so complementary
            # suppression never picks it to protect a smaller one (that hides its quotes).
            count = 40 if i == 0 else 12
            await seed.add_submissions(
                conn,
                team_id=team,
                period="2026-01",
                count=count,
                rng=random.Random(i),
                comments=[("tell", f"{payload} and she always listens to me properly", ["heard"])]
                * count,
            )
    async with services.db.read() as conn:
        all_teams = [t for t, _ in await catalog.teams(conn)]
    for role in ("admin", "manager", "reviewer"):
        await as_user(client, services, org.users[role])
        if role != "admin":
            from storage import accounts

            async with services.db.write() as conn:
                await accounts.set_role(conn, org.users[role], role, all_teams)
        paths = {
            "admin": ["/admin/users", "/admin/teams"],
            "manager": ["/admin/invites", f"/admin/reports/compare/{CLOSED}", "/admin/reports"],
            "reviewer": [f"/admin/reports/themes/{CLOSED}/{payload_teams[0]}"],
        }[role]
        for path in paths:
            page = await client.get(path)
            assert page.status_code == 200
            assert _injected(page.text) == [], path
            assert (
                "&lt;script&gt;" in page.text
                or "&#34;&gt;&lt;img" in page.text
                or role == "reviewer"
            )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and she" in page.text  # the reviewer's quote


async def _counts(services):
    async with services.db.read() as conn:
        teams = (await conn.execute(select(func.count()).select_from(Team.__table__))).scalar_one()
        subs = (
            await conn.execute(select(func.count()).select_from(Submission.__table__))
        ).scalar_one()
    return teams, subs


async def test_sql_looking_input_changes_nothing(client, services, org):
    """SEC-11: SQL in paths, forms and login is data or a 404, never SQL."""
    before = await _counts(services)
    csrf = await as_user(client, services, org.users["manager"])
    assert (await client.get(f"/admin/reports/period/{CLOSED}/{SQL}")).status_code == 404
    assert (await client.get(f"/admin/reports/period/{SQL}/org")).status_code == 404
    made = await client.post(
        "/admin/invites",
        data={"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": SQL},
    )
    assert made.status_code == 303
    assert SQL.replace("'", "&#39;") in (await client.get(made.headers["location"])).text
    bad = await client.post(
        "/admin/reports/export", data={"csrf": csrf, "kind": SQL, "period": CLOSED, "scope": "org"}
    )
    assert bad.status_code == 404
    client.cookies.clear()
    page = await client.get("/admin/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    denied = await client.post(
        "/admin/login", data={"csrf": token, "username": "manager1' OR '1'='1", "password": SQL}
    )
    assert denied.status_code == 200 and "did not work" in denied.text
    assert await _counts(services) == before


async def test_invites_never_name_a_young_person(client, services, org):
    """AN-07: the invite form has no recipient field; the poster shows the web chat link,
    the Telegram deep link and QR codes, and links to the worker guidance (SG-15)."""
    csrf = await as_user(client, services, org.users["worker"])
    form = await client.get("/admin/invites")
    names = {
        attrs.get("name") for tag, attrs in parse(form.text).tags if tag in ("input", "select")
    }
    assert names - {"csrf"} == {"team", "about", "flow", "label", "expires"}
    made = await client.post(
        "/admin/invites",
        data={
            "csrf": csrf,
            "team": org.team_a,
            "flow": "relationship-checkin",
            "label": "Drop-in board",
            "about": "me",
        },
    )
    invite_id = made.headers["location"].rsplit("/", 1)[1].split("?")[0]
    poster = await client.get(f"/admin/invites/{invite_id}/poster")
    assert poster.status_code == 200
    # The poster's links are the short ones, to type (issue 15).
    assert "yv.example/c/" in poster.text and "t.me/test_yv_bot?start=" in poster.text
    assert (
        poster.text.count('src="data:image/svg+xml') == 2
        and 'href="/admin/guidance"' in poster.text
    )
    revoke = await client.post(f"/admin/invites/{invite_id}/revoke", data={"csrf": csrf})
    assert revoke.status_code == 303
    assert (await client.get(f"/admin/invites/{invite_id}/poster")).status_code == 404
