"""The framework theme lexicon: loading and checking `lexicon.yml` into compiled patterns.

The lexicon is data so that a reviewer can read, argue with and extend the phrase lists
without touching the tagger. A theme phrase written with a leading "~" is a weak cue: a word
that hints at the theme but is common in other senses or in generic praise ("~regular",
"~helpful"); the tagger needs two weak cues, or one strong one, before it names a theme.
`word_sets` names a list of words once ("relative: [mum, dad, carer]") so a phrase slot can
say "@relative" (or "@relative|friends") instead of repeating the list.
Errors name the failing place
(`lexicon theme 'heard': praise[3]: pattern '*' must have a word first and last`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from themes.patterns import Pattern, PatternError, compile_pattern

DEFAULT_PATH = Path(__file__).with_name("lexicon.yml")
SUPPORTED_VERSION = 1

# The framework themes of design/question-framework.md, in the order reports show them.
THEME_IDS = (
    "heard", "manner", "trust_safety", "power", "reliability",
    "time", "communication", "practical", "activities", "family",
)

# What each phrase list means: its polarity vote (praise +1, complaint -1, topic 0: decided by
# context) and whether it counts only when a person is named in the same sentence ("lovely"
# says something about manner in "she's lovely", nothing in "lovely room").
KINDS = {
    "praise": (1, False),
    "complaint": (-1, False),
    "topic": (0, False),
    "person_praise": (1, True),
    "person_complaint": (-1, True),
}


class LexiconError(ValueError):
    """The lexicon file is malformed; the message says where."""


WEAK_MARK = "~"


@dataclass(frozen=True)
class Phrase:
    pattern: Pattern
    valence: int
    needs_person: bool
    strong: bool = True


@dataclass(frozen=True)
class ThemeSpec:
    id: str
    label: str
    description: str
    phrases: tuple[Phrase, ...]
    exclude: tuple[Pattern, ...]


@dataclass(frozen=True)
class Lexicon:
    themes: tuple[ThemeSpec, ...]
    negators: tuple[Pattern, ...]
    complaint_cues: tuple[Pattern, ...]
    people: tuple[Pattern, ...]


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Read and check a lexicon file (the packaged one by default)."""
    source = Path(path) if path is not None else DEFAULT_PATH
    with source.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return parse_lexicon(raw)


def parse_lexicon(raw: Any) -> Lexicon:
    if not isinstance(raw, dict):
        raise LexiconError("lexicon: top level must be a mapping")
    if raw.get("version") != SUPPORTED_VERSION:
        raise LexiconError(f"lexicon: version must be {SUPPORTED_VERSION}")
    themes_raw = raw.get("themes")
    if not isinstance(themes_raw, dict):
        raise LexiconError("lexicon: 'themes' must be a mapping")
    sets = _word_sets(raw.get("word_sets", {}))
    missing = [t for t in THEME_IDS if t not in themes_raw]
    unknown = [t for t in themes_raw if t not in THEME_IDS]
    if missing or unknown:
        raise LexiconError(f"lexicon: themes missing {missing}, unknown {unknown}")
    return Lexicon(
        themes=tuple(_parse_theme(t, themes_raw[t], sets) for t in THEME_IDS),
        negators=_patterns("lexicon", "negators", raw.get("negators")),
        complaint_cues=_patterns("lexicon", "complaint_cues", raw.get("complaint_cues")),
        people=_patterns("lexicon", "people", raw.get("people")),
    )


def _word_sets(raw: Any) -> dict[str, str]:
    """Each named word set as the "a|b|c" slot it stands for."""
    if not isinstance(raw, dict):
        raise LexiconError("lexicon: 'word_sets' must be a mapping")
    sets = {}
    for name, words in raw.items():
        if not isinstance(words, list) or not words or not all(
            isinstance(w, str) and w.isalpha() for w in words
        ):
            raise LexiconError(f"lexicon: word_sets {name!r}: must be a list of single words")
        sets[name] = "|".join(words)
    return sets


def _parse_theme(theme_id: str, raw: Any, sets: dict[str, str]) -> ThemeSpec:
    where = f"lexicon theme {theme_id!r}"
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: must be a mapping")
    allowed = {"label", "description", "exclude", *KINDS}
    extra = sorted(set(raw) - allowed)
    if extra:
        raise LexiconError(f"{where}: unknown keys {extra}")
    for key in ("label", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise LexiconError(f"{where}: {key!r} must be a non-empty string")
    phrases = tuple(
        Phrase(pattern, valence, needs_person, strong)
        for kind, (valence, needs_person) in KINDS.items()
        for pattern, strong in _theme_patterns(where, kind, raw.get(kind, []), sets)
    )
    if not phrases:
        raise LexiconError(f"{where}: needs at least one phrase list of {sorted(KINDS)}")
    return ThemeSpec(
        id=theme_id,
        label=raw["label"],
        description=raw["description"],
        phrases=phrases,
        exclude=_patterns(where, "exclude", raw.get("exclude", []), sets),
    )


def _theme_patterns(
    where: str, key: str, raw: Any, sets: dict[str, str]
) -> list[tuple[Pattern, bool]]:
    """A theme's phrase list: each pattern with whether it is a strong cue (no "~")."""
    if not isinstance(raw, list):
        raise LexiconError(f"{where}: {key!r} must be a list of phrases")
    marks = [isinstance(item, str) and item.startswith(WEAK_MARK) for item in raw]
    bare = [item[len(WEAK_MARK):] if weak else item for item, weak in zip(raw, marks, strict=True)]
    patterns = _patterns(where, key, bare, sets)
    return [(pattern, not weak) for pattern, weak in zip(patterns, marks, strict=True)]


def _patterns(
    where: str, key: str, raw: Any, sets: dict[str, str] | None = None
) -> tuple[Pattern, ...]:
    if not isinstance(raw, list):
        raise LexiconError(f"{where}: {key!r} must be a list of phrases")
    compiled = []
    for index, item in enumerate(raw):
        if not isinstance(item, str):
            raise LexiconError(f"{where}: {key}[{index}]: must be a string, got {item!r}")
        try:
            compiled.append(compile_pattern(_expand(item, sets or {})))
        except PatternError as exc:
            raise LexiconError(f"{where}: {key}[{index}]: {exc}") from exc
    return tuple(compiled)


def _expand(text: str, sets: dict[str, str]) -> str:
    """Replace "@name" options in a phrase by the words of that set."""
    words = []
    for word in text.split():
        options = word.split("|")
        for i, option in enumerate(options):
            if option.startswith("@"):
                if option[1:] not in sets:
                    raise PatternError(f"pattern {text!r}: no word set {option[1:]!r}")
                options[i] = sets[option[1:]]
        words.append("|".join(options))
    return " ".join(words)
