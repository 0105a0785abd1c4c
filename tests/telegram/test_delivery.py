"""Delivery semantics through real polling (REL-01, REL-02, REL-04, REL-05): each update
has one effect however often it arrives, ids that restart lower are handled, one chat's
updates keep their order, and a failing update is retried, then let go with an apology."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import func, select

from bot.conversation import ConversationService
from bot.telegram.channel import TelegramChannel
from bot.telegram.ingest import parse
from storage.schema import Conversation, ProcessedUpdate
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import confirmed, deliver, message, person, shown, tap, texts
from youthvoice.bootstrap import Services

A, B = 5101, 5202


async def _version(services: Services, chat_id: int) -> str | None:
    """The stored draft as it stands: any step that moved it on changes this."""
    key = services.conversations.key("telegram", str(chat_id))
    c = Conversation.__table__.c
    async with services.db.read() as conn:
        return (await conn.execute(select(c.state).where(c.key == key))).scalar()


async def _marks(services: Services) -> int:
    async with services.db.read() as conn:
        count = select(func.count()).select_from(ProcessedUpdate)
        return (await conn.execute(count)).scalar_one()


async def _opened(api: FakeTelegramAPI, channel: TelegramChannel, code: str, chat: int) -> None:
    await deliver(api, channel, message(chat, f"/start {code}"))
    await deliver(api, channel, tap(chat, "a:intro:next"))


async def test_the_same_update_twice_in_sequence_has_one_effect(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """REL-01: Telegram re-sending an update (after a crash before the offset moved)."""
    await _opened(api, channel, invite_code, A)
    answer = {"update_id": 700, **tap(A, "a:trust:4")}
    first = await deliver(api, channel, answer)
    version = await _version(services, A)
    assert texts(first)[0].startswith("Question 2 of 9")
    assert await deliver(api, channel, answer) == []
    assert await _version(services, A) == version


async def test_the_same_update_twice_at_once_has_one_effect(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """REL-01: two deliveries handled concurrently (in one batch, and racing directly)."""
    await _opened(api, channel, invite_code, A)
    answer = {"update_id": 701, **tap(A, "a:trust:4")}
    since = len(api.calls())
    api.push_update(answer)
    api.push_update(answer)
    await api.wait_for(lambda: confirmed(api, since, 701))
    await channel.handler.sender.drain()
    assert len(shown(api, A)) == 2 + 1  # opening showed two, then one question
    version = await _version(services, A)

    racing = parse({"update_id": 702, **tap(A, "a:relatability:5")}, ["en"])
    await asyncio.gather(channel.handler.process(racing), channel.handler.process(racing))
    await channel.handler.sender.drain()
    assert len(shown(api, A)) == 3 + 1
    after = await _version(services, A)
    assert after != version and '["relatability", "5"]' in str(after)  # moved on once


async def test_update_ids_that_restart_lower_are_both_handled(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str
) -> None:
    """REL-02: after a week's silence Telegram may pick a random, lower id."""
    started = await deliver(
        api, channel, {"update_id": 5000, **message(A, f"/start {invite_code}")}
    )
    assert len(started) == 1
    (question,) = await deliver(api, channel, {"update_id": 17, **tap(A, "a:intro:next")})
    assert question.params["text"].startswith("Question 1 of 9")


async def test_one_chats_updates_keep_their_order_while_chats_run_together(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    """REL-02: a batch holding several updates from each of two chats."""
    steps = [f"/start {invite_code}", "a:intro:next", "a:trust:4", "a:relatability:2"]
    since = len(api.calls())
    last = 0
    for step in steps:
        for chat in (A, B):
            update = message(chat, step) if step.startswith("/") else tap(chat, step)
            last = api.push_update(update)["update_id"]
    await api.wait_for(lambda: confirmed(api, since, last))
    await channel.handler.sender.drain()
    moved_on = services.conversations.kit.t("moved_on", "en")
    for chat in (A, B):
        said = texts(shown(api, chat))
        assert moved_on not in said
        assert said[-1].startswith("Question 3 of 9")


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch, services: Services) -> dict[str, int]:
    """Make `handle` raise for chosen update keys, a chosen number of times (a fault
    in the write path, as a full disk or a lost database would cause)."""
    failures: dict[str, int] = {}
    real = ConversationService.handle.__get__(services.conversations)

    async def handle(
        channel: str, external_id: str, inp: object, *, update_key: str | None = None, **kw: object
    ) -> object:
        if failures.get(update_key or "", 0) > 0:
            failures[update_key] -= 1
            raise OSError("disk I/O error")
        return await real(channel, external_id, inp, update_key=update_key, **kw)

    monkeypatch.setattr(services.conversations, "handle", handle)
    return failures


async def test_a_failed_update_is_retried_and_its_batch_is_not_redone(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    flaky: dict[str, int],
) -> None:
    """REL-04: the offset does not move past an update that failed; on the retry the
    updates already handled are not handled again (no repeated replies)."""
    await _opened(api, channel, invite_code, A)
    await _opened(api, channel, invite_code, B)
    flaky["tg:801"] = 2
    since = len(api.calls())
    api.push_update({"update_id": 800, **tap(B, "a:trust:4")})
    api.push_update({"update_id": 801, **tap(A, "a:trust:4")})
    await api.wait_for(lambda: confirmed(api, since, 801))
    await channel.handler.sender.drain()
    polled = [c.params.get("offset") for c in api.calls()[since:] if c.method == "getUpdates"]
    past = next(i for i, offset in enumerate(polled) if (offset or 0) > 801)
    assert past >= 2 and len(set(polled[:past])) == 1  # the same batch, asked for again
    for chat in (A, B):
        (answer,) = texts(shown(api, chat))[2:]
        assert answer.startswith("Question 2 of 9")
    assert flaky["tg:801"] == 0


async def test_an_update_that_keeps_failing_is_let_go_with_an_apology(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    flaky: dict[str, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """REL-05: after 5 tries the person is told and given the safety block, and the
    updates behind it are handled. SEC-18: the log says what failed, not its message."""
    kit = services.conversations.kit
    await _opened(api, channel, invite_code, A)
    flaky["tg:900"] = 99
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        apology = await deliver(api, channel, {"update_id": 900, **tap(A, "a:trust:4")})
    assert caplog.text.count("OSError at ") == 5 and "disk I/O" not in caplog.text
    assert "gave up on an update of kind button" in caplog.text and str(A) not in caplog.text
    assert texts(apology) == [f"{kit.t('sorry_error', 'en')}\n\n{kit.safety_block('en')}"]
    assert flaky["tg:900"] == 99 - 5
    (question,) = await deliver(api, channel, {"update_id": 901, **tap(A, "a:trust:4")})
    assert question.params["text"].startswith("Question 2 of 9")
    assert await _marks(services) >= 3


async def test_the_apology_speaks_the_conversations_language(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    invite_code: str,
    services: Services,
    flaky: dict[str, int],
) -> None:
    """REL-05: a Welsh check-in, and a phone that reports no language: sorry in Welsh."""
    kit = services.conversations.kit
    await deliver(api, channel, message(A, f"/start {invite_code}", person(A, "cy")))
    flaky["tg:950"] = 99
    apology = await deliver(api, channel, {"update_id": 950, **message(A, "hi", person(A))})
    assert texts(apology) == [f"{kit.t('sorry_error', 'cy')}\n\n{kit.safety_block('cy')}"]
