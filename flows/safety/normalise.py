"""Fold youth text into one canonical form, so one phrase list matches many spellings.

"Im NOT s a f e", "i’m not safeee" and "im not safe!!" all become ``i am not safe``:
lower case, no accents or zero-width characters, apostrophes dropped, runs of three or
more letters cut to two, digits inside words read as letters (``k1ll`` -> ``kill``),
words spelled out letter by letter rejoined, Welsh "'n" and "'r" split off, text-speak
expanded through an alias table (``kms`` -> ``kill myself``), laughing emoji read as
``lol``, and everything else turned into single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

# Invisible characters that can split a word ("ra\u200bpe") without changing how it looks.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
# Laughing emoji carry meaning ("i wanna die \U0001f602" is a joke more often than not), so
# they become a word the phrase file can see before other symbols are dropped.
_LAUGHING = str.maketrans(
    dict.fromkeys(map(ord, "\U0001f602\U0001f923\U0001f480\U0001f606\U0001f639"), " lol ")
)
_TOKEN = re.compile(r"[a-z0-9@$']+")
_LETTER = re.compile(r"[a-z]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_LONG_RUN = re.compile(r"([a-z])\1{2,}")
_ANY_RUN = re.compile(r"([a-z])\1+")
_WELSH_TAILS = {"n": "yn", "r": "yr"}
# Only applied to tokens that also hold letters, so "im only 12" keeps its age.
_LEET = str.maketrans("013457@$", "oieastas")


def _join_spelled_out(tokens: list[str]) -> list[str]:
    """Rejoin words typed one letter at a time ("k i l l myself" -> "kill myself")."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        out.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if token:
            out.append(token)
    return out


class Normaliser:
    """Turns raw text into the canonical form that phrases and patterns are written for."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self._aliases = dict(aliases)
        # Keyed with every run of a letter cut to one, so "kmsss" and "wannaaa" still
        # reach "kms" and "wanna".
        self._squashed = {_ANY_RUN.sub(r"\1", key): value for key, value in aliases.items()}
        # The same words come again and again; folding each once is most of the saving.
        self._word = lru_cache(maxsize=16384)(self._fold)

    def __call__(self, text: str) -> str:
        folded = text.translate(_INVISIBLE).translate(_APOSTROPHES).translate(_LAUGHING)
        if not folded.isascii():
            decomposed = unicodedata.normalize("NFKD", folded)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        tokens = _join_spelled_out(_TOKEN.findall(folded.casefold()))
        return " ".join(word for word in map(self._word, tokens) if word)

    def _fold(self, token: str) -> str:
        token = _LONG_RUN.sub(r"\1\1", token)
        alias = self._aliases.get(token)
        if alias is not None:
            return alias
        # Welsh joins "yn" and "yr" to the word before: "teimlo'n" is "teimlo yn".
        stem, mark, tail = token.rpartition("'")
        if mark and tail in _WELSH_TAILS and len(stem) > 1 and stem.isalpha():
            return f"{self._fold(stem)} {_WELSH_TAILS[tail]}"
        bare = token.replace("'", "")
        if _LETTER.search(bare) and not bare.isalpha():
            bare = bare.translate(_LEET)
        bare = _NOT_ALNUM.sub("", bare)
        alias = self._aliases.get(bare)
        if alias is None:
            alias = self._squashed.get(_ANY_RUN.sub(r"\1", bare))
        return bare if alias is None else alias
