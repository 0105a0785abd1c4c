"""Read and compile the disclosure phrase file (``phrases.yml``).

The file holds ``aliases`` (text-speak expanded before matching), ``macros`` (named regex
fragments, written ``{NAME}`` inside patterns), ``negation`` (what, written just before a
match, cancels it: "he has never hit me"), ``reassurance`` (a harm said not to happen,
which keeps the model from guessing at the rest of the message), ``softeners`` (context
that lowers a match by one or two tiers: a joke, a game, a harm said to be over) and an
ordered list of ``categories``. Each category lists, per tier (``clear``, ``possible``)
and per language (``en``, ``cy``), plain ``phrases`` and regex ``patterns``. Every error
names the file and the entry at fault, so the safeguarding lead's edits fail loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from flows.safety.normalise import Normaliser

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# Patterns that start with the same macro ("\b{WORKER}...") are searched as that start and
# an alternation of their tails, so the long list of words is tried once, not per pattern.
_SHARED_START = re.compile(r"^(\\b\{[A-Z_]+\})(.+)$")
_REPEATS = re.compile(r"([a-z])\1+")


@lru_cache(maxsize=16384)
def phrase_key(word: str) -> str:
    """A word with every run of a letter cut to one, so "diee" finds the phrase "die"."""
    return _REPEATS.sub(r"\1", word)


TIERS = ("clear", "possible")
LANGUAGES = ("en", "cy")


class PhraseFileError(ValueError):
    """The phrase file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    """One pattern as written in the file, and its compiled form."""

    source: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Group:
    """The patterns of one category at one tier, all languages, searched as one regex.
    (Its plain phrases are looked up word by word in `Phrasebook.phrases` instead.)"""

    tier: str
    entries: tuple[Entry, ...]
    combined: re.Pattern[str] | None

    def entry_at(self, text: str, pos: int) -> str:
        """The first entry that matches at `pos`: the one the combined regex chose."""
        return next(entry.source for entry in self.entries if entry.regex.match(text, pos))


@dataclass(frozen=True)
class Category:
    name: str
    groups: tuple[Group, ...]
    languages: frozenset[str]


