"""REL-18: after real traffic through the fake Bot API (a check-in begun, a tap Telegram
delivers twice, typed words, a photo, a group, a 429 and a 500), /metrics scraped over
loopback HTTP counts it all, and no label is anything but an allowed name with a kind's
value: no chat id, update id, token or words."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from admin.app import create_app
from bot.telegram import ingest
from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram.conftest import confirmed, deliver, message, serve, tap, tokens
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

TOKEN = "0123456789abcdef" * 3
ALICE, GROUP = 734_109_582, -1_001_234_567_890
WORDS = "Zebedee Quartermaine from Larkspur Road"
ALLOWED_LABELS = {"kind"}
KINDS = {
    ingest.TEXT, ingest.BUTTON, ingest.MEDIA, ingest.IMAGE,
    ingest.FORWARDED, ingest.GROUP, ingest.BLOCKED, ingest.IGNORED,
}  # fmt: skip


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})


def _group_message() -> dict[str, Any]:
    update = message(ALICE, "hello all")
    update["message"]["chat"] = {"id": GROUP, "type": "group", "title": "Friends"}
    return update


async def test_metrics_count_traffic_and_carry_no_ids_or_words(
    api: FakeTelegramAPI, channel: TelegramChannel, invite_code: str, services: Services
) -> None:
    api.fail_next("sendMessage", 429, chat_id=ALICE, retry_after=1)
    (intro,) = await deliver(api, channel, message(ALICE, f"/start {invite_code}"))
    api.fail_next("sendMessage", 500, chat_id=ALICE)
    since = len(api.calls())
    update = api.push_update(tap(ALICE, tokens(intro)[0], message_id=intro.result["message_id"]))
    await api.wait_for(lambda: confirmed(api, since, update["update_id"]))
    await channel.handler.sender.drain()
    assert await deliver(api, channel, update) == []  # Telegram delivered it again
    await deliver(api, channel, message(ALICE, WORDS))
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    await deliver(api, channel, message(ALICE, None, photo=photo))
    await deliver(api, channel, _group_message())

    async with serve(create_app(services)) as base:
        async with httpx.AsyncClient(base_url=base) as http:
            response = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200

    families = list(text_string_to_metric_families(response.text))
    labelled = [s for f in families for s in f.samples if s.labels]
    assert {name for s in labelled for name in s.labels} <= ALLOWED_LABELS
    for sample in labelled:
        for value in sample.labels.values():
            assert value in KINDS and not re.search(r"\d", value), sample
    for secret in (TOKEN, api.token, "Zebedee", "Larkspur", "hello all", "Friends"):
        assert secret not in response.text

    updates = {s.labels["kind"]: s.value for s in labelled if s.name.endswith("updates_total")}
    assert updates == {"text": 2, "button": 2, "image": 1, "group": 1}
    totals = {s.name: s.value for f in families for s in f.samples if not s.labels}
    assert totals["youthvoice_telegram_duplicate_updates_total"] == 1
    assert totals["youthvoice_telegram_rate_limited_total"] == 1
    assert totals["youthvoice_telegram_send_retries_total"] == 2  # the 429 and the 500
    assert totals["youthvoice_telegram_dead_letters_total"] == 0
    assert totals["youthvoice_outbox_messages"] == 0  # all delivered, rows deleted
