"""The ingestion whitelist (AN-01, AN-04, SG-10, SG-11, CC-18): what survives the door."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.telegram import ingest
from bot.telegram.ingest import Incoming, parse

CANARY = {
    "id": 987654321012,
    "is_bot": False,
    "first_name": "Quilliam",
    "last_name": "Fenwick-Canary",
    "username": "zz_canary_user",
    "language_code": "cy",
    "is_premium": True,
}
SECOND = {"id": 912345678901, "is_bot": False, "first_name": "Ottoline", "last_name": "Canary"}
CHAT = {
    "id": 987654321012,
    "type": "private",
    "first_name": "Quilliam",
    "last_name": "Fenwick-Canary",
    "username": "zz_canary_user",
}
WHITELIST = {
    "update_id",
    "kind",
    "chat_id",
    "chat_type",
    "message_id",
    "text",
    "callback_id",
    "lang",
    "screen",
}
LANGS = ("en", "cy")


def _maximal_message(**extra: object) -> dict:
    """Every optional field a text message can carry, filled with canary values."""
    return {
        "update_id": 41,
        "message": {
            "message_id": 7,
            "date": 1700000000,
            "chat": CHAT,
            "from": CANARY,
            "text": "/start inv-1 Quilliam",
            "sender_chat": {"id": -100912345678901, "type": "channel", "title": "Canary"},
            "entities": [{"type": "text_mention", "offset": 0, "length": 6, "user": SECOND}],
            "reply_to_message": {
                "message_id": 6,
                "date": 1,
                "chat": CHAT,
                "from": SECOND,
                "text": "Ottoline Canary said",
            },
            "via_bot": {"id": 5, "is_bot": True, "first_name": "Quilliam", "username": "zz_bot"},
            "contact": {
                "phone_number": "+447700900981",
                "first_name": "Ottoline",
                "user_id": 912345678901,
            },
            "location": {"latitude": 51.501, "longitude": -0.142},
            "author_signature": "Quilliam Fenwick-Canary",
            **extra,
        },
    }


def test_only_whitelisted_fields_survive_a_maximal_update() -> None:
    """AN-01: the parsed update holds only the whitelisted keys, and no canary value except
    the chat id; AN-04: the language code is reduced to a language we speak."""
    inc = parse(_maximal_message(), LANGS)
    assert inc is not None
    fields = dataclasses.asdict(inc)
    assert set(fields) == WHITELIST
    assert fields == {
        "update_id": 41,
        "kind": ingest.TEXT,
        "chat_id": 987654321012,
        "chat_type": "private",
        "message_id": 7,
        "text": "/start inv-1 Quilliam",
        "callback_id": None,
        "lang": "cy",
        "screen": None,
    }
    kept = json.dumps({k: v for k, v in fields.items() if k not in ("chat_id", "text")})
    for value in ("Fenwick", "zz_canary", "912345678901", "Ottoline", "447700", "51.501"):
        assert value not in kept


def test_a_button_keeps_only_its_data_id_and_message() -> None:
    raw = {
        "update_id": 9,
        "callback_query": {
            "id": "cbq-1",
            "from": CANARY,
            "chat_instance": "77",
            "data": "a:trust:4",
            "message": {
                "message_id": 12,
                "date": 1,
                "chat": CHAT,
                "from": SECOND,
                "text": "Question 1 of 9",
                "reply_markup": {
                    "inline_keyboard": [
                        [{"text": "Stop", "callback_data": "c:stop"}],
                        [{"text": "🙂 Mostly", "callback_data": "a:trust:4"}],
                    ]
                },
            },
        },
    }
    assert parse(raw, LANGS) == Incoming(
        9, ingest.BUTTON, 987654321012, "private", 12, "a:trust:4", "cbq-1", "cy", "trust"
    )


@pytest.mark.parametrize(
    "markup",
    [None, [], {"inline_keyboard": "x"}, {"inline_keyboard": [[{"callback_data": "c:help"}]]}],
)
def test_a_tapped_message_without_our_answer_buttons_shows_no_screen(markup: object) -> None:
    """Issue 13: only a message whose own buttons answer a node can be edited in place."""
    message = {"message_id": 3, "date": 1, "chat": CHAT, "reply_markup": markup}
    raw = {"update_id": 3, "callback_query": {"id": "q", "data": "c:help", "message": message}}
    parsed = parse(raw, LANGS)
    assert parsed is not None and parsed.kind == ingest.BUTTON and parsed.screen is None


def test_a_tapped_message_that_shows_the_helplines_shows_no_screen() -> None:
    """SG-01, issue 13: the intro carries the helplines, so a tap on its Start is answered
    below it; the same message without them would be edited into question 1."""
    markup = {"inline_keyboard": [[{"text": "Start", "callback_data": "a:intro:next"}]]}
    helplines = "If you need help now:\n• Childline: call 0800 1111."
    for text, screen in (("Hi.", "intro"), (f"Hi.\n\n{helplines}", None)):
        message = {"message_id": 4, "date": 1, "chat": CHAT, "text": text, "reply_markup": markup}
        raw = {
            "update_id": 4,
            "callback_query": {"id": "q", "data": "a:intro:next", "message": message},
        }
        parsed = parse(raw, LANGS, [helplines])
        assert parsed is not None and parsed.screen == screen


def test_a_language_we_do_not_speak_is_dropped() -> None:
    raw = _maximal_message(**{"from": {**CANARY, "language_code": "pt-BR"}})
    assert parse(raw, LANGS).lang is None
    assert parse(_maximal_message(), ()).lang is None


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("photo", [{"file_id": "AgAD", "file_unique_id": "u", "width": 1, "height": 1}], "image"),
        ("video", {"file_id": "BAAD"}, "image"),
        ("animation", {"file_id": "CgAD"}, "image"),
        ("document", {"file_id": "BQAD", "file_name": "Quilliam.pdf"}, "image"),
        ("voice", {"file_id": "AwAD", "duration": 1}, "media"),
        ("video_note", {"file_id": "DQAD", "length": 1, "duration": 1}, "media"),
        ("sticker", {"file_id": "CAAD", "type": "regular"}, "media"),
        ("audio", {"file_id": "CQAD", "duration": 1}, "media"),
        ("contact", {"phone_number": "+447700900981", "first_name": "Ottoline"}, "media"),
        ("location", {"latitude": 51.5, "longitude": -0.1}, "media"),
        (
            "venue",
            {
                "location": {"latitude": 51.5, "longitude": -0.1},
                "title": "Hillside",
                "address": "1 Road",
            },
            "media",
        ),
        ("poll", {"id": "1", "question": "q", "options": []}, "media"),
        ("dice", {"emoji": "🎲", "value": 3}, "media"),
    ],
)
def test_media_is_never_opened(field: str, value: object, kind: str) -> None:
    """SG-10, CC-18: media is classified and dropped; nothing of it is kept, not even a
    caption or file id."""
    raw = {
        "update_id": 3,
        "message": {
            "message_id": 2,
            "date": 1,
            "chat": CHAT,
            "from": CANARY,
            field: value,
            "caption": "Quilliam",
        },
    }
    inc = parse(raw, LANGS)
    assert (inc.kind, inc.text, inc.chat_id) == (kind, None, 987654321012)
    assert "Quilliam" not in repr(inc) and "AD" not in repr(inc)


def test_forwarded_words_are_never_read() -> None:
    """SG-10: a forward keeps neither its text nor its origin."""
    origin = {"type": "user", "date": 1, "sender_user": SECOND}
    inc = parse(_maximal_message(forward_origin=origin), LANGS)
    assert (inc.kind, inc.text) == (ingest.FORWARDED, None)
    legacy = parse(_maximal_message(forward_from=SECOND, forward_date=1), LANGS)
    assert legacy.kind == ingest.FORWARDED


@pytest.mark.parametrize("chat_type", ["group", "supergroup", "channel"])
def test_shared_chats_are_refused_without_their_words(chat_type: str) -> None:
    """SG-11: a group message keeps only the chat to leave."""
    chat = {"id": -100123, "type": chat_type, "title": "Quilliam's friends"}
    raw = {
        "update_id": 5,
        "message": {"message_id": 1, "date": 1, "chat": chat, "from": CANARY, "text": "hi all"},
    }
    assert parse(raw, LANGS) == Incoming(5, ingest.GROUP, -100123, chat_type)


def test_membership_changes() -> None:
    def member(chat: dict, status: str) -> dict:
        return {
            "update_id": 8,
            "my_chat_member": {
                "chat": chat,
                "from": CANARY,
                "date": 1,
                "old_chat_member": {"status": "member", "user": CANARY},
                "new_chat_member": {"status": status, "user": CANARY},
            },
        }

    group = {"id": -5, "type": "group", "title": "t"}
    assert parse(member(CHAT, "kicked"), LANGS).kind == ingest.BLOCKED
    assert parse(member(CHAT, "member"), LANGS).kind == ingest.IGNORED
    assert parse(member(group, "member"), LANGS) == Incoming(8, ingest.GROUP, -5, "group")
    assert parse(member(group, "left"), LANGS).kind == ingest.IGNORED


@pytest.mark.parametrize(
    "raw",
    [
        {"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "x"}},
        {"update_id": 1, "message_reaction": {"chat": CHAT}},
        {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 5}, "text": "x"}},
        {"update_id": 1, "message": {"message_id": 1, "chat": {"id": "5", "type": "private"}}},
        {"update_id": 1, "message": "not an object"},
        {"update_id": 1, "callback_query": {"id": "c", "inline_message_id": "i", "data": "x"}},
        {"update_id": 1, "brand_new_kind": {"chat": CHAT}},
    ],
)
def test_odd_updates_are_ignored_without_raising(raw: dict) -> None:
    inc = parse(raw, LANGS)
    assert inc is not None and inc.kind == ingest.IGNORED and inc.text is None


def test_inline_buttons_are_still_acknowledged() -> None:
    raw = {
        "update_id": 1,
        "callback_query": {
            "id": "c1",
            "from": CANARY,
            "data": "x",
            "inline_message_id": "i",
            "chat_instance": "1",
        },
    }
    assert parse(raw, LANGS) == Incoming(1, ingest.IGNORED, callback_id="c1")


@pytest.mark.parametrize("update_id", [None, "7", True, 1.5])
def test_no_usable_update_id_is_none(update_id: object) -> None:
    assert parse({"update_id": update_id, "message": {"chat": CHAT, "text": "x"}}) is None
