"""Admin pages (issue 14): people as read-only rows with an Edit action, their display name
and last sign-in; a failed add keeps what was typed (never the password); every change
ends on a success message and is audited (SEC-17)."""

from __future__ import annotations

import json
import re

from storage import accounts
from tests.console.conftest import CLOSED, as_user, login

ROW = re.compile(r"<tr>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", re.S)


async def _audit(services, action: str) -> list[dict]:
    async with services.db.read() as conn:
        events = await accounts.audit_events(conn, 500)
    return [json.loads(e.params) for e in events if e.action == action and e.outcome == "ok"]


async def test_people_are_read_only_rows_with_name_and_last_sign_in(client, services, org):
    assert (await login(client, "worker1")).status_code == 303  # a real sign-in, audited
    client.cookies.clear()
    await as_user(client, services, org.users["admin"])
    page = (await client.get("/admin/users")).text
    rows = dict(ROW.findall(page))
    assert set(rows) >= {"worker1", "manager1", "admin1"}
    for name, body in rows.items():
        assert "<select" not in body and "<form" not in body, name  # nothing to edit in place
        assert ("/edit" in body) == (name != "admin1"), name  # admins edit others, not themselves
    assert "Sam Worker" in rows["worker1"]
    when = services.clock().strftime("%Y-%m-%d %H:%M")
    assert when in rows["worker1"] and "never" in rows["manager1"]
    edit = await client.get(f"/admin/users/{org.users['worker']}/edit")
    assert edit.status_code == 200 and 'action="/admin/users/' in edit.text
    assert (await client.get(f"/admin/users/{org.users['admin']}/edit")).status_code == 404


async def test_a_failed_add_keeps_the_entries_but_not_the_password(client, services, org):
    csrf = await as_user(client, services, org.users["admin"])
    typed = "aaaaaaaaaaaa"  # refused: too common
    response = await client.post(
        "/admin/users",
        data={
            "csrf": csrf,
            "username": "new.person",
            "role": "worker",
            "teams": [org.team_b],
            "worker_name": "Robin Lee",
            "password": typed,
        },
    )
    assert response.status_code == 400 and 'role="alert"' in response.text
    text = response.text
    assert 'value="new.person"' in text and 'value="Robin Lee"' in text
    assert f'value="{org.team_b}" checked' in text and f'value="{org.team_a}" checked' not in text
    assert '<option value="worker" selected>' in text
    assert typed not in text


async def test_every_change_says_it_was_done_and_is_audited(client, services, org):
    csrf = await as_user(client, services, org.users["admin"])
    worker = org.users["worker"]
    changes = [
        (f"/admin/users/{worker}/role", {"role": "worker", "teams": [org.team_a]}, "user.role"),
        (f"/admin/users/{worker}/disable", {}, "user.disable"),
        (f"/admin/users/{worker}/enable", {}, "user.enable"),
        (f"/admin/users/{org.users['manager']}/reset-mfa", {}, "user.reset_mfa"),
        ("/admin/teams", {"name": "Team D"}, "team.create"),
        ("/admin/settings", {"k": "12"}, "settings.change"),
        (
            "/admin/users",
            {"username": "new.person", "role": "manager", "password": "violet-harbour-42-tide"},
            "user.create",
        ),
    ]
    messages = set()
    for path, form, action in changes:
        response = await client.post(path, data={"csrf": csrf, **form})
        assert response.status_code == 303, path
        location = response.headers["location"]
        assert location.startswith(path.split("/users/")[0]) and "?done=" in location, location
        shown = await client.get(location)
        notice = re.search(r'<p class="notice" role="status">([^<]+)</p>', shown.text)
        assert notice, path
        messages.add(notice.group(1))
        assert await _audit(services, action), action
    assert len(messages) == len(changes)  # each change says what it did
    # A made-up ?done= shows nothing: the message is never text from the request.
    odd = await client.get("/admin/users?done=%3Cb%3Ehi")
    assert 'role="status"' not in odd.text


async def test_a_team_can_be_renamed_and_the_reports_follow(client, services, org):
    csrf = await as_user(client, services, org.users["admin"])
    listed = (await client.get("/admin/teams")).text
    assert (
        f'href="/admin/teams/{org.team_a}/edit"' in listed
        and "<form" not in listed.split("<table")[1]
    )
    taken = await client.post(
        f"/admin/teams/{org.team_a}/rename", data={"csrf": csrf, "name": "Team B"}
    )
    assert taken.status_code == 400 and 'value="Team B"' in taken.text  # kept, not cleared
    renamed = await client.post(
        f"/admin/teams/{org.team_a}/rename", data={"csrf": csrf, "name": "Northside"}
    )
    assert renamed.headers["location"] == "/admin/teams?done=renamed"
    assert await _audit(services, "team.rename") == [{"renamed": True, "team": org.team_a}]
    await as_user(client, services, org.users["manager"])
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_a}")).text
    assert "Northside" in page and "Team A" not in page


async def test_an_archived_team_keeps_its_history_but_takes_no_new_invite(client, services, org):
    csrf = await as_user(client, services, org.users["admin"])
    archived = await client.post(f"/admin/teams/{org.team_a}/archive", data={"csrf": csrf})
    assert archived.headers["location"] == "/admin/teams?done=archived"
    assert "archived: history kept" in (await client.get("/admin/teams")).text
    assert await _audit(services, "team.archive") == [{"team": org.team_a}]
    csrf = await as_user(client, services, org.users["manager"])
    form = (await client.get("/admin/invites")).text
    assert f'<option value="{org.team_a}">' not in form
    refused = await client.post(
        "/admin/invites",
        data={"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": "x"},
    )
    assert refused.status_code == 400 and "That team is archived." in refused.text
    page = (await client.get(f"/admin/dashboard?period={CLOSED}&scope={org.team_a}")).text
    assert "Team A" in page and "no figures can be shown" not in page  # its history stays
    csrf = await as_user(client, services, org.users["admin"])
    back = await client.post(f"/admin/teams/{org.team_a}/restore", data={"csrf": csrf})
    assert back.headers["location"] == "/admin/teams?done=restored"
    await as_user(client, services, org.users["manager"])
    assert f'<option value="{org.team_a}">' in (await client.get("/admin/invites")).text
