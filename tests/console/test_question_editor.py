"""The question-set editor (issue 15) through the real app: an admin makes a new version
from the current one and rewords it, with reading-age feedback beside each text (CC-09);
a broken version and a missing core dimension are refused and say why; only a second
person publishes it (four-eyes, audited), and then new check-ins get it while one under
way finishes on the version it began with."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

from sqlalchemy import select, text

from flows.editing import Edit, next_version, revise
from flows.inputs import Choose, Command, Start
from flows.loader import flow_files
from storage import accounts, catalog
from storage import question_sets as store
from storage.schema import Submission
from tests.console.conftest import as_user
from youthvoice.bootstrap import bootstrap

CORE_IDS = ("trust", "relatability", "heard", "power", "agency", "aliveness")
STORED = ("conversations", "submissions", "help_requests", "safety_counts")
NEW_TRUST = "Think about the person who helps you. Can you be straight with them?"


def _form(page: str) -> dict[str, str]:
    """Every field of the editor form as the page fills it in."""
    fields = dict(re.findall(r'<input name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields |= dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)" step', page))
    fields |= dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    return {k: html.unescape(v) for k, v in fields.items()}


async def _new_draft(client, services, admin) -> tuple[str, str]:
    csrf = await as_user(client, services, admin)
    made = await client.post(
        "/admin/questions", data={"flow": "relationship-checkin", "csrf": csrf}
    )
    assert made.status_code == 303
    return made.headers["location"], csrf


async def _start(services, who: str) -> None:
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, f"Team {who}")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
        )
    await services.conversations.handle("t", who, Start((("invite", invite.code),)))
    return None


async def _finish(services, who: str) -> list[str]:
    """Answers from the intro to Send; the texts of every question asked on the way."""
    service = services.conversations
    asked = [m.text for m in (await service.handle("t", who, Choose("intro", "next"))).messages]
    for item in ("trust", "relatability", "heard", "power", "agency", "aliveness"):
        reply = await service.handle("t", who, Choose(item, "4"))
        asked += [m.text for m in reply.messages]
    for _ in range(3):
        await service.handle("t", who, Command("skip"))
    await service.handle("t", who, Choose("review", "send"))
    return asked


async def _count(services, table: str) -> int:
    async with services.db.read() as conn:
        return (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()  # noqa: S608


async def _versions(services) -> Counter[int]:
    async with services.db.read() as conn:
        rows = await conn.execute(select(Submission.__table__.c.flow_version))
        return Counter(rows.scalars())


async def test_edit_then_a_second_person_publishes(client, services, org):
    admin = org.users["admin"]
    where, csrf = await _new_draft(client, services, admin)
    page = (await client.get(where)).text
    assert "Reading grade" in page and "Longest sentence" in page, "CC-09 feedback shown"
    assert 'name="trust.remove"' not in page, "a core dimension has no remove box"
    assert 'name="helps.remove"' in page
    form = _form(page)
    assert form["trust.text.cy"].startswith("Meddylia am y person")

    await _start(services, "under-way")  # begins on version 1 before anything changes
    saved = await client.post(where, data={**form, "trust.text.en": NEW_TRUST, "csrf": csrf})
    assert saved.status_code == 303
    page = html.unescape((await client.get(where)).text)
    assert NEW_TRUST in page, "saved, and shown in the preview"
    assert services.flows["relationship-checkin"].version == 1, "nothing live before approval"

    own = await client.post(f"{where}/approve", data={"csrf": csrf})
    assert own.status_code == 400 and "not its author" in own.text
    csrf = await as_user(client, services, org.users["reviewer"])
    assert (await client.post(f"{where}/approve", data={"csrf": csrf})).status_code == 303

    live = services.flows["relationship-checkin"]
    assert live.version == 2 and live.node("trust").text["en"] == NEW_TRUST
    before = await _versions(services)
    await _start(services, "new-one")
    assert any(NEW_TRUST in text for text in await _finish(services, "new-one"))
    assert not any(NEW_TRUST in text for text in await _finish(services, "under-way"))
    after = await _versions(services)
    assert (after[1] - before.get(1, 0), after[2]) == (1, 1), "each on the version it was asked"

    async with services.db.read() as conn:
        events = [e for e in await accounts.audit_events(conn) if e.action.startswith("questions.")]
    assert sorted((e.action, e.actor_id, e.outcome) for e in events) == sorted(
        [
            ("questions.write", admin, "ok"),
            ("questions.write", admin, "ok"),
            ("questions.approve", admin, "http_400"),
            ("questions.approve", org.users["reviewer"], "ok"),
        ]
    )
    assert not any("straight" in e.params for e in events), "ids only, never the wording"
    assert all("question_set" in json.loads(e.params) for e in events)


async def test_a_broken_version_or_a_missing_core_dimension_is_refused(client, services, org):
    where, csrf = await _new_draft(client, services, org.users["admin"])
    form = _form((await client.get(where)).text)
    empty = await client.post(where, data={**form, "heard.text.cy": "", "csrf": csrf})
    assert empty.status_code == 400
    assert "Not saved. draft: node 'heard' text: language 'cy' is empty" in html.unescape(
        empty.text
    )
    core = await client.post(where, data={**form, "power.remove": "yes", "csrf": csrf})
    assert core.status_code == 400
    assert "'power' is one of the six core dimensions and cannot be removed" in html.unescape(
        core.text
    )
    async with services.db.read() as conn:
        (draft,) = await store.drafts(conn)
    assert draft.flow.node("heard").text["cy"] and draft.flow.node("power"), "nothing saved"
    again = await client.post(
        "/admin/questions", data={"flow": "relationship-checkin", "csrf": csrf}
    )
    assert again.status_code == 400 and "already being written" in again.text


async def test_removing_an_optional_question_and_adding_one(client, services, org):
    where, csrf = await _new_draft(client, services, org.users["admin"])
    form = _form((await client.get(where)).text)
    new = {
        "new.id": "club",
        "new.kind": "scale",
        "new.text.en": "Do you like coming to the club?",
        "new.text.cy": "Wyt ti'n hoffi dod i'r clwb?",
        "new.short.en": "The club",
        "new.short.cy": "Y clwb",
    }
    changed = {**form, **new, "tell.remove": "yes", "better.position": "0", "csrf": csrf}
    assert (await client.post(where, data=changed)).status_code == 303
    async with services.db.read() as conn:
        (draft,) = await store.drafts(conn)
    ids = [n.id for n in draft.flow.nodes]
    assert ids[:3] == ["intro", "better", "trust"] and "tell" not in ids
    assert ids[-3:] == ["club", "review", "end"]


def _carried(page: str) -> dict[str, str]:
    return {
        "csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1),
        "lang": re.search(r'name="lang" value="([^"]+)"', page).group(1),
        "state": html.unescape(re.search(r'name="state" value="([^"]+)"', page).group(1)),
    }


async def test_the_preview_is_the_web_chat_and_stores_nothing(client, services, org):
    """The draft in the chat's own screens, from the first screen to Send, and nothing
    is written: no conversation, submission, help request or safety count."""
    where, csrf = await _new_draft(client, services, org.users["admin"])
    form = _form((await client.get(where)).text)
    await client.post(where, data={**form, "trust.text.en": NEW_TRUST, "csrf": csrf})
    before = {t: await _count(services, t) for t in STORED}

    first = await client.get(f"{where}/preview")
    assert first.status_code == 200 and 'action="' + where + '/preview"' in first.text
    assert "nothing you do here is kept" in first.text and 'class="msg' in first.text
    page = first.text
    for token in ["a:intro:next", *(f"a:{d}:4" for d in CORE_IDS)]:
        reply = await client.post(f"{where}/preview", data={**_carried(page), "t": token})
        assert reply.status_code == 200
        if token == "a:intro:next":
            assert NEW_TRUST in html.unescape(reply.text), "the draft's wording, not the live one"
        page = reply.text
    forged = {**_carried(page), "state": _carried(page)["state"].replace('"node":', '"nodx":')}
    restarted = await client.post(f"{where}/preview", data={**forged, "t": "a:helps:x"})
    assert restarted.status_code == 200, "an edited state is not read"
    assert "This is a 2-minute check-in" in html.unescape(restarted.text), "it starts again"
    for token in ("c:skip", "c:skip", "c:skip", "a:review:send"):
        page = (await client.post(f"{where}/preview", data={**_carried(page), "t": token})).text
    assert 'name="state"' not in page, "sent: the preview has ended"
    assert {t: await _count(services, t) for t in STORED} == before


async def test_other_processes_pick_it_up_at_start_and_housekeeping(
    services, console_settings, clock, org
):
    """Another process on the same database: its next housekeeping round (or a restart)
    makes the published version the one new check-ins get."""
    other = await bootstrap(console_settings, clock=clock, migrate_db=False)
    try:
        draft = next_version(flow_files()["relationship-checkin"], 1)
        trust = Edit({"en": NEW_TRUST}, {}, 1)
        async with services.db.write() as conn:
            draft_id = await store.add_draft(conn, revise(draft, {"trust": trust}), "a", clock())
            assert await store.publish(conn, draft_id, "b", clock())
        assert other.flows["relationship-checkin"].version == 1, "not until its next round"
        await other.refresh_questions()
        assert other.flows["relationship-checkin"].node("trust").text["en"] == NEW_TRUST
    finally:
        await other.close()
    restarted = await bootstrap(console_settings, clock=clock, migrate_db=False)
    try:
        assert restarted.flows["relationship-checkin"].version == 2
    finally:
        await restarted.close()
