"""Question-set versions from the console (issue 15), on SQLite and PostgreSQL: validated
before they are saved, published only by a second person, and counted by question id
across versions so reports compare like with like."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from flows.editing import CORE, Edit, NewQuestion, next_version, revise
from flows.loader import FlowError, flow_files
from storage import catalog
from storage import question_sets as store
from storage import reports as queries
from storage.conversations import NewSubmission, store_submissions
from storage.db import Database
from storage.pace import PaceLimits
from storage.schema import QuestionSet

NOW = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
LIMITS = PaceLimits(invite_hour=60, invite_day=200, org_hour=600, org_day=3000)
CHECKIN = flow_files()["relationship-checkin"]


def _reworded() -> object:
    draft = next_version(CHECKIN, after=CHECKIN.version)
    edit = Edit({"en": "Can you be straight with them?"}, {"en": "Being straight"}, 1)
    return revise(draft, {"trust": edit})


async def test_a_draft_is_stored_as_the_same_validated_model(db: Database) -> None:
    flow = _reworded()
    async with db.write() as conn:
        draft_id = await store.add_draft(conn, flow, "admin-1", NOW)
    async with db.read() as conn:
        got = await store.get(conn, draft_id)
        assert await store.highest_version(conn, CHECKIN.id) == 2
    assert got is not None and got.published_at is None
    assert got.flow == flow
    assert got.flow.version == 2
    assert got.flow.node("trust").text["en"] == "Can you be straight with them?"
    assert got.flow.node("trust").text["cy"] == CHECKIN.node("trust").text["cy"]


def test_a_broken_draft_is_refused_with_a_clear_message() -> None:
    draft = next_version(CHECKIN, after=1)
    new = NewQuestion("fun", "text", {"en": "Was it fun?"}, {"en": "Fun"})
    with pytest.raises(FlowError, match="node 'fun' text: missing language cy"):
        revise(draft, {}, new)
    with pytest.raises(FlowError, match="id used twice"):
        revise(
            draft, {}, NewQuestion("helps", "text", {"en": "x", "cy": "y"}, {"en": "x", "cy": "y"})
        )


@pytest.mark.parametrize("core", CORE)
def test_a_core_dimension_cannot_be_removed(core: str) -> None:
    draft = next_version(CHECKIN, after=1)
    with pytest.raises(FlowError, match=f"'{core}' is one of the six core dimensions"):
        revise(draft, {core: Edit({}, {}, 1, remove=True)})


def test_optional_questions_can_be_removed_reordered_and_added() -> None:
    draft = next_version(CHECKIN, after=1)
    edits = {"helps": Edit({}, {}, 0.5), "tell": Edit({}, {}, 9, remove=True)}
    new = NewQuestion(
        "club",
        "scale",
        {"en": "Do you like the club?", "cy": "Wyt ti'n hoffi'r clwb?"},
        {"en": "The club", "cy": "Y clwb"},
    )
    flow = revise(draft, edits, new)
    ids = [n.id for n in flow.nodes]
    assert ids[:3] == ["intro", "helps", "trust"]
    assert "tell" not in ids
    assert ids[-3:] == ["club", "review", "end"]
    assert [n.id for n in flow.nodes if n.id in CORE] == list(CORE)


async def test_only_a_second_person_can_publish(db: Database) -> None:
    async with db.write() as conn:
        draft_id = await store.add_draft(conn, _reworded(), "admin-1", NOW)
    async with db.write() as conn:
        assert not await store.publish(conn, draft_id, "admin-1", NOW)
    with pytest.raises(IntegrityError):  # the database refuses it too, whatever code writes
        async with db.write() as conn:
            t = QuestionSet.__table__
            await conn.execute(
                update(t).where(t.c.id == draft_id).values(approved_by="admin-1", published_at=NOW)
            )
    async with db.write() as conn:
        assert await store.publish(conn, draft_id, "manager-2", NOW)
        assert not await store.publish(conn, draft_id, "manager-3", NOW)  # once only
    async with db.read() as conn:
        live = await store.published(conn)
        assert await store.drafts(conn) == []
    assert [(v.flow.version, v.approved_by) for v in live] == [(2, "manager-2")]


async def test_two_drafts_of_one_version_cannot_both_be_saved(db: Database) -> None:
    async with db.write() as conn:
        await store.add_draft(conn, _reworded(), "admin-1", NOW)
    with pytest.raises(IntegrityError):
        async with db.write() as conn:
            await store.add_draft(conn, _reworded(), "admin-2", NOW)


async def test_reports_count_a_dimension_across_versions_by_its_id(db: Database) -> None:
    """Like with like: answers to 'trust' on version 1 and version 2 are one item."""
    async with db.write() as conn:
        team = await catalog.add_team(conn, "Harbour")
        for version, value in ((1, 4), (2, 4), (2, 5)):
            sub = NewSubmission(
                id=secrets.token_bytes(16),
                period="2026-11",
                team_id=team,
                worker_id=None,
                flow_id=CHECKIN.id,
                flow_version=version,
                answers=(("trust", value, "answered"),),
                comments=(),
                participation=secrets.token_hex(32),
                purge_after="2027-12",
                invite_id=None,
            )
            await store_submissions(conn, [sub], now=NOW, limits=LIMITS)
    async with db.read() as conn:
        tallies = await queries.answer_counts(conn, ["2026-11"])
    assert list(tallies.counts) == ["trust"]
    assert tallies.counts["trust"][team] == {"4": 2, "5": 1}
