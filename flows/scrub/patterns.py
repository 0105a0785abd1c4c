"""Finders for identifiers with a shape: emails, links, handles, phone numbers, UK
postcodes, National Insurance and NHS numbers, and dates (AN-14).

All regexes are compiled once, when this module is imported; nothing else happens then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from flows.scrub.cues import STOP
from flows.scrub.lexicon import Lexicon
from flows.scrub.spans import GUESSED, TIERS, Message, Redaction

_I = re.IGNORECASE
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# "jaz dot k at gmail dot com": spelled out to dodge filters, or just how it was said.
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?:\s+dot\s+[\w+-]+)*\s*(?:\(at\)|\[at\]|\s+at\s+)\s*"
    r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|live|aol|btinternet|proton(?:mail)?)"
    r"\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*(?:com|net|co\s*(?:\.|\s+dot\s+)\s*uk)\b",
    _I,
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|uk|io|me|ly|gg|tv|app|co|info|xyz|link|ee)\b"
    r"(?:/[^\s<>\"]*)?",
    _I,
)
_TRAILING = ".,!?;:)]}'\""
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z_][A-Za-z0-9_.]{1,29}")
# "my snap is jaz.k_22", "add me on sc jazzyk", "snap me on kieranw": a username after an
# app's name. A token with a digit, dot or underscore counts; a plain word only if it is no
# ordinary word, so "my snap is down today" and "i play xbox with my cousin" are left alone.
_APP_HANDLE = re.compile(
    r"\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|discord|psn|xbox|xbl|gamer\s?tag|"
    r"fb|facebook|twitch|twitter|kik|telegram|threads|steam|roblox|yt|youtube)"
    r"(?:\s+(?:me|us)(?=\s+(?:on|at)\b))?"
    r"(?:\s+(?:gamer\s?tag|name|username|user|handle|id|tag|acc|account))?"
    r"(?:\s+(?:is|on|at)\s+|\s*[:=-]\s*|\s+)(?:(?:its|it's|it\s+is)\s+)?@?"
    r"(?P<handle>[a-z0-9_.]{2,30})",
)
_PLATFORMS = frozenset(
    """snap snapchat sc insta instagram ig tik tiktok tt discord psn xbox xbl gamer gamertag
    fb facebook twitch twitter kik telegram threads steam roblox yt youtube""".split()
)
_HANDLE_MARK = re.compile(r"[A-Za-z].*[0-9_.]|[0-9_.].*[A-Za-z]")
# UK numbers in any spacing: 0 plus ten digits, or +44/0044 plus ten digits. Ofcom's drama
# ranges (07700 900xxx) are not "valid" to libphonenumber, but people type them in tests
# and real numbers look the same, so this shape check backs up PhoneNumberMatcher.
_UK_PHONE = re.compile(
    r"(?<![\w+])\(?0(?!0)(?:[\s().-]{0,2}\d){10}(?!\d)"
    r"|(?<![\w])(?:\+|00)\s?44\s?(?:\(0\)\s?)?(?:[\s().-]{0,2}\d){10}(?!\d)"
    r"|(?<![\w+])44\s?7(?:[\s-]?\d){9}(?!\d)"
)
_DIGIT = re.compile(r"\d")
# Student, case and card numbers: six digits or more, or three groups of three to five;
# not a count ("100000 views").
_LONG_NUMBER = re.compile(
    r"(?<![\w£$€.,:/+-])(?:\d{6,}|\d{3,5}(?:[\s-]\d{3,5}){2,})(?![\w%]|[.,/:]\d)"
    r"(?!\s+(?:views|likes|followers|subs|subscribers|streams|plays|people|pounds|quid|steps|"
    r"points|coins|robux|vbucks|times|years)\b)"
)
# Inward codes never use C, I, K, M, O or V, which keeps "b4 5pm" out; lower-case
# ordinals ("m8 2nd") are dropped too.
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?[0-9][ABD-HJLNP-UW-Z]{2}\b"
    r"(?-i:(?<!st)(?<!nd)(?<!rd)(?<!th))",
    _I,
)
_NINO = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", _I)
_NHS = re.compile(r"(?<![\d])(\d{3})([\s-]?)(\d{3})\2(\d{4})(?!\d)")
# Right after "NHS number" ten digits are taken as one even if mistyped (bad check digit).
_CUED_NHS = re.compile(
    r"\bnhs\s*(?:number|num|no\.?|#)?\s*(?:is\s*)?:?\s*(?P<nhs>\d{3}[\s-]?\d{3}[\s-]?\d{4})(?!\d)",
    _I,
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:(?:19|20)\d{2}|'\d{2})"
# "May" and "Mar" are also words ("may 2 of us come"), so they need an ordinal or a year.
_WORD_MONTH = r"(?:may|mar)"
_DATE = re.compile(
    rf"\b\d{{1,2}}([/.-])\d{{1,2}}\1(?:\d{{4}}|\d{{2}})\b"
    rf"|\b(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}\b"
    rf"|\b(?:the\s+)?{_DAY}{_ORD}?\s+(?:of\s+)?(?:{_MONTH}|{_WORD_MONTH})\b(?:,?\s+{_YEAR}\b)?"
    rf"|\b{_MONTH}\s+(?:the\s+)?{_DAY}{_ORD}?\b(?:,?\s+{_YEAR}\b)?"
    rf"|\b{_WORD_MONTH}\s+(?:the\s+)?{_DAY}(?:{_ORD}\b(?:,?\s+{_YEAR}\b)?|,?\s+{_YEAR}\b)"
    rf"|\b(?:{_MONTH}|{_WORD_MONTH})\s+(?:19|20)\d{{2}}\b",
    _I,
)
# A bare year or day/month only counts after a birth-date cue ("born in 2009", "dob 12/03").
_CUED_DATE = re.compile(
    r"\b(?:born(?:\s+in)?|dob:?|d\.o\.b\.?:?|b'?day:?|birthday:?)(?:\s+is)?\s+"
    r"(?P<date>(?:19|20)\d{2}|\d{1,2}/\d{1,2})\b",
    _I,
)


def find_patterns(message: Message, region: str, lexicon: Lexicon) -> Iterator[Redaction]:
    """Every shaped identifier in the message, overlaps and all (the caller settles clashes)."""
    text = message.text
    for kind, regex in (("EMAIL", _EMAIL), ("EMAIL", _SPOKEN_EMAIL), ("NINO", _NINO)):
        for match in regex.finditer(text):
            yield Redaction(match.start(), match.end(), kind, TIERS[kind])
    for match in _URL.finditer(text):
        end = match.end() - (len(match.group()) - len(match.group().rstrip(_TRAILING)))
        yield Redaction(match.start(), end, "URL", TIERS["URL"])
    yield from _handles(message, lexicon)
    yield from _postcodes_and_dates(text)
    digits = len(_DIGIT.findall(text))
    if digits >= 6:
        for match in _LONG_NUMBER.finditer(text):
            yield Redaction(match.start(), match.end(), "NUMBER", TIERS["NUMBER"])
    if digits >= 7:
        yield from _numbers(text, region)


def _handles(message: Message, lexicon: Lexicon) -> Iterator[Redaction]:
    text = message.text
    for match in _HANDLE.finditer(text):
        handle = match.group().rstrip(".")
        yield Redaction(match.start(), match.start() + len(handle), "HANDLE", TIERS["HANDLE"])
    if message.vocab.isdisjoint(_PLATFORMS):
        return
    for match in _APP_HANDLE.finditer(message.low):
        start = match.start("handle")
        handle = text[start : match.end("handle")].rstrip(".")
        if len(handle) >= 3 and _HANDLE_MARK.search(handle):
            yield Redaction(start, start + len(handle), "HANDLE", TIERS["HANDLE"])
        elif handle.casefold() not in STOP and lexicon.is_unknown(handle.casefold()):
            yield Redaction(start, start + len(handle), "HANDLE", GUESSED)


def _postcodes_and_dates(text: str) -> Iterator[Redaction]:
    for kind, regex in (("POSTCODE", _POSTCODE), ("DATE", _DATE)):
        for match in regex.finditer(text):
            yield Redaction(match.start(), match.end(), kind, TIERS[kind])
    for match in _CUED_DATE.finditer(text):
        yield Redaction(match.start("date"), match.end("date"), "DATE", TIERS["DATE"])


def _numbers(text: str, region: str) -> Iterator[Redaction]:
    for match in _NHS.finditer(text):
        if nhs_number_is_valid("".join(match.group(1, 3, 4))):
            yield Redaction(match.start(), match.end(), "NHS", TIERS["NHS"])
    for match in _CUED_NHS.finditer(text):
        yield Redaction(match.start("nhs"), match.end("nhs"), "NHS", TIERS["NHS"])
    for found in phonenumbers.PhoneNumberMatcher(text, region):
        yield Redaction(found.start, found.end, "PHONE", TIERS["PHONE"])
    for match in _UK_PHONE.finditer(text):
        yield Redaction(match.start(), match.end(), "PHONE", TIERS["PHONE"])


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number check digit: weights 10..2 on the first nine digits, modulus 11."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and (check % 11) == int(digits[9])
