"""All 101 real update payloads in tests/contracts/telegram/updates.jsonl through getUpdates
(AN-01, SG-10, SG-11, CC-18): nothing crashes, every private-chat message gets a sensible
reply, groups get one message and are left, and nothing identifying is stored."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import confirmed, database_bytes, deliver, message, texts
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

CORPUS = Path(__file__).parents[1] / "contracts" / "telegram" / "updates.jsonl"
IMAGE = {"photo", "video", "animation", "document"}
FORWARD = {"forward_origin", "forward_from", "forward_from_chat"}
IDENTIFYING = {
    "first_name",
    "last_name",
    "username",
    "title",
    "file_id",
    "file_unique_id",
    "phone_number",
    "caption",
    "text",
    "address",
    "question",
}


def _corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def _expected(line: dict[str, Any]) -> str | None:
    """What the line is, by the corpus's own labels rather than by our parser."""
    update = line["update"]
    body = update.get("message")
    if not isinstance(body, dict) or "type" not in body.get("chat", {}):
        return None
    if body["chat"]["type"] != "private":
        return "group"
    features = set(line["features"])
    if features & FORWARD:
        return "forwarded"
    if "text" in features:
        return "text"
    return "image" if features & IMAGE else "media"


def _identifying(value: Any, found: set[str]) -> set[str]:
    """Names, usernames, titles, file ids, words and long ids anywhere in an update."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in IDENTIFYING and isinstance(item, str) and len(item) >= 5:
                if not item.startswith("/"):
                    found.add(item)
            elif key in ("id", "user_id") and isinstance(item, int) and abs(item) >= 10**6:
                found.add(str(item))
            else:
                _identifying(item, found)
    elif isinstance(value, list):
        for item in value:
            _identifying(item, found)
    return found


async def test_every_corpus_update_is_handled_safely(
    api: FakeTelegramAPI, channel: TelegramChannel, services: Services, settings: Settings
) -> None:
    lines = _corpus()
    assert len(lines) == 101
    # The corpus gathers samples from many bots, so some ids repeat; one bot's never do.
    updates = [{**line["update"], "update_id": n} for n, line in enumerate(lines, start=1)]
    since = len(api.calls())
    for update in updates:
        api.push_update(update)
    await api.wait_for(lambda: confirmed(api, since, len(updates)), timeout=30)
    await channel.handler.sender.drain()

    kit = services.conversations.kit
    only, remove = kit.t("only_text", "en"), kit.t("report_remove", "en")
    forwarded, groups = kit.t("forwarded", "en"), kit.t("groups", "en")
    wanted: dict[int, Counter[str]] = defaultdict(Counter)
    for line in lines:
        if (kind := _expected(line)) is not None:
            wanted[line["update"]["message"]["chat"]["id"]][kind] += 1
    # A chat that blocks the bot later in the batch has its queued replies dropped.
    for line in lines:
        member = line["update"].get("my_chat_member", {})
        if member.get("new_chat_member", {}).get("status") == "kicked":
            wanted.pop(member["chat"]["id"], None)
    assert sum(sum(c.values()) for c in wanted.values()) >= 60
    for chat_id, kinds in wanted.items():
        said = texts(api.sent_messages(chat_id=chat_id))
        if kinds["group"]:
            assert said == [groups], chat_id
            assert [c.params["chat_id"] for c in api.calls("leaveChat")].count(chat_id) == 1
            continue
        assert said.count(only) == kinds["media"] + kinds["image"], chat_id
        assert said.count(remove) == kinds["image"], chat_id
        assert said.count(forwarded) == kinds["forwarded"], chat_id
        others = len(said) - said.count(only) - said.count(remove) - said.count(forwarded)
        assert others >= kinds["text"], chat_id  # each typed text is answered by the engine
    assert api.calls("getFile") == [] and api.violations == []  # every request valid

    # Polling carries on after the lot.
    assert await deliver(api, channel, message(42, "/help")) != []

    await channel.stop(timeout=5)
    await services.close()  # checkpoint, so every byte is in the files we scan
    raw = database_bytes(settings).lower()
    values = _identifying([line["update"] for line in lines], set())
    assert len(values) > 50
    leaked = sorted(v for v in values if v.lower().encode() in raw)
    assert leaked == []
