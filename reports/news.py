"""'You said, we did': the rules a manager's response meets before anyone can approve it.

A response cites figures only as placeholders, such as ``{favourable:trust}``, filled in
at approval from what the disclosure-control gateway shows for that closed period
(SDC-01): a figure the gateway hides cannot be published. It never carries a quote: no
quotation marks, and no run of `QUOTE_RUN` words that a quote staff can read also has
(`repeats`). The whole line a young person reads keeps
a neutral lock-screen preview (CC-12) and short sentences (CC-09).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from flows.preview import preview_is_neutral
from flows.readability import longest_sentence

PARTS = ("said", "did")
MAX_PART = 160  # characters in each part, as written
MAX_WORDS = 25  # words in any one sentence of the line a young person reads (CC-09)
QUOTE_RUN = 5  # this many words in a row shared with a young person's comment is a quote
QUOTE_MARKS = '"“”„«»‘’‚'  # typographic single quotes too; an apostrophe ' is allowed
_WORD = re.compile(r"\w+(?:'\w+)?")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FIGURE = re.compile(r"favourable:([a-z_]+)")

Wording = Mapping[str, Mapping[str, str]]  # {language: {"said": ..., "did": ...}}
Line = Callable[[str, str, str], str]  # (language, said, did) -> the line young people read


def figures_cited(wording: Wording) -> set[str]:
    """The dimensions whose favourable share the wording cites."""
    found = set()
    for parts in wording.values():
        for text in parts.values():
            for name in _PLACEHOLDER.findall(text):
                match = _FIGURE.fullmatch(name)
                if match:
                    found.add(match.group(1))
    return found


def problems(
    wording: Wording,
    languages: Iterable[str],
    dimensions: Iterable[str],
    line: Line,
) -> list[str]:
    """What stops this wording being published, in plain words (empty: nothing).
    `line(lang, said, did)` is the sentence a young person reads, from the engine's copy."""
    known = set(dimensions)
    out = []
    for lang in languages:
        parts = wording.get(lang, {})
        for part in PARTS:
            text = parts.get(part, "").strip()
            where = f"{lang} '{part}'"
            if not text:
                out.append(f"{where}: write this part.")
                continue
            if len(text) > MAX_PART:
                out.append(f"{where}: keep it to {MAX_PART} characters.")
            if any(mark in text for mark in QUOTE_MARKS):
                out.append(f"{where}: no quotation marks; never quote young people.")
            for name in _PLACEHOLDER.findall(text):
                match = _FIGURE.fullmatch(name)
                if match is None or match.group(1) not in known:
                    out.append(f"{where}: {{{name}}} is not a figure this console can cite.")
        said, did = parts.get("said", "").strip(), parts.get("did", "").strip()
        if said and did:
            shown = line(lang, said, did)
            if not preview_is_neutral(shown):
                out.append(f"{lang}: the first 60 characters name the topic (lock screens).")
            if longest_sentence(shown) > MAX_WORDS:
                out.append(f"{lang}: a sentence is over {MAX_WORDS} words; split or shorten.")
    return out


def fill(wording: Wording, figures: Mapping[str, str | None]) -> dict[str, dict[str, str]]:
    """The wording with each ``{favourable:x}`` replaced by the gateway's figure.
    Raises KeyError naming a figure the gateway did not show."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        figure = _FIGURE.fullmatch(name)
        value = figures.get(figure.group(1)) if figure else None
        if value is None:
            raise KeyError(name)
        return value

    return {
        lang: {part: _PLACEHOLDER.sub(one, text) for part, text in parts.items()}
        for lang, parts in wording.items()
    }


def repeats(text: str, quotes: Iterable[str], run: int = QUOTE_RUN) -> bool:
    """Whether `text` shares `run` words in a row (case and punctuation aside) with one of
    `quotes`."""
    mine = _words(text)
    grams = {tuple(mine[i : i + run]) for i in range(len(mine) - run + 1)}
    for quote in quotes:
        theirs = _words(quote)
        if any(tuple(theirs[i : i + run]) in grams for i in range(len(theirs) - run + 1)):
            return True
    return False


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]
