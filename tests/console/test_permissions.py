"""The permission matrix (SEC-12, SEC-13, CC-19): every console route x every role x a
team in scope and one out of scope, compared with the table declared here. The table is
written out independently of `admin.console.permissions`, so a change there that widens
access fails this test."""

from __future__ import annotations

import pytest

from admin.console.routes import TABLE
from flows.editing import next_version
from flows.loader import flow_files
from storage import catalog, news, pace, question_sets
from tests.console.conftest import CLOSED, ROLES, as_user

ALL = set(ROLES)
INVITERS = {"worker", "manager"}
READERS = {"manager", "reviewer"}

# name -> roles that may call it. Declared by hand; keep in step with docs on purpose.
EXPECTED: dict[str, set[str]] = {
    "home": ALL,
    "mfa": ALL,
    "enrol": ALL,
    "password": ALL,
    "guidance": ALL,
    "invites": INVITERS,
    "invite_create": INVITERS,
    "invite_show": INVITERS,
    "invite_poster": INVITERS,
    "invite_qr": INVITERS,
    "invite_revoke_ask": INVITERS,
    "invite_revoke": INVITERS,
    "invite_unrevoke": INVITERS,
    "dashboard": READERS,
    "dashboard_export": READERS,
    "report_board": READERS,
    "reports": READERS,
    "report_period": READERS,
    "report_compare": READERS,
    "report_trends": READERS,
    "report_themes": READERS,
    "report_safety": READERS | {"dsl"},
    "report_export": READERS | {"dsl"},
    "my_results": {"worker"},
    "queue": {"dsl"},
    "queue_handled": {"dsl"},
    "news": READERS,
    "news_write": {"manager"},
    "news_approve": READERS,
    "questions": READERS | {"admin"},
    "questions_create": {"admin"},
    "questions_edit": READERS | {"admin"},
    "questions_save": {"admin"},
    "questions_approve": READERS | {"admin"},
    "questions_preview": READERS | {"admin"},
    "users": {"admin"},
    "user_create": {"admin"},
    "user_edit": {"admin"},
    "user_role": {"admin"},
    "user_disable": {"admin"},
    "user_enable": {"admin"},
    "user_reset_mfa": {"admin"},
    "teams": {"admin"},
    "team_create": {"admin"},
    "team_edit": {"admin"},
    "team_rename": {"admin"},
    "team_archive": {"admin"},
    "team_restore": {"admin"},
    "settings": {"admin"},
    "settings_save": {"admin"},
    "logo_save": {"admin"},
    "logo_remove": {"admin"},
    "audit": {"admin"},
    "wording": {"admin", "dsl"},
    "alerts": {"admin"},
    "alert_release": {"admin"},
    "alert_delete": {"admin"},
    "logout": ALL,
}
# Routes whose URL or form names a team: called once in scope (team A) and once not (B).
SCOPED = {
    "dashboard_export",
    "invite_create",
    "invite_show",
    "invite_poster",
    "invite_qr",
    "invite_revoke_ask",
    "invite_revoke",
    "invite_unrevoke",
    "report_period",
    "report_trends",
    "report_themes",
    "report_export",
}
ALERTS = ("alert_release", "alert_delete")


def test_every_route_is_in_the_declared_table():
    assert {name for _, _, name, _ in TABLE} == set(EXPECTED)


