"""Tag a free-text comment with the framework themes it touches, each with a polarity.

The themes and phrases come from `lexicon.yml`, written by hand from how young people and
adult service users talk about workers; nothing here is learned from data. A phrase counts
when it matches (after stemming and text-speak expansion) outside an `exclude` phrase of its
theme; a `person_` phrase also needs a person named in the same sentence.

Evidence, not mere mention, names a theme. Each distinct phrase found is a cue: strong (it
names the theme by itself: "keeps cancelling", "listens") or weak ("~helpful", "~regular":
common in other senses or in generic praise). A theme needs one strong cue or two distinct
weak ones, so "lovely staff, all good" names nothing. Tags come best evidenced first (then
most words covered, then first mentioned), so `tags[0]` is the main theme, and at most two
are kept: a comment's third theme is usually a passing mention. These thresholds were chosen
on the project's own youth-voice set, tests/themes/youth_devset.yml.

Polarity: the question a comment answered usually decides it ("helps": what does your worker
do that helps; "better": what would make it better). For "tell" (anything for the people in
charge) or an unknown question, each matching phrase votes: praise +1, complaint -1, topic +1;
a negator just before it ("doesn't listen", "never late") flips the vote, and a complaint cue
in the same clause ("should", "wish", "more") makes it -1. A theme whose votes do not add up
to more than zero is "better".

>>> tagger = ThemeTagger.load()
>>> tagger.tag("she doesnt listen and keeps cancelling", question="tell")
[ThemeTag(theme='heard', polarity='better'), ThemeTag(theme='reliability', polarity='better')]

Measured with `python bench/themes.py`: see that file's docstring for the figures on the
youth-voice set and, held out, on adults' NHS feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from themes.lexicon import Lexicon, Phrase, load_lexicon
from themes.patterns import Match, Pattern, PhraseMatcher, Slot
from themes.text import PUNCTUATION, tokenise

QUESTIONS = ("helps", "better", "tell")
POLARITIES = ("helps", "better")

NEGATION_WINDOW = 3  # a negator this many words before a phrase still negates it

# Evidence: a strong cue names the theme by itself ("keeps cancelling"); a weak one ("~lovely"
# in the lexicon) only hints at it. A theme is named on one strong cue or two distinct weak
# ones, so a lone "lovely" or "helpful" (generic praise) names nothing.
STRONG_CUE = 2
WEAK_CUE = 1
MIN_EVIDENCE = 2
# A comment is mostly about one or two things: the main theme, and a second only when it
# stands on evidence of its own; a passing third mention is left out.
MAX_TAGS = 2

_SENTENCE_BREAKS = frozenset(".;!?")
_CLAUSE_BREAKS = PUNCTUATION | {"but", "although", "though", "however", "except", "whereas"}
# Negation reaches less far than a clause: "doesn't judge and listens" keeps "listens".
_NEGATION_BREAKS = _CLAUSE_BREAKS | {"and", "or", "so", "because", "if", "when", "who", "which"}

_NEGATOR = "negator"
_CUE = "cue"
_PERSON = "person"


@dataclass(frozen=True)
class ThemeTag:
    theme: str
    polarity: str


@dataclass(frozen=True)
class _Phrase:
    theme: str
    phrase: Phrase


@dataclass(frozen=True)
class _Exclusion:
    theme: str


Payload = _Phrase | _Exclusion | str


class ThemeTagger:
    """Offline, rule-based framework theme tagger; build once, call `tag` many times."""

    def __init__(self, lexicon: Lexicon) -> None:
        entries: list[tuple[Pattern, Payload]] = []
        for spec in lexicon.themes:
            entries += [(p.pattern, _Phrase(spec.id, p)) for p in spec.phrases]
            entries += [(p, _Exclusion(spec.id)) for p in spec.exclude]
        entries += [(p, _NEGATOR) for p in lexicon.negators]
        entries += [(p, _CUE) for p in lexicon.complaint_cues]
        entries += [(p, _PERSON) for p in lexicon.people]
        self._matcher: PhraseMatcher[Payload] = PhraseMatcher(entries)

    @classmethod
    def load(cls, path: Path | str | None = None) -> ThemeTagger:
        """Build a tagger from a lexicon file (the packaged `lexicon.yml` by default)."""
        return cls(load_lexicon(path))

    def tag(self, text: str, question: str | None = None) -> list[ThemeTag]:
        """At most `MAX_TAGS` themes of `text`, one polarity each, the main theme first.

        `question` is "helps", "better", "tell" or None (unknown: polarity from the words).
        Themes rank by evidence, then by how many words their cues cover, then by first
        mention; a theme with less than `MIN_EVIDENCE` is not named.
        """
        if question is not None and question not in QUESTIONS:
            raise ValueError(f"question must be one of {QUESTIONS} or None, got {question!r}")
        tokens = tokenise(text)
        matches = self._matcher.find(tokens)
        excluded = {
            (m.payload.theme, i)
            for m in matches
            if isinstance(m.payload, _Exclusion)
            for i in range(m.start, m.end)
        }
        negator_ends = {m.end - 1 for m in matches if m.payload == _NEGATOR}
        clause_of = _section_index(tokens, _CLAUSE_BREAKS)
        sentence_of = _section_index(tokens, _SENTENCE_BREAKS)
        cue_clauses = {clause_of[m.start] for m in matches if m.payload == _CUE}
        person_sentences = {sentence_of[m.start] for m in matches if m.payload == _PERSON}

        votes: dict[str, int] = {}
        cues: dict[str, list[_Cue]] = {}
        for match in matches:
            found = match.payload
            if not isinstance(found, _Phrase):
                continue
            if any((found.theme, i) in excluded for i in range(match.start, match.end)):
                continue
            if found.phrase.needs_person and sentence_of[match.start] not in person_sentences:
                continue
            cue = _Cue(match.start, match.end, found.phrase.pattern.slots, found.phrase.strong)
            # "took ages" and "takes ages" both match "takes ages": the words vote once.
            if cue.span in {c.span for c in cues.get(found.theme, ())}:
                continue
            vote = _vote(found.phrase.valence, match, tokens, negator_ends, clause_of, cue_clauses)
            votes[found.theme] = votes.get(found.theme, 0) + vote
            cues.setdefault(found.theme, []).append(cue)

        # Matches come in text order, so dict order (the last tie-break) is first mention.
        evidence = {theme: _evidence(found) for theme, found in cues.items()}
        ranked = sorted(
            (theme for theme in cues if evidence[theme] >= MIN_EVIDENCE),
            key=lambda theme: (-evidence[theme], -_coverage(cues[theme])),
        )
        kept = ranked[:MAX_TAGS]
        if question in POLARITIES:
            return [ThemeTag(theme, question) for theme in kept]
        return [ThemeTag(t, "helps" if votes[t] > 0 else "better") for t in kept]


@dataclass(frozen=True)
class _Cue:
    """One phrase of a theme found in a comment."""

    start: int
    end: int
    # The phrase's stemmed slots: "listen" and "listens" are one cue, however often said.
    key: tuple[Slot, ...]
    strong: bool

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def _evidence(cues: list[_Cue]) -> int:
    """How strongly cues speak for a theme: distinct, non-overlapping phrases, weighted.

    Strongest and longest first, so "foster carer" counts as a strong cue and the weak
    "foster" inside it adds nothing; the same phrase said twice counts once.
    """
    taken: set[int] = set()
    phrases: set[tuple[Slot, ...]] = set()
    total = 0
    for cue in sorted(cues, key=lambda c: (not c.strong, c.start - c.end, c.start)):
        words = set(range(cue.start, cue.end))
        if words & taken or cue.key in phrases:
            continue
        taken |= words
        phrases.add(cue.key)
        total += STRONG_CUE if cue.strong else WEAK_CUE
    return total


def _coverage(cues: list[_Cue]) -> int:
    return len({i for cue in cues for i in range(cue.start, cue.end)})


def _section_index(tokens: list[str], breaks: frozenset[str]) -> list[int]:
    """Number of the clause or sentence each token is in."""
    section, index = 0, []
    for word in tokens:
        if word in breaks:
            section += 1
        index.append(section)
    return index


def _negated(match: Match[Payload], tokens: list[str], negator_ends: set[int]) -> bool:
    for pos in range(match.start - 1, max(match.start - 1 - NEGATION_WINDOW, -1), -1):
        if tokens[pos] in _NEGATION_BREAKS:
            return False
        if pos in negator_ends:
            return True
    return False


def _vote(
    valence: int,
    match: Match[Payload],
    tokens: list[str],
    negator_ends: set[int],
    clause_of: list[int],
    cue_clauses: set[int],
) -> int:
    if any(clause_of[i] in cue_clauses for i in range(match.start, match.end)):
        return -1
    vote = valence or 1
    return -vote if _negated(match, tokens, negator_ends) else vote
