"""Read and compile the disclosure phrase file (``phrases.yml``).

The file holds three things: ``aliases`` (text-speak expanded before matching), ``macros``
(named regex fragments, written ``{NAME}`` inside patterns), and an ordered list of
``categories``, each with plain ``phrases`` and regex ``patterns``. Every error names the
file and the entry at fault, so the safeguarding lead's edits fail loudly and precisely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from flows.safety.normalise import Normaliser

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class PhraseFileError(ValueError):
    """The phrase file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    """One phrase or pattern as written in the file, and its compiled form."""

    source: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Category:
    """A named group of entries, searched as one combined regex."""

    name: str
    entries: tuple[Entry, ...]
    combined: re.Pattern[str]

    def entry_at(self, text: str, pos: int) -> str:
        """The first entry that matches at `pos`: the one the combined regex chose."""
        return next(entry.source for entry in self.entries if entry.regex.match(text, pos))


@dataclass(frozen=True)
class Phrasebook:
    normalise: Normaliser
    categories: tuple[Category, ...]


def read_phrasebook(path: Path) -> Phrasebook:
    """Load, validate and compile a phrase file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PhraseFileError(f"{path}: not valid YAML: {exc}") from exc
    where = str(path)
    if not isinstance(data, dict):
        raise PhraseFileError(f"{where}: expected a mapping at the top level")
    if data.get("version", 1) != 1:
        raise PhraseFileError(f"{where}: unsupported version {data['version']!r} (expected 1)")
    aliases = _string_map(data.get("aliases", {}), f"{where}: aliases")
    macros = _macros(data.get("macros", {}), f"{where}: macros")
    normalise = Normaliser(aliases)
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise PhraseFileError(f"{where}: 'categories' must be a non-empty list")
    categories = []
    for index, raw in enumerate(raw_categories):
        categories.append(_category(raw, f"{where}: categories[{index}]", normalise, macros))
    names = [category.name for category in categories]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise PhraseFileError(f"{where}: category listed twice: {', '.join(duplicates)}")
    return Phrasebook(normalise, tuple(categories))


def _string_map(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise PhraseFileError(f"{where}: expected a mapping")
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise PhraseFileError(f"{where}: entry {key!r} must map text to text")
    return dict(raw)


def _macros(raw: Any, where: str) -> dict[str, str]:
    """A macro is a regex fragment, or a list of alternatives joined with ``|``."""
    if not isinstance(raw, dict):
        raise PhraseFileError(f"{where}: expected a mapping")
    macros = {}
    for key, value in raw.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = "|".join(value)
        if not isinstance(key, str) or not isinstance(value, str):
            raise PhraseFileError(f"{where}: {key!r} must be a regex or a list of regexes")
        macros[key] = value
    return macros


def _category(raw: Any, where: str, normalise: Normaliser, macros: dict[str, str]) -> Category:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PhraseFileError(f"{where}: needs a 'name'")
    name: str = raw["name"]
    where = f"{where} ({name})"
    entries = [
        _phrase(p, f"{where} phrase {p!r}", normalise) for p in _strings(raw, "phrases", where)
    ]
    entries += [
        _pattern(p, f"{where} pattern {p!r}", macros) for p in _strings(raw, "patterns", where)
    ]
    if not entries:
        raise PhraseFileError(f"{where}: has no phrases or patterns")
    try:
        combined = re.compile("|".join(f"(?:{entry.regex.pattern})" for entry in entries))
    except re.error as exc:  # e.g. an inline flag that is only legal at the start
        raise PhraseFileError(f"{where}: patterns do not combine: {exc}") from exc
    return Category(name, tuple(entries), combined)


def _strings(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PhraseFileError(f"{where}: '{key}' must be a list of strings")
    return value


def _phrase(phrase: str, where: str, normalise: Normaliser) -> Entry:
    words = normalise(phrase)
    if not words:
        raise PhraseFileError(f"{where}: is empty once normalised")
    # Every letter may repeat, so "die" also finds "diee" (the normaliser keeps two).
    body = "".join(" " if c == " " else f"{c}+" if c.isalpha() else c for c in words)
    return Entry(phrase, re.compile(rf"\b{body}\b"))


def _pattern(pattern: str, where: str, macros: dict[str, str]) -> Entry:
    def expand(match: re.Match[str]) -> str:
        if match.group(1) not in macros:
            raise PhraseFileError(f"{where}: unknown macro {{{match.group(1)}}}")
        return f"(?:{macros[match.group(1)]})"

    expanded = pattern
    for _ in range(5):  # macros may use macros; five levels is plenty and stops loops
        expanded = _MACRO.sub(expand, expanded)
    if _MACRO.search(expanded):
        raise PhraseFileError(f"{where}: macros nest too deeply")
    try:
        regex = re.compile(expanded)
    except re.error as exc:
        raise PhraseFileError(f"{where}: bad regex: {exc}") from exc
    if regex.search("") is not None:
        # A pattern that matches empty text would flag every message.
        raise PhraseFileError(f"{where}: matches empty text")
    return Entry(pattern, regex)
