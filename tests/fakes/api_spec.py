"""The Telegram Bot API contract, read from ``tests/contracts/telegram/api.json``, for checking
requests.

``load_spec()`` parses the file once per process (on first call, never at import). The
resulting ``ApiSpec`` decodes form-encoded parameters the way Telegram does and lists every
way a request breaks the contract: unknown method, unknown or missing parameter, wrong type
(recursing into objects such as ``InlineKeyboardMarkup`` and union types such as
``BotCommandScope``), and the limits the field descriptions state in prose: "1-4096
characters", "1-64 bytes", a subtype's fixed ``type`` value, one action per inline button.
Characters are counted as Python code points, the unit PTB's own limits use.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).parents[1] / "contracts" / "telegram" / "api.json"

_LIMIT = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_LITERAL = re.compile(r'(?:always|must be) "?(\w+)"?$')
# Rules Telegram enforces that api.json states only in prose that is not worth parsing.
_PATTERNS = {
    ("BotCommand", "command"): re.compile(r"[a-z0-9_]+"),
    ("setWebhook", "secret_token"): re.compile(r"[A-Za-z0-9_-]+"),
}
# "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used."
_BUTTON_LABELS = frozenset({"text", "icon_custom_emoji_id", "style"})
_SCALARS: dict[str, Callable[[Any], bool]] = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "InputFile": lambda v: isinstance(v, UploadedFile),
}


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, standing where api.json says ``InputFile``."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class _Field:
    name: str
    types: tuple[str, ...]
    required: bool
    limit: tuple[int, int, str] | None
    literal: str | None
    pattern: re.Pattern[str] | None

    @classmethod
    def parse(cls, owner: str, raw: Mapping[str, Any], in_subtype: bool) -> _Field:
        limit = _LIMIT.search(raw["description"])
        literal = _LITERAL.search(raw["description"]) if in_subtype else None
        return cls(
            name=raw["name"],
            types=tuple(raw["types"]),
            required=raw["required"],
            limit=(int(limit[1]), int(limit[2]), limit[3]) if limit else None,
            literal=literal[1] if literal else None,
            pattern=_PATTERNS.get((owner, raw["name"])),
        )


def _fields(owner: str, raw: Mapping[str, Any]) -> dict[str, _Field]:
    in_subtype = bool(raw.get("subtype_of"))
    return {f["name"]: _Field.parse(owner, f, in_subtype) for f in raw.get("fields", [])}


def _kind(value: Any) -> str:
    return type(value).__name__


class ApiSpec:
    """The methods and types of one Bot API version, ready to decode and check requests."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw["version"]
        self._methods = {name: _fields(name, m) for name, m in raw["methods"].items()}
        self._returns = {name: tuple(m["returns"]) for name, m in raw["methods"].items()}
        self._by_lower = {name.lower(): name for name in self._methods}
        types = raw["types"]
        self._unions = {n: tuple(t["subtypes"]) for n, t in types.items() if "subtypes" in t}
        self._objects = {n: _fields(n, t) for n, t in types.items() if "subtypes" not in t}
        self.update_kinds = frozenset(self._objects["Update"]) - {"update_id"}

    def method(self, name: str) -> str | None:
        """The canonical spelling of a method name (Telegram ignores case), or None."""
        return self._by_lower.get(name.lower())

    def returns(self, method: str) -> tuple[str, ...]:
        return self._returns[method]

    def parameters(self, method: str) -> frozenset[str]:
        return frozenset(self._methods[method])

    def decode_form(self, method: str | None, values: Mapping[str, str]) -> dict[str, Any]:
        """Form values are text; Telegram reads them as JSON unless the field is a plain String."""
        fields = self._methods.get(method or "", {})
        decoded: dict[str, Any] = {}
        for name, text in values.items():
            field = fields.get(name)
            if field is not None and set(field.types) - {"InputFile"} == {"String"}:
                decoded[name] = text
                continue
            try:
                decoded[name] = json.loads(text)
            except ValueError:
                decoded[name] = text
        return decoded

    def check_call(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Every way this call breaks the contract; empty when Telegram would accept it."""
        problems = self._check_object(params, method, self._methods[method], method)
        kinds = params.get("allowed_updates")
        for i, kind in enumerate(kinds if isinstance(kinds, list) else []):
            if kind not in self.update_kinds:
                problems.append(f"{method}.allowed_updates[{i}]: {kind!r} is not an update type")
        return problems

    def check_value(self, value: Any, types: tuple[str, ...]) -> list[str]:
        """Problems with a value said to be one of ``types``, e.g. a method's return value."""
        return self._check_value(value, types, "value")

    def _check_object(
        self, value: Mapping[str, Any], owner: str, fields: Mapping[str, _Field], path: str
    ) -> list[str]:
        problems = [f"{path}: unknown field {key!r}" for key in value if key not in fields]
        for field in fields.values():
            # Telegram treats null as absent.
            if value.get(field.name) is None:
                if field.required:
                    problems.append(f"{path}: required field {field.name!r} is missing")
                continue
            problems += self._check_field(field, value[field.name], f"{path}.{field.name}")
        if owner == "InlineKeyboardButton":
            actions = sorted(set(value) - _BUTTON_LABELS)
            if len(actions) != 1:
                problems.append(f"{path}: a button needs exactly one action field, got {actions}")
        return problems

    def _check_field(self, field: _Field, value: Any, path: str) -> list[str]:
        problems = self._check_value(value, field.types, path)
        if problems or not isinstance(value, str):
            return problems
        if field.literal is not None and value != field.literal:
            return [f"{path}: must be {field.literal!r}, got {value!r}"]
        if field.limit is not None:
            low, high, unit = field.limit
            size = len(value.encode()) if unit == "bytes" else len(value)
            if not low <= size <= high:
                return [f"{path}: {size} {unit}, allowed {low}-{high}"]
        if field.pattern is not None and not field.pattern.fullmatch(value):
            return [f"{path}: {value!r} does not match {field.pattern.pattern}"]
        return []

    def _check_value(self, value: Any, types: tuple[str, ...], path: str) -> list[str]:
        """Valid if any type fits; otherwise explain the nearest type whose shape matched."""
        explained: list[list[str]] = []
        for type_name in types:
            problems = self._check_type(value, type_name, path)
            if not problems:
                return []
            if self._shape_fits(value, type_name):
                explained.append(problems)
        if explained:
            return min(explained, key=len)
        return [f"{path}: expected {' or '.join(types)}, got {_kind(value)}"]

    def _shape_fits(self, value: Any, type_name: str) -> bool:
        if type_name.startswith("Array of "):
            return isinstance(value, list)
        return isinstance(value, dict) and type_name not in _SCALARS

    def _names_subtype(self, value: Any, subtype: str) -> bool:
        fields = self._objects.get(subtype, {}).values()
        return isinstance(value, dict) and any(
            f.literal is not None and value.get(f.name) == f.literal for f in fields
        )

    def _check_type(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{path}: expected {type_name}, got {_kind(value)}"]
            item_type = (type_name.removeprefix("Array of "),)
            return [
                problem
                for i, item in enumerate(value)
                for problem in self._check_value(item, item_type, f"{path}[{i}]")
            ]
        if type_name in _SCALARS:
            ok = _SCALARS[type_name](value)
            return [] if ok else [f"{path}: expected {type_name}, got {_kind(value)}"]
        if type_name in self._unions:
            # Subtypes tell themselves apart by a fixed field ("type": "chat"); check the one named.
            subtypes = self._unions[type_name]
            named = tuple(t for t in subtypes if self._names_subtype(value, t))
            return self._check_value(value, named or subtypes, path)
        if not isinstance(value, dict):
            return [f"{path}: expected {type_name} object, got {_kind(value)}"]
        return self._check_object(value, type_name, self._objects[type_name], path)


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> ApiSpec:
    """The spec at ``path``, parsed once per process (the file is about 900 kB)."""
    return ApiSpec(json.loads(path.read_text(encoding="utf-8")))
