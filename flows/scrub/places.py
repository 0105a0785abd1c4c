"""Street addresses and schools (issue 11, AN-14): "i live at 14 elm grove", "flat 3",
"parkside academy", "st josephs". A street or school word alone is never enough: an
address needs a house or flat number, a school a name before it that is not an ordinary
word ("my old school", "i hate college" and "the high street" stay)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flows.scrub.cues import ADDRESS_STOP, SCHOOL_CUE, SCHOOL_STOP
from flows.scrub.lexicon import Lexicon
from flows.scrub.spans import TIERS, Message, Redaction

_STREET_WORDS = (
    "road rd street st lane ln close avenue ave grove drive way crescent cres court ct terrace "
    "tce place pl gardens gdns walk row hill park square sq mews view rise parade vale croft "
    "fold boulevard"
).split()
_STREET = rf"(?:{'|'.join(_STREET_WORDS)})\b"
_FLAT = r"(?:flat|apartment|apt)\s*(?:no\.?\s*|number\s+)?\d{1,4}[a-z]?\b"
# "14 elm grove", "flat 4 101 high street", "flat 12 marston court", "37 the crescent", or
# just "flat 3". The words between number and street word are checked in `_addresses`.
_HOUSE = r"\d{1,4}[a-z]?\s+"
_ADDRESS = re.compile(
    rf"(?<![\w£$€:./-])(?:{_FLAT}[\s,]+(?:{_HOUSE})?|{_HOUSE})"
    rf"(?P<words>(?:[a-z][\w'’.-]*\s+){{0,3}}){_STREET}"
    rf"|\b{_FLAT}",
)
_WORD = re.compile(r"[^\W\d_]+")
_ADDRESS_WORDS = frozenset([*_STREET_WORDS, "flat", "apartment", "apt"])
# School words as they are typed: "6th form", "collage", "skool", "acadamy".
_SCHOOL_WORD = (
    r"(?:school|skool|schl|academy|acadamy|accademy|college|colledge|collage|colege|high|"
    r"highschool|primary|grammar|collegiate|juniors|infants|(?:sixth|6th)\s+form"
    r"(?:\s+college)?|uni|university|univeristy|universty)"
)
# Folded words that can start one ("th" is what is left of "6th").
_SCHOOL_WORDS = frozenset(re.findall(r"[a-z]+", _SCHOOL_WORD)) - {"form"}
# The school word; the words before it ("oakmere high", "leeds city") are read in
# `_schools`, which keeps this regex a plain scan.
_SCHOOL = re.compile(rf"{_SCHOOL_WORD}\b(?:\s+(?:and|&)\s+(?:sixth|6th)\s+form\b)?")
_SCHOOL_KIND = frozenset("high primary secondary grammar catholic community junior infant".split())
# "st josephs", "St. Bede's", "st wilfrids catholic high".
_SAINT = re.compile(
    r"\bst\.?\s+(?P<saint>[^\W\d_]+)(?:['’]s)?"
    r"(?P<school>\s+(?:(?:catholic|c\s+of\s+e|ce|rc)\s+)?(?:school|academy|college|high|"
    r"primary|juniors?|infants?)\b)?",
)
# "st georges day", "st john ambulance": a saint's name that is no school or place here.
_NOT_A_PLACE = re.compile(r"\s+(?:day|ambulance)\b")
_AFTER = re.compile(r"\s+(?:at|in|of)\s+([^\W\d_]+)\b")


def find_places(message: Message, lexicon: Lexicon, names: frozenset[str]) -> Iterator[Redaction]:
    """ADDRESS and SCHOOL (or PLACE, for a saint's name without a school word) spans.
    `names` is the folded first-name list, for "st marys". Regexes run on the lower-case
    copy, whose offsets are the text's."""
    vocab = message.vocab
    if not vocab.isdisjoint(_ADDRESS_WORDS) and any(c.isdigit() for c in message.low):
        yield from _addresses(message.low)
    if lexicon and not vocab.isdisjoint(_SCHOOL_WORDS):
        yield from _schools(message, lexicon)
    if lexicon and "st" in vocab:
        yield from _saints(message.low, lexicon, names)


def _addresses(text: str) -> Iterator[Redaction]:
    for match in _ADDRESS.finditer(text):
        words = match.group("words")
        if words is not None:
            between = _WORD.findall(words)
            named = between[1:] if between[:1] == ["the"] else between
            if not between or any(w in ADDRESS_STOP for w in named):
                continue
        yield Redaction(match.start(), match.end(), "ADDRESS", TIERS["ADDRESS"])


def _schools(message: Message, lexicon: Lexicon) -> Iterator[Redaction]:
    text, low = message.text, message.low
    for match in _SCHOOL.finditer(low):
        start = match.start()
        if start and low[start - 1].isalnum():
            continue  # "community", "unit"
        while (kind := _word_before(low, start)) and low[kind:start].split()[0] in _SCHOOL_KIND:
            start = kind  # "high school", "catholic high"
        run: list[int] = []
        while len(run) < 3 and (at := _word_before(low, start)) is not None:
            if low[at:start].split()[0] in SCHOOL_STOP:
                break
            run.insert(0, at)
            start = at
        # After "go to", "at", "from" the name may be ordinary words ("manor high"); else
        # ordinary words are trimmed from the left ("i hate thornhill academy").
        cue = _word_before(low, start)
        if cue is None or low[cue:start].split()[0] not in SCHOOL_CUE:
            while run and not _distinctive(text, run[0], lexicon):
                run.pop(0)
        if run:
            yield Redaction(run[0], match.end(), "SCHOOL", TIERS["SCHOOL"])
        # "the academy at shawcross", "university of Leeds": a name after the school word.
        after = _AFTER.match(low, match.end())
        if after and _distinctive(text, after.start(1), lexicon):
            yield Redaction(after.start(1), after.end(1), "SCHOOL", TIERS["SCHOOL"])


def _word_before(low: str, end: int) -> int | None:
    """Where the word that ends just before `end` (after spaces) starts, if there is one."""
    gap = end
    while gap and low[gap - 1] == " ":
        gap -= 1
    at = gap
    while at and low[at - 1].isalpha():
        at -= 1
    return at if at < gap < end else None


def _distinctive(text: str, at: int, lexicon: Lexicon) -> bool:
    """The word at `at` is no ordinary word, or capitalised where no sentence starts."""
    end = at
    while end < len(text) and text[end].isalpha():
        end += 1
    word = text[at:end]
    if lexicon.is_unknown(word.casefold()):
        return True
    left = text[:at].rstrip()
    return word[0].isupper() and word[1:].islower() and bool(left) and left[-1] not in ".!?\n"


def _saints(text: str, lexicon: Lexicon, names: frozenset[str]) -> Iterator[Redaction]:
    for match in _SAINT.finditer(text):
        saint = match.group("saint").casefold()
        if saint in SCHOOL_STOP or _NOT_A_PLACE.match(text, match.end()):
            continue
        if saint in names or saint.rstrip("s") in names or lexicon.is_unknown(saint):
            kind = "SCHOOL" if match.group("school") else "PLACE"
            yield Redaction(match.start(), match.end(), kind, TIERS["SCHOOL"])
