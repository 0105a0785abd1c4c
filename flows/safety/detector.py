"""Spot likely disclosures of harm in a free-text message (SG-04, SG-09).

This is an extra layer only: the universal safety block (SG-01) is the real safety net,
because no phrase list catches everything. A detection decides what the bot shows next
(the pause menu) and nothing else; it is never stored against a person (CC-20).

Example::

    detector = DisclosureDetector.load()
    detector.detect("my worker hit me")      # Detection('worker_allegation', ...)
    detector.detect("she kills it at footy")  # None
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from flows.safety.phrasebook import Phrasebook, read_phrasebook

# SG-09: the worker harming the young person. Routed away from team themes, so the phrase
# file lists this category first and it wins over the generic ones.
WORKER_ALLEGATION = "worker_allegation"


@dataclass(frozen=True)
class Detection:
    """Which category matched, and the phrase-file entry that matched it."""

    category: str
    phrase: str
    tier: str = "clear"


class DisclosureDetector:
    """Checks text against the phrase file's categories, in file order."""

    def __init__(self, phrasebook: Phrasebook) -> None:
        self._book = phrasebook

    @classmethod
    def load(cls, path: Path | None = None) -> DisclosureDetector:
        """Compile a phrase file; the default is the packaged ``phrases.yml``."""
        if path is not None:
            return cls(read_phrasebook(path))
        with as_file(files("flows.safety").joinpath("phrases.yml")) as packaged:
            return cls(read_phrasebook(packaged))

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(category.name for category in self._book.categories)

    def detect(self, text: str) -> Detection | None:
        """The first category (in file order) with a match anywhere in `text`, else None."""
        canonical = self._book.normalise(text)
        if not canonical:
            return None
        for category in self._book.categories:
            found = category.combined.search(canonical)
            if found is not None:
                return Detection(category.name, category.entry_at(canonical, found.start()))
        return None
