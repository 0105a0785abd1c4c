"""Spot likely disclosures of harm in a free-text message (SG-04, SG-09).

This is an extra layer only: the universal safety block (SG-01) is the real safety net,
because no detector catches everything. A detection decides what the bot shows next and
nothing else; only its category is ever counted (CC-20), never stored against a person.

Two tiers. ``clear`` pauses the conversation; ``possible`` (worrying but uncertain) gets
one calm question. A concern about a worker is always ``clear`` (SG-09). English and
Welsh are checked together, whatever language the conversation is in, because young
people mix them.

Two parts decide: the phrase file (``phrases.yml``, readable and editable by the
safeguarding lead, with negation and softening for jokes, games and harms said to be
over) and a small model trained on the project's own corpus (``model.json``) that notices
wordings the phrases were never written for; being a guess, it only ever asks the calm
question.

Example::

    detector = DisclosureDetector.load()
    detector.detect("my worker hit me")      # Detection('worker_allegation', ..., 'clear')
    detector.detect("she kills it at footy")  # None
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from flows.safety.model import Model, load_model
from flows.safety.phrasebook import Group, Phrasebook, phrase_key, read_phrasebook

# SG-09: the worker harming the young person. Routed away from team themes, so the phrase
# file lists this category first and it wins over the generic ones.
WORKER_ALLEGATION = "worker_allegation"
HELP_REQUEST = "help_request"
CLEAR = "clear"
POSSIBLE = "possible"
_RANK = {CLEAR: 2, POSSIBLE: 1}
_TIER = {2: CLEAR, 1: POSSIBLE}
# Only the text this close before a match is checked for a negation.
_NEGATION_REACH = 60


@cache
def _packaged() -> tuple[Phrasebook, Model]:
    """The packaged phrase file and model, read once per process: compiling the phrase
    file takes about a second, and both are read-only."""
    package = files("flows.safety")
    with as_file(package.joinpath("phrases.yml")) as phrases:
        book = read_phrasebook(phrases)
    with as_file(package.joinpath("model.json")) as weights:
        return book, load_model(weights)


@dataclass(frozen=True)
class Detection:
    """Which kind of harm, what matched (for tests and debugging only), and the tier."""

    category: str
    phrase: str
    tier: str = CLEAR


class DisclosureDetector:
    """Checks text against the phrase file, then asks the model about what is left."""

    def __init__(self, phrasebook: Phrasebook, model: Model | None = None) -> None:
        self._book = phrasebook
        self._model = model

    @classmethod
    def load(cls, path: Path | None = None, model: Path | None = None) -> DisclosureDetector:
        """Compile a phrase file and load a model; the defaults are the packaged ones. A
        custom phrase file without a model path runs on its phrases alone."""
        if path is not None:
            return cls(read_phrasebook(path), load_model(model) if model else None)
        return cls(*_packaged())

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(category.name for category in self._book.categories)

    @property
    def languages(self) -> frozenset[str]:
        """Languages the phrase file has entries for (and so offers safety coverage in)."""
        return self._book.languages

    def detect(self, text: str) -> Detection | None:
        """The strongest detection in `text`, or None."""
        canonical = self._book.normalise(text)
        if not canonical:
            return None
        found, overruled = self._phrases(canonical)
        overruled = overruled or self._book.reassured.search(canonical) is not None
        # The phrase file's explicit judgements win: what it negated or softened (a joke,
        # a game, a harm said to be over) the model may not raise again.
        if (found is not None and found.tier == CLEAR) or overruled or self._model is None:
            return found
        kind = self._model.judge(canonical)
        if kind is None or found is not None:
            return found
        # A model is never sure enough to pause, so it only asks the calm question; and a
        # worker concern is always clear, so a guess that one is reported as a request
        # for help ("Talk to a person" is one of the calm question's answers).
        if kind == WORKER_ALLEGATION:
            kind = HELP_REQUEST
        return Detection(kind, "(model)", POSSIBLE)

    def _phrases(self, canonical: str) -> tuple[Detection | None, bool]:
        """The strongest phrase-file match, and whether any match was negated or lowered."""
        lowered = self._lowering(canonical)
        plain, overruled = self._plain(canonical)
        best: Detection | None = None
        best_rank = 0
        for category in self._book.categories:
            for group in category.groups:
                full = _RANK[group.tier]
                rank = full - lowered.get(category.name, 0)
                if category.name == WORKER_ALLEGATION and rank > 0:
                    rank = full = _RANK[CLEAR]
                if rank <= best_rank and (overruled or rank == full):
                    continue
                entry = plain.get((category.name, group.tier))
                if entry is None and group.combined is not None:
                    entry, negated = self._pattern(group, canonical)
                    overruled = overruled or negated
                if entry is None:
                    continue
                overruled = overruled or rank < full
                if rank > best_rank:
                    best, best_rank = Detection(category.name, entry, _TIER[rank]), rank
            if best_rank == _RANK[CLEAR]:
                break
        return best, overruled

    def _plain(self, canonical: str) -> tuple[dict[tuple[str, str], str], bool]:
        """Plain phrases found, by (category, tier), and whether any was negated."""
        words = canonical.split()
        keys = [phrase_key(word) for word in words]
        starts, at = [], 0
        for word in words:
            starts.append(at)
            at += len(word) + 1
        found: dict[tuple[str, str], str] = {}
        negated = False
        index = self._book.phrases
        for i, key in enumerate(keys):
            for size in self._book.starts.get(key, ()):
                if i + size > len(keys):
                    break
                for phrase in index.get(tuple(keys[i : i + size]), ()):
                    if (phrase.category, phrase.tier) in found:
                        continue
                    if not phrase.words.fullmatch(" ".join(words[i : i + size])):
                        continue
                    if self._negated(canonical, starts[i]):
                        negated = True
                    else:
                        found[phrase.category, phrase.tier] = phrase.source
        return found, negated

    def _pattern(self, group: Group, canonical: str) -> tuple[str | None, bool]:
        """The first pattern match not negated, and whether one was negated."""
        negated = False
        for match in group.combined.finditer(canonical) if group.combined else ():
            if self._negated(canonical, match.start()):
                negated = True
                continue
            return group.entry_at(canonical, match.start()), negated
        return None, negated

    def _negated(self, canonical: str, start: int) -> bool:
        before = canonical[max(0, start - _NEGATION_REACH) : start]
        return self._book.negated.search(before.rstrip()) is not None

    def _lowering(self, canonical: str) -> dict[str, int]:
        """How many tiers (at most two) the softeners this text triggers lower each category:
        a joke about a trivial cause ("maths makes me want to die lol") adds up to two."""
        lowered: dict[str, int] = {}
        for softener in self._book.softeners:
            if not softener.when.search(canonical):
                continue
            if softener.unless is not None and softener.unless.search(canonical):
                continue
            for name in softener.categories:
                lowered[name] = min(2, lowered.get(name, 0) + softener.lower)
        return lowered
