"""Reading age of the wording (CC-09): Flesch-Kincaid grade for English, and sentence
length as a rough proxy for Welsh, where no validated formula exists.

Placeholders ({org_name}), web addresses and numbers are left out: they are read as
names, not words. Bullets and line breaks end a sentence, as they do for a reader.
"""

from __future__ import annotations

import re

_NOT_WORDS = re.compile(r"\{[a-z_]+\}|https?://\S+|\b[\w.-]+\.(?:org|uk|cymru|com)\S*|/\w+")
_SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n|•")
_WORD = re.compile(r"[A-Za-zÀ-ÿŵŷŴŶ']+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def sentences(text: str) -> list[list[str]]:
    plain = _NOT_WORDS.sub(" ", text)
    out = [_WORD.findall(part) for part in _SENTENCE_END.split(plain)]
    return [words for words in out if words]


def syllables(word: str) -> int:
    word = word.lower().strip("'")
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "time"
    return max(count, 1)


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade level, or None for text with no words."""
    found = sentences(text)
    words = [w for s in found for w in s]
    if not words:
        return None
    per_sentence = len(words) / len(found)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def longest_sentence(text: str) -> int:
    return max((len(s) for s in sentences(text)), default=0)


def mean_sentence(text: str) -> float:
    found = sentences(text)
    return sum(len(s) for s in found) / len(found) if found else 0.0