async def _calls(services, org):
    """(name, method, path, form, in_scope) for every route, with real ids."""
    async with services.db.write() as conn:
        mine = await catalog.add_invite(
            conn,
            team_id=org.team_a,
            flow_id="relationship-checkin",
            label="a",
            now=services.clock(),
        )
        other = await catalog.add_invite(
            conn,
            team_id=org.team_b,
            flow_id="relationship-checkin",
            label="b",
            now=services.clock(),
        )
        # One open alert per route that resolves one: the first call closes it.
        alerts = {
            name: await pace.open_alert(conn, invite.id, "2026-05-15T12")
            for name, invite in zip(ALERTS, (mine, other), strict=True)
        }
        # Written by someone who is none of the roles calling, so any reader may approve it.
        waiting = await news.add(
            conn,
            period=CLOSED,
            topic=None,
            wording={"en": {"said": "they wanted more time", "did": "added an hour"}},
            written_by="another-manager",
            now=services.clock(),
        )
        # A new question-set version by someone who is none of the roles calling.
        draft_set = next_version(flow_files()["relationship-checkin"], 1)
        draft = await question_sets.add_draft(conn, draft_set, "another-admin", services.clock())
    calls = []
    for path, methods, name, _ in TABLE:
        method = methods[0]
        for in_scope in [True, False] if name in SCOPED else [True]:
            team = org.team_a if in_scope else org.team_b
            invite = mine.id if in_scope else other.id
            url = (
                path.replace("{invite_id}", invite)
                .replace("{period}", CLOSED)
                .replace("{scope}", team)
                .replace("{item_id}", "help-req-0001")
                .replace("{user_id}", org.users["worker"])
                .replace("{team_id}", org.team_a)
                .replace("{alert_id}", alerts.get(name, ""))
                .replace("{news_id}", waiting)
                .replace("{link}", "web")
                .replace("{kind}", "svg")
                .replace("{draft_id}", draft)
            )
            form = {
                "team": team,
                "flow": "relationship-checkin",
                "label": "poster",
                "kind": "period",
                "period": CLOSED,
                "scope": team,
                "role": "worker",
                "teams": org.team_a,
                "name": f"New team ({name})",  # creating and renaming: a fresh name each
                "k": "12",
                "username": "newperson",
                "password": "a long enough passphrase here",
                "code": "000000",
                "current": "x",
                "new": "y",
                "again": "y",
                "outcome": "called back",
                "said_en": "they wanted more time",
                "did_en": "added an hour",
            }
            calls.append((name, method, url, form, in_scope))
    calls.sort(key=lambda c: c[0] == "logout")  # logging out ends the session: do it last
    return calls


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
async def test_permission_matrix(client, services, org, role):
    """SEC-12: no unexpected 200. Allowed + in scope -> 200/303; out of scope -> 404;
    role not allowed -> 403; no session -> login redirect (GET) or 401 (POST)."""
    csrf = await as_user(client, services, org.users[role]) if role != "anonymous" else ""
    unexpected = []
    for name, method, url, form, in_scope in await _calls(services, org):
        if role == "dsl":
            form["kind"] = "safety"  # the only export of the only report the dsl sees
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={**form, "csrf": csrf})
        status = response.status_code
        if role == "anonymous":
            want = {303} if method == "GET" else {401}
        elif role not in EXPECTED[name]:
            want = {403}
        elif not in_scope and not (role == "dsl" and name == "report_export"):
            want = {400} if name == "invite_create" else {404}  # a form error: no such team
        elif name in ("mfa", "enrol"):
            want = {303}  # a full session has nothing to do there
        elif name in ("questions_create", "questions_save"):
            want = {400}  # a new version is already being written, and not by this caller
        elif name == "password" and method == "POST":
            want = {400}  # wrong current password
        elif name == "logo_save":
            want = {400}  # no image sent
        else:
            want = {200, 303}
        if status not in want:
            unexpected.append((name, method, url, in_scope, status, sorted(want)))
    assert unexpected == []


async def test_admin_sees_no_report_data(client, services, org):
    """SEC-12: admin manages accounts and settings, but no report or queue page opens."""
    await as_user(client, services, org.users["admin"])
    for path in (
        f"/admin/reports/period/{CLOSED}/org",
        "/admin/reports/trends/org",
        "/admin/queue",
    ):
        assert (await client.get(path)).status_code == 403


async def test_ids_from_another_team_are_not_found(client, services, org):
    """SEC-13: a valid invite id from a team outside the user's scope is a 404."""
    async with services.db.write() as conn:
        other = await catalog.add_invite(
            conn,
            team_id=org.team_b,
            flow_id="relationship-checkin",
            label="b",
            now=services.clock(),
        )
    await as_user(client, services, org.users["manager"])
    assert (await client.get(f"/admin/invites/{other.id}")).status_code == 404
    assert (await client.get(f"/admin/invites/{other.id}/poster")).status_code == 404
