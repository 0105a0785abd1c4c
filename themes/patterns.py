"""Phrase patterns over stemmed tokens, and a matcher that finds many of them in one pass.

A pattern is written as words separated by spaces. Every word is normalised and stemmed the
same way as comment text, so "keeps cancelling" also matches "kept cancelling" and "keep
cancelled". "a|b" is a slot that takes either word; "*" skips up to `MAX_GAP` words but never
crosses punctuation, so "take * seriously" matches "takes my worries seriously".

>>> m = PhraseMatcher([(compile_pattern("take * seriously"), "heard")])
>>> m.find(tokenise("She took me seriously."))
[Match(start=1, end=4, payload='heard')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from themes.text import PUNCTUATION, stem, tokenise

MAX_GAP = 3
T = TypeVar("T")

Slot = frozenset[str] | None  # stems, "=word" for exact words; None is a gap


class PatternError(ValueError):
    """A lexicon pattern that cannot be compiled; the message names the pattern."""


@dataclass(frozen=True)
class Pattern:
    text: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int  # exclusive
    payload: T


def compile_pattern(text: str) -> Pattern:
    """Turn a lexicon phrase into slots of stems; raise PatternError if it is malformed."""
    slots: list[Slot] = []
    for word in text.split():
        if word == "*":
            slots.append(None)
        elif "|" in word or word.startswith("="):
            options = set()
            for option in word.split("|"):
                exact = option.startswith("=")
                tokens = tokenise(option.lstrip("="))
                if len(tokens) != 1:
                    raise PatternError(f"pattern {text!r}: option {option!r} must be one word")
                options.add("=" + tokens[0] if exact else stem(tokens[0]))
            slots.append(frozenset(options))
        else:
            slots.extend(frozenset({stem(token)}) for token in tokenise(word))
    if not slots or slots[0] is None or slots[-1] is None:
        raise PatternError(f"pattern {text!r}: must have a word first and last")
    return Pattern(text=text, slots=tuple(slots))


class PhraseMatcher(Generic[T]):
    """Finds every occurrence of many patterns, indexed by their first slot's stems."""

    def __init__(self, entries: Iterable[tuple[Pattern, T]]) -> None:
        self._by_first: dict[str, list[tuple[Pattern, T]]] = {}
        for pattern, payload in entries:
            for word in pattern.slots[0] or ():
                self._by_first.setdefault(word, []).append((pattern, payload))

    def find(self, tokens: Sequence[str]) -> list[Match[T]]:
        """Every match in `tokens` (as `tokenise` gives them), in order of start."""
        words = [(stem(token), "=" + token) for token in tokens]
        found: list[Match[T]] = []
        for i, (stemmed, exact) in enumerate(words):
            for key in (stemmed, exact):
                for pattern, payload in self._by_first.get(key, ()):
                    end = _match_from(pattern.slots, 1, i + 1, words)
                    if end is not None:
                        found.append(Match(i, end, payload))
        return found


def _match_from(
    slots: tuple[Slot, ...], k: int, pos: int, words: Sequence[tuple[str, str]]
) -> int | None:
    if k == len(slots):
        return pos
    slot = slots[k]
    if slot is None:
        # Shortest gap first, so a match stays as tight as the text allows.
        for skip in range(MAX_GAP + 1):
            if skip and (pos + skip - 1 >= len(words) or words[pos + skip - 1][0] in PUNCTUATION):
                return None
            end = _match_from(slots, k + 1, pos + skip, words)
            if end is not None:
                return end
        return None
    if pos < len(words) and (words[pos][0] in slot or words[pos][1] in slot):
        return _match_from(slots, k + 1, pos + 1, words)
    return None
