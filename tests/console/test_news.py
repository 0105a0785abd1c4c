"""'You said, we did' in the console (issue 15): written by a manager, published only when
a second person approves it (four-eyes, audited), citing figures only through the
gateway (SDC-01) and never quoting young people (SDC-11)."""

from __future__ import annotations

import html
import json
import random

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from reports.news import problems
from storage import accounts, news
from storage.schema import NewsItem
from tests.console import seed
from tests.console.conftest import CLOSED, OPEN, add_user, as_user
from youthvoice.demo import DEMO_NEWS

GOOD = {
    "period": CLOSED,
    "topic": "dimension:heard",
    "said_en": "they wanted more time to talk, and {favourable:heard} felt listened to",
    "did_en": "now keep the last half hour of every session free",
}
SHOWN_QUOTE = "she really listens to what I say"  # a quote reviewers read (tests/console/conftest)


async def _write(client, services, user_id, **changes):
    csrf = await as_user(client, services, user_id)
    return await client.post("/admin/news", data={**GOOD, **changes, "csrf": csrf})


async def _waiting(services):
    async with services.db.read() as conn:
        return await news.waiting(conn)


async def test_four_eyes_author_cannot_publish_a_second_person_can(client, services, org):
    """Published only after someone other than its author approves it; both steps are
    audited with ids only, never the wording."""
    manager = org.users["manager"]
    assert (await _write(client, services, manager)).status_code == 303
    (item,) = await _waiting(services)
    assert item.written_by == manager and item.published_at is None
    listed = html.unescape((await client.get("/admin/news")).text)
    assert "Last time, young people said they wanted more time to talk" in listed

    csrf = await as_user(client, services, manager)
    own = await client.post(f"/admin/news/{item.id}/approve", data={"csrf": csrf})
    assert own.status_code == 400 and "not its author" in own.text
    assert services.conversations.kit.news == {}, "nothing shown to young people yet"
    async with services.db.write() as conn:
        assert not await news.approve(conn, item.id, manager, item.wording, services.clock())
    with pytest.raises(IntegrityError):  # the database itself refuses, whatever the code
        async with services.db.write() as conn:
            table = NewsItem.__table__
            await conn.execute(
                update(table).where(table.c.id == item.id).values(approved_by=manager)
            )

    csrf = await as_user(client, services, org.users["reviewer"])
    done = await client.post(f"/admin/news/{item.id}/approve", data={"csrf": csrf})
    assert done.status_code == 303
    assert await _waiting(services) == []
    said, did = services.conversations.kit.news["en"]
    assert did == GOOD["did_en"] and "{" not in said and "% felt listened to" in said

    async with services.db.read() as conn:
        events = [e for e in await accounts.audit_events(conn) if e.action.startswith("news.")]
    assert {(e.action, e.actor_id, e.outcome) for e in events} == {
        ("news.write", manager, "ok"),
        ("news.approve", manager, "http_400"),
        ("news.approve", org.users["reviewer"], "ok"),
    }
    assert len(events) == 3
    assert all(json.loads(e.params)["news"] == item.id for e in events)
    assert not any("half hour" in e.params for e in events), "ids only, never the text"


async def test_the_figure_is_the_gateways(client, services, org):
    """SDC-01: {favourable:heard} becomes the share the report shows for that period."""
    await _write(client, services, org.users["manager"])
    (item,) = await _waiting(services)
    csrf = await as_user(client, services, org.users["reviewer"])
    await client.post(f"/admin/news/{item.id}/approve", data={"csrf": csrf})
    report = await client.get(f"/admin/reports/period/{CLOSED}/org")
    said, _ = services.conversations.kit.news["en"]
    figure = said.split(" and ")[1].split(" ")[0]
    assert figure.endswith("%") and figure[:-1].isdigit()
    assert report.status_code == 200


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"said_en": SHOWN_QUOTE}, "never quote them"),
        ({"said_en": "SHE really listens, to what... I say!"}, "never quote them"),
        ({"said_en": "\u201cshe listens\u201d"}, "no quotation marks"),
        ({"said_en": "{favourable:shoe_size} said so"}, "not a figure"),
        ({"said_en": "{count} of you said so"}, "not a figure"),
        ({"said_en": "their worker was late too often"}, "first 60 characters"),
        ({"did_en": " ".join(["and we changed things"] * 7)}, "over 25 words"),
        ({"did_en": ""}, "write this part"),
        ({"period": OPEN}, "closed period"),
        ({"topic": "theme:nonsense"}, "topic from the list"),
    ],
)
async def test_what_cannot_be_published_is_refused(client, services, org, changes, why):
    response = await _write(client, services, org.users["manager"], **changes)
    assert response.status_code == 400 and why in html.unescape(response.text)
    assert await _waiting(services) == []


async def test_the_quote_check_answers_nothing_about_words_no_page_shows(client, services, org):
    """An insider must not probe the check for what young people wrote: words in a team
    too small to show (so never quoted to anyone) are not refused as a quote, while a
    quote a reviewer can read is."""
    hidden = "the minibus home from the centre leaves far too early"
    async with services.db.write() as conn:
        await seed.add_submissions(
            conn,
            team_id=org.team_c,
            period="2026-02",
            count=3,
            rng=random.Random(3),
            comments=[("better", hidden, ["heard"])],
        )
    probe = await _write(client, services, org.users["manager"], said_en=hidden)
    assert probe.status_code == 303
    quoted = await _write(client, services, org.users["manager"], said_en=SHOWN_QUOTE)
    assert quoted.status_code == 400 and "never quote them" in html.unescape(quoted.text)


async def test_a_hidden_figure_cannot_be_cited(client, services, org):
    """A figure the gateway does not show for the period cannot be written in."""
    manager = await add_user(services, "scoped-manager", "manager", [org.team_c])
    response = await _write(client, services, manager, period="2025-Q4")
    assert response.status_code == 400 and "does not show {favourable:heard}" in response.text


async def test_welsh_is_asked_for_when_the_organisation_uses_it(client, services, org):
    services.settings.org_name_cy = "Gwasanaeth Prawf"
    csrf = await as_user(client, services, org.users["manager"])
    page = await client.get("/admin/news")
    assert 'name="said_cy"' in page.text and 'name="did_cy"' in page.text
    missing = await client.post("/admin/news", data={**GOOD, "csrf": csrf})
    assert missing.status_code == 400
    assert "cy 'said': write this part" in html.unescape(missing.text)


def test_the_demo_response_meets_the_rules(kit):
    """The demo's published response is one the console itself would accept."""

    def line(lang, said, did):
        return kit.t("news_line", lang, said=said, did=did)

    assert problems(DEMO_NEWS, ("en", "cy"), ("reliability",), line) == []
