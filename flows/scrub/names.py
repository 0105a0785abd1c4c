"""Find people's names and known places (AN-14, AN-16).

Three sources, strongest first: the organisation's staff list (whole names in any case,
and each part of a name), its list of places, and a general list of first names. The
rule for names that are also words ("will", "may", "hope", "kit") lives in
`NameFinder._strong_context`; see word_names.txt for the list itself. Beyond the lists,
context makes a name of any word that is no ordinary word (common_words.txt): after a
self-introduction or at a sign-off ("im kaydon", "- kerys", see `flows.scrub.intros`),
after a title ("miss fenwick") and after a name ("jade thompson"), in any case (issue 11).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from flows.scrub.cues import (
    AFTER_ROLE,
    CALENDAR,
    CALL_ME_STOP,
    CUE,
    HONORIFIC,
    MODAL,
    NAME_FOLLOWERS,
    NICK_PREFIX,
    NOT_SURNAME,
    OBJECTS,
    ROLE_CUE,
    ROLE_NOUNS,
    SENTENCE_END,
    STOP,
    SUBJECT_FOLLOW,
    TEMPORAL,
    THING,
    TITLE_HONORIFIC,
    VERB_CUE,
    VERB_NAMES,
    VERBISH,
)
from flows.scrub.intros import introduced
from flows.scrub.lexicon import Lexicon, fold
from flows.scrub.spans import GUESSED, LISTED, Message, Redaction


def _is_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper()


def _sentence_start(text: str, start: int) -> bool:
    left = text[:start].rstrip().rstrip("\"'\u201c\u2018(*-")
    # An emoji usually ends a thought too ("lol 😂 Will said").
    return not left or left[-1] in SENTENCE_END or not (left[-1].isascii() or left[-1].isalnum())


def _phrases(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive, whole-word regex for multiword names; longest first."""
    parts = {tuple(fold(p) for p in name.split()) for name in names if name.strip()}
    if not parts:
        return None
    body = "|".join(r"[\s-]+".join(map(re.escape, p)) for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


class NameFinder:
    """Finds NAME and PLACE spans; built once per deployment, then called per message."""

    def __init__(
        self,
        staff_names: Iterable[str],
        place_names: Iterable[str],
        first_names: Iterable[str],
        word_names: Iterable[str],
        lexicon: Lexicon,
    ) -> None:
        staff = [name.split() for name in staff_names if name.strip()]
        self._listed = {fold(part) for parts in staff for part in parts if len(part) > 1}
        self._names = frozenset(self._listed | {fold(name) for name in first_names if name.strip()})
        self._word_names = {fold(word) for word in word_names if word.strip()}
        self._staff = _phrases(" ".join(parts) for parts in staff if len(parts) > 1)
        self._places = _phrases(place_names)
        self._lexicon = lexicon

    @property
    def first_names(self) -> frozenset[str]:
        """Every folded given name this finder knows, listed staff included."""
        return self._names

    def find(self, message: Message) -> Iterator[Redaction]:
        for regex, kind in ((self._places, "PLACE"), (self._staff, "NAME")):
            if regex is not None:
                for match in regex.finditer(message.text):
                    yield Redaction(match.start(), match.end(), kind, LISTED)
        yield from self._tokens(message)

    def _tokens(self, message: Message) -> Iterator[Redaction]:
        text, words, keys = message.text, message.words, message.keys
        named = [self._is_name(text, words, keys, i) for i in range(len(words))]
        self._mark_introduced(text, words, keys, named)
        self._mark_surnames(text, words, keys, named)
        i = 0
        while i < len(words):
            if not named[i]:
                i += 1
                continue
            first, listed = i, keys[i] in self._listed
            while i + 1 < len(words) and named[i + 1] and self._joined(text, words, i):
                i += 1
                listed = listed or keys[i] in self._listed
            yield Redaction(
                words[first].start(), words[i].end(), "NAME", LISTED if listed else GUESSED
            )
            i += 1

    @staticmethod
    def _joined(text: str, words: list[re.Match[str]], i: int) -> bool:
        between = text[words[i].end() : words[i + 1].start()]
        return between in (" ", "-") or (between in "'’" and words[i].group() in "oO")

    def _mark_introduced(
        self, text: str, words: list[re.Match[str]], keys: list[str], named: list[bool]
    ) -> None:
        """Names after "im", "my name is", "call me", "aka", before "here", and at a
        sign-off, in any case and whether or not they are on a list (issue 11)."""
        for i, strength in introduced(text, words, keys).items():
            if named[i]:
                continue
            word, key = words[i], keys[i]
            if strength != "weak" and key in NICK_PREFIX and i + 1 < len(words):
                named[i] = named[i + 1] = True  # "lil d", "tiny t"
            elif strength == "strong":
                named[i] = key not in STOP
            elif strength == "call":
                named[i] = key not in CALL_ME_STOP
            elif key in self._word_names:
                named[i] = _is_capitalised(word.group()) and not _sentence_start(text, word.start())
            else:
                named[i] = (
                    len(key) > 1
                    and key not in STOP
                    and (key in self._names or self._lexicon.is_unknown(key))
                )

    def _mark_surnames(
        self, text: str, words: list[re.Match[str]], keys: list[str], named: list[bool]
    ) -> None:
        for i in range(len(words) - 1):
            # "ruby fairbrother", "jack smith": a name that is also a word, then a surname.
            following = keys[i + 1]
            if (
                not (named[i] or named[i + 1])
                and keys[i] in self._names
                and keys[i] not in VERB_NAMES
                and len(following) > 3
                and self._joined(text, words, i)
            ):
                named[i] = named[i + 1] = self._lexicon.is_unknown(
                    following
                ) or self._lexicon.is_rare_surname(following)
        surnames: set[int] = set()
        for i in range(len(words) - 1):
            # After a name, a capitalised word, a listed surname or an unknown word in any
            # case is a surname ("Sarah Okafor", "jade thompson", "ryan o'neill"), once.
            if named[i] and not named[i + 1] and i not in surnames and self._joined(text, words, i):
                if _is_capitalised(words[i].group()) and _is_capitalised(words[i + 1].group()):
                    named[i + 1] = keys[i + 1] not in NOT_SURNAME
                else:
                    named[i + 1] = self._is_surname(text, words, keys, i + 1)
                surnames.add(i + 1)
                if named[i + 1] and keys[i + 1] == "o":
                    named[i + 2] = True
                    surnames.add(i + 2)

    def _is_surname(self, text: str, words: list[re.Match[str]], keys: list[str], i: int) -> bool:
        key = keys[i]
        if key == "o":  # "o'neill": the apostrophe joins the two
            return i + 1 < len(words) and self._joined(text, words, i)
        return (
            len(key) > 1
            and key not in STOP
            and key not in NOT_SURNAME
            and (key in self._lexicon.surnames or self._lexicon.is_unknown(key))
        )

    def _is_name(self, text: str, words: list[re.Match[str]], keys: list[str], i: int) -> bool:
        if keys[i] in self._names:
            return keys[i] not in self._word_names or self._strong_context(text, words, keys, i)
        stem = keys[i][:-1]
        if keys[i].endswith("s") and stem in self._names and stem not in self._word_names:
            return True  # "sarahs always late": a possessive without its apostrophe
        if (
            i
            and keys[i - 1] in ROLE_NOUNS
            and text[words[i - 1].end() : words[i].start()] in (" ", ", ")
        ):
            has_object = i + 1 < len(words) and keys[i + 1] in OBJECTS
            return not (keys[i] in AFTER_ROLE or keys[i].endswith(VERBISH) or has_object)
        if i == 0 or not self._joined_by_space_or_dot(text, words, i - 1):
            return False
        # "Mr Okafor", "mrs green", "mr p": a title makes the next word a name, listed or not.
        before, word = words[i - 1].group(), words[i].group()
        if keys[i - 1] in HONORIFIC:
            return len(word) > 1 or keys[i] not in ("a", "i", "u")
        if keys[i - 1] not in TITLE_HONORIFIC:
            return False
        if _is_capitalised(before) and _is_capitalised(word):
            return True
        # "miss fenwick", "sir okeke" but not "i miss going", "miss independent", "miss long".
        return keys[i] not in STOP and (
            self._lexicon.is_unknown(keys[i]) or self._lexicon.is_rare_surname(keys[i])
        )

    @staticmethod
    def _joined_by_space_or_dot(text: str, words: list[re.Match[str]], i: int) -> bool:
        return text[words[i].end() : words[i + 1].start()] in (" ", ". ", ".")

    @staticmethod
    def _strong_context(text: str, words: list[re.Match[str]], keys: list[str], i: int) -> bool:
        """A name that is also a word counts only when capitalised mid-sentence, after a cue
        ("my worker", "called", "talk to", "session with", "from", "email"), or before what
        a person does ("Rose listens", "Nick from the office"). So "I will", "may be" and
        "my kit from school" survive; "my worker Will" and "talk to hope" do not."""
        start = words[i].start()
        if keys[i] in CALENDAR and i and keys[i - 1] in TEMPORAL:
            return False  # "in May", "this Summer"
        if _is_capitalised(words[i].group()) and not _sentence_start(text, start):
            return True
        left = text[max(0, start - 40) : start].lower()
        if CUE.search(left):
            return True
        if keys[i] not in CALENDAR:
            if VERB_CUE.search(left):
                return True
            if (not i or keys[i - 1] not in THING) and SUBJECT_FOLLOW.match(text, words[i].end()):
                return True
        if not ROLE_CUE.search(left):
            return False
        if keys[i] not in MODAL:
            return True
        after = text[words[i].end() :].lstrip()
        return (
            not after
            or after[0] in ",.!?"
            or (i + 1 < len(words) and keys[i + 1] in NAME_FOLLOWERS)
        )
