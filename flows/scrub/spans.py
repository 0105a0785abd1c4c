"""Found pieces of identifying text, and how clashes between finders are settled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flows.scrub.lexicon import fold

_WORD = re.compile(r"[^\W\d_]+")

# Lower tier wins a clash: an email beats the @handle inside it, an NHS number beats the
# phone-shaped digits it also matches, and the organisation's own deny-lists of staff and
# places beat a name guessed from the general first-name list ("St Mary's" is a place).
TIERS = {
    "EMAIL": 0,
    "URL": 1,
    "HANDLE": 2,
    "NHS": 3,
    "NINO": 4,
    "PHONE": 5,
    "POSTCODE": 6,
    "DATE": 7,
    "ADDRESS": 8,
    "SCHOOL": 9,
    "NUMBER": 10,
}
LISTED = 11
# Guesses from context: names, and plain words after "my snap is" (a longer name found
# over the same letters wins: "my fb is shannon louise").
GUESSED = 12


@dataclass(frozen=True, slots=True)
class Redaction:
    """Characters ``start:end`` of the text are a `kind` (``NAME``, ``PHONE``...)."""

    start: int
    end: int
    kind: str
    tier: int


@dataclass(frozen=True, slots=True)
class Message:
    """The text to scrub as every finder needs it, worked out once: `low` is `text` in lower
    case with the same offsets (regexes then need no IGNORECASE, which is much slower),
    `words` its words with `keys` their folded forms, and `vocab` the set of those keys, so
    a finder whose cue words are absent costs nothing."""

    text: str
    low: str
    words: list[re.Match[str]]
    keys: list[str]
    vocab: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Message:
        low = text.lower()
        if len(low) != len(text):  # "İ" lowers to two characters
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        words = list(_WORD.finditer(text))
        keys = [fold(word.group()) for word in words]
        return cls(text, low, words, keys, frozenset(keys))


def settle(found: Iterable[Redaction]) -> list[Redaction]:
    """Non-overlapping redactions in text order: by tier, then the longest, first."""
    kept: list[Redaction] = []
    for candidate in sorted(found, key=lambda r: (r.tier, r.start - r.end, r.start)):
        if all(candidate.end <= other.start or candidate.start >= other.end for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda r: r.start)
