"""Webhook payloads as Meta sends them, each checked against the spec's WebhookPayload
schema (``tests.fakes.graph_spec``) as it is built, so a test never feeds the app a shape
Meta would not send. Message ids are like Meta's: base64 that carries the sender's number."""

from __future__ import annotations

import base64
import itertools
import secrets
from typing import Any

from tests.fakes import graph_spec

WABA = "419561257915477"
BUSINESS_NUMBER = "447700900999"  # the service's own number, in metadata
PHONE_NUMBER_ID = "106540352242922"
_counter = itertools.count(1)


def message_id(wa_id: str) -> str:
    raw = b"\x18\x0c" + wa_id.encode() + b"\x15\x02\x00\x12\x18\x14" + secrets.token_bytes(10)
    return "wamid." + base64.b64encode(raw).decode()


def checked(payload: dict[str, Any]) -> dict[str, Any]:
    problems = graph_spec.problems("WebhookPayload", payload, inbound=True)
    assert problems == [], problems
    return payload


def delivery(value: dict[str, Any], field: str = "messages") -> dict[str, Any]:
    """One webhook POST body around one change's value."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": BUSINESS_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
        **value,
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA, "changes": [{"value": value, "field": field}]}],
    }
    return checked(body)


def incoming(wa_id: str, kind: str, name: str = "Sam Person", **fields: Any) -> dict[str, Any]:
    """A message from `wa_id` (profile `name`) of type `kind` with its own fields."""
    message = {
        "from": wa_id,
        "id": message_id(wa_id),
        "timestamp": str(1750000000 + next(_counter)),
        "type": kind,
        **fields,
    }
    return delivery(
        {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
    )


def text(wa_id: str, body: str, name: str = "Sam Person", **fields: Any) -> dict[str, Any]:
    return incoming(wa_id, "text", name, text={"body": body}, **fields)


def tapped(
    wa_id: str, row_id: str, title: str = "x", as_list: bool = True, name: str = "Sam Person"
) -> dict[str, Any]:
    """A list row (`list_reply`) or reply button (`button_reply`) tapped."""
    if as_list:
        interactive = {
            "type": "list_reply",
            "list_reply": {"id": row_id, "title": title, "description": ""},
        }
    else:
        interactive = {"type": "button_reply", "button_reply": {"id": row_id, "title": title}}
    context = {"from": BUSINESS_NUMBER, "id": message_id(BUSINESS_NUMBER)}
    return incoming(wa_id, "interactive", name, context=context, interactive=interactive)


def image(wa_id: str) -> dict[str, Any]:
    return incoming(wa_id, "image", image={"id": "1479537139650973", "caption": "look at this"})


def location(wa_id: str) -> dict[str, Any]:
    place = {
        "latitude": "51.4816",
        "longitude": "-3.1791",
        "name": "Home",
        "address": "14 Wendlebury Close",
    }
    return incoming(wa_id, "location", location=place)


def sticker(wa_id: str) -> dict[str, Any]:
    return incoming(wa_id, "sticker", sticker={"id": "1479537139650974"})


def reaction(wa_id: str) -> dict[str, Any]:
    return incoming(
        wa_id, "reaction", reaction={"message_id": message_id(BUSINESS_NUMBER), "emoji": "👍"}
    )


def contacts(wa_id: str) -> dict[str, Any]:
    card = {
        "name": {"formatted_name": "Ottoline Canary", "first_name": "Ottoline"},
        "phones": [{"phone": "+44 7700 900462", "wa_id": "447700900462", "type": "HOME"}],
    }
    return incoming(wa_id, "contacts", contacts=[card])


def unknown(wa_id: str) -> dict[str, Any]:
    error = {
        "code": 131051,
        "type": "OAuthException",
        "message": "Message type unknown",
        "error_data": {"details": "Message type is currently not supported."},
    }
    return incoming(wa_id, "unknown", errors=[error])


def group(wa_id: str, group_id: str, body: str) -> dict[str, Any]:
    return incoming(wa_id, "text", text={"body": body}, group_id=group_id)


def status(recipient: str, state: str, *codes: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": message_id(BUSINESS_NUMBER),
        "status": state,
        "timestamp": "1750000000",
        "recipient_id": recipient,
    }
    if codes:
        entry["errors"] = [{"code": c, "title": "refused"} for c in codes]
    return delivery({"statuses": [entry]})
