"""Which words are ordinary: the test behind every rule that takes a word on no name list
("im kaydon", "jack smith", "miss fenwick", "my snap is kyro", "parkside academy")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_REPEATS = re.compile(r"(.)\1{2,}")


def fold(word: str) -> str:
    """Case- and accent-insensitive key: "Zoë" and "zoe" meet."""
    word = word.casefold()
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


class Lexicon:
    """Common words and surnames, folded to lower case; empty lists make every cued rule
    that needs them stand down, so a bare `Scrubber()` scrubs only shapes and its lists."""

    def __init__(self, common: Iterable[str] = (), surnames: Iterable[str] = ()) -> None:
        self._common = frozenset(word.casefold() for word in common)
        self.surnames = frozenset(word.casefold() for word in surnames)

    def __bool__(self) -> bool:
        return bool(self._common)

    def is_common(self, key: str) -> bool:
        """`key` is folded. Text-speak is tried in its plain forms too: "sooo" as "so" and
        "soo", "buzzin" as "buzzing"."""
        common = self._common
        if key in common:
            return True
        if _REPEATS.search(key):
            if _REPEATS.sub(r"\1", key) in common or _REPEATS.sub(r"\1\1", key) in common:
                return True
        return key.endswith("in") and key + "g" in common

    def is_rare_surname(self, key: str) -> bool:
        """A listed surname that is no everyday word: "smith", not "young" or "long"."""
        return key in self.surnames and not self.is_common(key)

    def is_unknown(self, key: str) -> bool:
        """Not a common word, so likely a name where context says one may stand."""
        return bool(self._common) and not self.is_common(key)
