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
# School words as they are typed ("6th form", "collage", "skool", "acadamy"), matched on
# the message's folded words rather than by a regex scan, which would cost every message.
_SCHOOL_WORDS = frozenset(
    """school skool schl academy acadamy accademy college colledge collage colege high
    highschool primary grammar collegiate juniors infants uni university univeristy
    universty""".split()
)
_FORM = frozenset({"sixth", "th"})  # "sixth form", "6th form" ("th" is what "6th" leaves)
_SCHOOL_KIND = frozenset("high primary secondary grammar catholic community junior infant".split())
# "st josephs", "St. Bede's", "st wilfrids catholic high".
_SAINT = re.compile(
    r"\bst\.?\s+(?P<saint>[^\W\d_]+)(?:['’]s)?"
    r"(?P<school>\s+(?:(?:catholic|c\s+of\s+e|ce|rc)\s+)?(?:school|academy|college|high|"
    r"primary|juniors?|infants?)\b)?",
)
# "st georges day", "st john ambulance": a saint's name that is no school or place here.
_NOT_A_PLACE = re.compile(r"\s+(?:day|ambulance)\b")


def find_places(message: Message, lexicon: Lexicon, names: frozenset[str]) -> Iterator[Redaction]:
    """ADDRESS and SCHOOL (or PLACE, for a saint's name without a school word) spans.
    `names` is the folded first-name list, for "st marys". Regexes run on the lower-case
    copy, whose offsets are the text's."""
    vocab = message.vocab
    if not vocab.isdisjoint(_ADDRESS_WORDS) and any(c.isdigit() for c in message.low):
        yield from _addresses(message.low)
    if lexicon and not vocab.isdisjoint(_SCHOOL_WORDS | _FORM):
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
    text, words, keys = message.text, message.words, message.keys
    for at in [i for i, key in enumerate(keys) if key in _SCHOOL_WORDS or key in _FORM]:
        last = _school_word_ends(message, at)
        if last is None:
            continue
        first = at
        while first and keys[first - 1] in _SCHOOL_KIND and _spaced(text, words, first - 1):
            first -= 1  # "high school", "catholic high"
        run = first
        while first - run < 3 and run and _spaced(text, words, run - 1):
            if keys[run - 1] in SCHOOL_STOP:
                break
            run -= 1
        # After "go to", "at", "from" the name may be ordinary words ("manor high"); else
        # ordinary words are trimmed from the left ("i hate thornhill academy").
        cued = run and _spaced(text, words, run - 1) and keys[run - 1] in SCHOOL_CUE
        if not cued:
            while run < first and not _distinctive(text, words[run].start(), lexicon):
                run += 1
        if run < first:
            yield Redaction(words[run].start(), words[last].end(), "SCHOOL", TIERS["SCHOOL"])
        # "the academy at shawcross", "university of Leeds": a name after the school word.
        name = last + 2
        if name < len(keys) and keys[last + 1] in ("at", "in", "of") and _spaced(text, words, last):
            if _spaced(text, words, last + 1) and _distinctive(text, words[name].start(), lexicon):
                yield Redaction(words[name].start(), words[name].end(), "SCHOOL", TIERS["SCHOOL"])


def _school_word_ends(message: Message, at: int) -> int | None:
    """If word `at` starts a school word, the index of its last word: "college" is one,
    "6th form" two, "sixth form college and sixth form" more."""
    keys, words, text = message.keys, message.words, message.text
    if keys[at] in _FORM:
        if keys[at] == "th" and not (words[at].start() and text[words[at].start() - 1] == "6"):
            return None
        if at + 1 == len(keys) or keys[at + 1] != "form" or not _spaced(text, words, at):
            return None
        last = at + 1
        if last + 1 < len(keys) and keys[last + 1] == "college" and _spaced(text, words, last):
            last += 1
        return last
    if keys[at] not in _SCHOOL_WORDS:
        return None
    # "ossett academy and sixth form"
    tail = keys[at + 1 : at + 4]
    if tail in (["and", "sixth", "form"], ["and", "th", "form"]):
        return at + 3
    return at


def _spaced(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Words `i` and `i + 1` are separated by spaces only (a "6" of "6th" aside)."""
    between = text[words[i].end() : words[i + 1].start()].removesuffix("6")
    return bool(between) and between.isspace()


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