@dataclass(frozen=True)
class Softener:
    """Context anywhere in a message that lowers matches of some categories by `lower`
    tiers, unless an `unless` pattern shows the harm is happening now."""

    name: str
    lower: int
    categories: frozenset[str]
    when: re.Pattern[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class Phrase:
    """Where a plain phrase belongs, and how it was written."""

    category: str
    tier: str
    source: str
    # The words again, each letter free to repeat: "die" fits "diee" but "shotting"
    # never fits "shooting", though both squash to the same key.
    words: re.Pattern[str]


@dataclass(frozen=True)
class Phrasebook:
    normalise: Normaliser
    categories: tuple[Category, ...]
    negated: re.Pattern[str]
    reassured: re.Pattern[str]
    softeners: tuple[Softener, ...]
    # Plain phrases by their folded words (each squashed, see `phrase_key`): a dictionary
    # lookup per word, where a regex of a thousand alternatives would try each in turn.
    phrases: dict[tuple[str, ...], tuple[Phrase, ...]]
    # The lengths of the phrases that start with each key, so most words cost one lookup.
    starts: dict[str, tuple[int, ...]]

    @property
    def languages(self) -> frozenset[str]:
        return frozenset().union(*(category.languages for category in self.categories))


def read_phrasebook(path: Path) -> Phrasebook:
    """Load, validate and compile a phrase file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PhraseFileError(f"{path}: not valid YAML: {exc}") from exc
    where = str(path)
    if not isinstance(data, dict):
        raise PhraseFileError(f"{where}: expected a mapping at the top level")
    if data.get("version", 2) != 2:
        raise PhraseFileError(f"{where}: unsupported version {data['version']!r} (expected 2)")
    aliases = _string_map(data.get("aliases", {}), f"{where}: aliases")
    macros = _macros(data.get("macros", {}), f"{where}: macros")
    normalise = Normaliser(aliases)
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise PhraseFileError(f"{where}: 'categories' must be a non-empty list")
    phrases: dict[tuple[str, ...], list[Phrase]] = {}
    categories = [
        _category(raw, f"{where}: categories[{index}]", normalise, macros, phrases)
        for index, raw in enumerate(raw_categories)
    ]
    names = [category.name for category in categories]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise PhraseFileError(f"{where}: category listed twice: {', '.join(duplicates)}")
    negation = [
        _expand(n, f"{where}: negation {n!r}", macros) for n in _strings(data, "negation", where)
    ]
    # Anchored at the end: it is searched in the text just before a match.
    either = "|".join(f"(?:{n})" for n in negation) or "(?!)"
    negated = _compile(f"(?:{either})$", f"{where}: negation")
    reassurance = [
        _expand(r, f"{where}: reassurance {r!r}", macros)
        for r in _strings(data, "reassurance", where)
    ]
    reassured = _compile(
        "|".join(f"(?:{r})" for r in reassurance) or "(?!)", f"{where}: reassurance"
    )
    raw_softeners = data.get("softeners", [])
    if not isinstance(raw_softeners, list):
        raise PhraseFileError(f"{where}: 'softeners' must be a list")
    softeners = tuple(
        _softener(raw, f"{where}: softeners[{index}]", macros, set(names))
        for index, raw in enumerate(raw_softeners)
    )
    index = {key: tuple(found) for key, found in phrases.items()}
    lengths: dict[str, set[int]] = {}
    for key in index:
        lengths.setdefault(key[0], set()).add(len(key))
    starts = {first: tuple(sorted(sizes)) for first, sizes in lengths.items()}
    return Phrasebook(normalise, tuple(categories), negated, reassured, softeners, index, starts)


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


def _category(
    raw: Any,
    where: str,
    normalise: Normaliser,
    macros: dict[str, str],
    phrases: dict[tuple[str, ...], list[Phrase]],
) -> Category:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PhraseFileError(f"{where}: needs a 'name'")
    name: str = raw["name"]
    where = f"{where} ({name})"
    unknown = sorted(set(raw) - {"name", *TIERS})
    if unknown:
        raise PhraseFileError(f"{where}: unknown key {unknown[0]!r} (expected {TIERS})")
    groups, languages = [], set()
    for tier in TIERS:
        by_language = raw.get(tier, {})
        if not isinstance(by_language, dict):
            raise PhraseFileError(f"{where} {tier}: expected a mapping of languages")
        patterns: list[str] = []
        entries: list[Entry] = []
        phrased = False
        for lang, lists in by_language.items():
            at = f"{where} {tier}.{lang}"
            if lang not in LANGUAGES:
                raise PhraseFileError(f"{at}: unknown language (expected one of {LANGUAGES})")
            if not isinstance(lists, dict) or set(lists) - {"phrases", "patterns"}:
                raise PhraseFileError(f"{at}: expected 'phrases' and/or 'patterns'")
            for phrase in _strings(lists, "phrases", at):
                key, words = _phrase(phrase, f"{at} phrase {phrase!r}", normalise)
                phrases.setdefault(key, []).append(Phrase(name, tier, phrase, words))
                phrased = True
                languages.add(lang)
            for pattern in _strings(lists, "patterns", at):
                entries.append(_pattern(pattern, f"{at} pattern {pattern!r}", macros))
                patterns.append(pattern)
                languages.add(lang)
        if patterns or phrased:
            combined = _combine(patterns, macros, where) if patterns else None
            groups.append(Group(tier, tuple(entries), combined))
    if not groups:
        raise PhraseFileError(f"{where}: has no phrases or patterns")
    return Category(name, tuple(groups), frozenset(languages))


def _combine(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern[str]:
    """One regex for a group's patterns. Shared starts are factored out, and so is the
    leading word boundary: Python's regex engine tries every alternative at every
    character, and a boundary checked once rules out most characters at once."""
    shared: dict[str, list[str]] = {}
    alone: list[str] = []
    for pattern in patterns:
        start = _SHARED_START.match(pattern)
        if start:
            shared.setdefault(start.group(1), []).append(start.group(2))
        else:
            alone.append(_expand(pattern, where, macros))
    for head, tails in shared.items():
        either = "|".join(f"(?:{_expand(t, where, macros)})" for t in tails)
        alone.append(f"{_expand(head, where, macros)}(?:{either})")
    bounded = [p.removeprefix("\\b") for p in alone if p.startswith("\\b")]
    rest = [p for p in alone if not p.startswith("\\b")]
    parts = [f"\\b(?:{'|'.join(f'(?:{p})' for p in bounded)})"] if bounded else []
    return _compile("|".join([*parts, *(f"(?:{p})" for p in rest)]), where)


def _softener(raw: Any, where: str, macros: dict[str, str], names: set[str]) -> Softener:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PhraseFileError(f"{where}: needs a 'name'")
    where = f"{where} ({raw['name']})"
    lower = raw.get("lower")
    if lower not in (1, 2):
        raise PhraseFileError(f"{where}: 'lower' must be 1 or 2")
    categories = _strings(raw, "categories", where)
    unknown = sorted(set(categories) - names)
    if unknown or not categories:
        raise PhraseFileError(f"{where}: unknown or missing categories {unknown}")
    when = _strings(raw, "patterns", where)
    if not when:
        raise PhraseFileError(f"{where}: has no patterns")
    unless = _strings(raw, "unless", where)

    def joined(items: list[str]) -> re.Pattern[str]:
        return _compile(
            "|".join(f"(?:{_expand(p, f'{where} pattern {p!r}', macros)})" for p in items), where
        )

    return Softener(
        raw["name"], lower, frozenset(categories), joined(when), joined(unless) if unless else None
    )


def _strings(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PhraseFileError(f"{where}: '{key}' must be a list of strings")
    return value


def _phrase(
    phrase: str, where: str, normalise: Normaliser
) -> tuple[tuple[str, ...], re.Pattern[str]]:
    words = normalise(phrase)
    if not words:
        raise PhraseFileError(f"{where}: is empty once normalised")
    body = "".join(" " if c == " " else f"{c}+" if c.isalpha() else c for c in words)
    return tuple(phrase_key(word) for word in words.split()), re.compile(body)


def _expand(pattern: str, where: str, macros: dict[str, str]) -> str:
    def expand(match: re.Match[str]) -> str:
        if match.group(1) not in macros:
            raise PhraseFileError(f"{where}: unknown macro {{{match.group(1)}}}")
        return f"(?:{macros[match.group(1)]})"

    expanded = pattern
    for _ in range(5):  # macros may use macros; five levels is plenty and stops loops
        expanded = _MACRO.sub(expand, expanded)
    if _MACRO.search(expanded):
        raise PhraseFileError(f"{where}: macros nest too deeply")
    return expanded


def _compile(regex: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as exc:  # e.g. an inline flag that is only legal at the start
        raise PhraseFileError(f"{where}: bad regex: {exc}") from exc


def _pattern(pattern: str, where: str, macros: dict[str, str]) -> Entry:
    regex = _compile(_expand(pattern, where, macros), where)
    if regex.search("") is not None:
        # A pattern that matches empty text would flag every message.
        raise PhraseFileError(f"{where}: matches empty text")
    return Entry(pattern, regex)
