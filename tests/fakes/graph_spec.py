"""Meta's OpenAPI 3.1 description of the WhatsApp Cloud API (Graph v23.0, in
``tests/contracts/whatsapp/``), as JSON Schema validators for what our code sends and for the
webhook payloads the tests build.

The schemas are used as published, with three readings every OpenAPI tool applies and
plain JSON Schema does not, and one documented gap filled:

1. ``allOf`` members are merged into one object schema (properties, required, and
   ``additionalProperties: false`` if any member says so). Read literally, a member's
   ``additionalProperties: false`` rejects the other members' properties, so no text
   message, not even the spec's own examples, could ever validate.
2. ``discriminator`` picks the one schema its mapping names for the property's value
   (``if``/``then``), instead of "exactly one of" the ``oneOf``, and only mapped values pass.
3. Inbound messages (webhooks) reuse the outbound message schemas, whose base requires
   ``to`` and ``recipient_type``; for payloads the base is the inbound one instead:
   ``from``, ``id``, ``timestamp``, ``type`` required, ``context`` and ``referral`` (in the
   spec's own examples) allowed.
4. Gap: the spec has no schema for a message in a group; Meta's Groups API adds
   ``group_id`` to it, so the inbound base allows that string too.

Everything else (lengths, item counts, enums, required fields) is checked as written.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).parents[1] / "contracts" / "whatsapp"
SPEC_FILE = SPEC_PATH / "business-messaging-api_v23.0.yaml"
REF = "#/components/schemas/"
INBOUND_BASE = {
    "type": "object",
    "required": ["from", "id", "timestamp", "type"],
    "properties": {
        "from": {"type": "string"},
        "id": {"type": "string"},
        "timestamp": {"type": "string"},
        "type": {"type": "string"},
        "context": {"type": "object"},
        "referral": {"type": "object"},
        "group_id": {"type": "string"},
    },
}


@functools.cache
def raw_spec() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_FILE.open(encoding="utf-8") as file:
        spec: dict[str, Any] = yaml.load(file, Loader=loader)  # noqa: S506 (a safe loader)
    return spec


class _Reader:
    """Rewrites the spec's schemas by readings 1 and 2 (and 3 when inbound)."""

    def __init__(self, schemas: dict[str, Any], inbound: bool) -> None:
        self._schemas = schemas
        if inbound:
            self._schemas = {**schemas, "BaseMessageProperties": INBOUND_BASE}

    def all(self) -> dict[str, Any]:
        return {name: self.read(schema) for name, schema in self._schemas.items()}

    def read(self, schema: Any) -> Any:
        if isinstance(schema, list):
            return [self.read(s) for s in schema]
        if not isinstance(schema, dict):
            return schema
        schema = {k: self.read(v) for k, v in schema.items() if k not in ("example", "examples")}
        if "allOf" in schema:
            members = [self._deref(m) for m in schema.pop("allOf")]
            schema = _merge([schema, *members])
        if "discriminator" in schema:
            schema = self._discriminate(schema)
        return schema

    def _deref(self, schema: Any) -> Any:
        """An allOf member as its own schema. A parent's discriminator is not inherited:
        it names the children, of which this is one."""
        while isinstance(schema, dict) and set(schema) == {"$ref"}:
            schema = self._schemas[schema["$ref"].removeprefix(REF)]
            if isinstance(schema, dict) and "discriminator" in schema:
                schema = {k: v for k, v in schema.items() if k not in ("discriminator", "oneOf")}
        return self.read(schema)

    def _discriminate(self, schema: dict[str, Any]) -> dict[str, Any]:
        found = schema.pop("discriminator")
        schema.pop("oneOf", None)
        prop, mapping = found["propertyName"], found.get("mapping", {})
        rules = [
            {"if": {"properties": {prop: {"const": value}}}, "then": {"$ref": target}}
            for value, target in mapping.items()
        ]
        checks = {"required": [prop], "properties": {prop: {"enum": list(mapping)}}}
        return _merge([schema, checks, {"allOf": rules}]) if rules else schema


def _merge(members: list[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    closed = False
    for member in members:
        member = copy.copy(member)
        properties.update(member.pop("properties", {}))
        required += [r for r in member.pop("required", []) if r not in required]
        closed = closed or member.pop("additionalProperties", True) is False
        for key, value in member.items():
            if key == "allOf":
                merged.setdefault("allOf", []).extend(value)
            elif key not in merged:
                merged[key] = value
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    if closed:
        merged["additionalProperties"] = False
    return merged


@functools.cache
def _document(inbound: bool) -> dict[str, Any]:
    return {"components": {"schemas": _Reader(raw_spec()["components"]["schemas"], inbound).all()}}


@functools.cache
def validator(name: str, inbound: bool = False) -> Draft202012Validator:
    """A validator for one component schema (e.g. "Message", "WebhookPayload")."""
    return Draft202012Validator({"$ref": REF + name, **_document(inbound)})


def problems(name: str, instance: Any, inbound: bool = False) -> list[str]:
    """Every way `instance` breaks schema `name`, as readable lines."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator(name, inbound).iter_errors(instance)
    ]


def webhook_examples() -> dict[str, Any]:
    """The spec's own example webhook payloads, by title."""
    post = raw_spec()["paths"]["/whatsapp/webhooks"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    return {title: example["value"] for title, example in examples.items()}


def message_examples() -> dict[str, Any]:
    """The spec's own examples of POST /{Phone-Number-ID}/messages bodies, by title."""
    post = raw_spec()["paths"]["/{Version}/{Phone-Number-ID}/messages"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    return {title: example["value"] for title, example in examples.items()}
