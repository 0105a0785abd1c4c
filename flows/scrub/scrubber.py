"""Offline PII scrubber for free text, run before anything is stored (AN-14, AN-15).

Matches are replaced with typed placeholders ([NAME], [PHONE], ...). Everything runs on
regexes, `phonenumbers` and packaged word lists: no model, no download, no network.
Recall is not 100% (see tests/scrub/labelled.tsv), which is why quotes stay reviewer-only
(SDC-11).

Example::

    scrubber = Scrubber.load(place_names=["Hillside"])
    scrubber.scrub("Sarah at the Hillside office never listens, call me 07700 900123").text
    # '[NAME] at the [PLACE] office never listens, call me [PHONE]'
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files

from flows.scrub.lexicon import Lexicon
from flows.scrub.names import NameFinder
from flows.scrub.patterns import find_patterns
from flows.scrub.places import find_places
from flows.scrub.spans import Message, settle

# Invisible characters can split a name ("Sa\u200brah") so that no list matches it.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


@dataclass(frozen=True)
class Scrubbed:
    """The scrubbed text, the share of characters replaced (for AN-18's "changed by more
    than X%" guard) and how many of each placeholder were put in."""

    text: str
    changed_ratio: float
    found: Mapping[str, int]


def read_word_list(name: str) -> list[str]:
    """A packaged one-per-line list (``#`` starts a comment)."""
    text = files("flows.scrub").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Scrubber:
    """Built once per deployment from its staff and place lists; `scrub` per message."""

    def __init__(
        self,
        staff_names: Iterable[str] = (),
        place_names: Iterable[str] = (),
        region: str = "GB",
        first_names: Iterable[str] | None = None,
        *,
        word_names: Iterable[str] = (),
        common_words: Iterable[str] = (),
        surnames: Iterable[str] = (),
    ) -> None:
        self._region = region
        self._lexicon = Lexicon(common_words, surnames)
        self._names = NameFinder(
            staff_names, place_names, first_names or (), word_names, self._lexicon
        )
        self._first_names = self._names.first_names

    @classmethod
    def load(
        cls,
        staff_names: Iterable[str] = (),
        place_names: Iterable[str] = (),
        region: str = "GB",
    ) -> Scrubber:
        """A scrubber with the packaged name lists (AN-16) and common words (issue 11)."""
        return cls(
            staff_names,
            place_names,
            region,
            first_names=read_word_list("first_names.txt"),
            word_names=read_word_list("word_names.txt"),
            common_words=read_word_list("common_words.txt"),
            surnames=read_word_list("surnames.txt"),
        )

    def scrub(self, text: str) -> Scrubbed:
        clean = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
        message = Message.of(clean)
        found = settle(
            [
                *find_patterns(message, self._region, self._lexicon),
                *find_places(message, self._lexicon, self._first_names),
                *self._names.find(message),
            ]
        )
        pieces: list[str] = []
        at = 0
        for redaction in found:
            pieces += [clean[at : redaction.start], f"[{redaction.kind}]"]
            at = redaction.end
        pieces.append(clean[at:])
        replaced = sum(r.end - r.start for r in found)
        return Scrubbed(
            text="".join(pieces),
            changed_ratio=replaced / len(clean) if clean else 0.0,
            found=dict(Counter(r.kind for r in found)),
        )
