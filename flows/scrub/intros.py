"""Where people introduce or sign themselves (issue 11): "im kaydon", "my name is tyreece",
"call me dex", "aka dazza", "- kerys", "love from skyla xx".

`introduced` says which words come right after such a cue and how strong the cue is; the
name rules in `flows.scrub.names` decide whether each is a name. Cues are matched on the
folded words rather than by a regex over the text, which keeps this cheap on every message.
"""

from __future__ import annotations

import re

from flows.scrub.cues import GREETING

# Strong cues name whatever follows ("my name is bean"); "call me" names what is not a
# stop word ("call me back"); weak cues ("im", "its") name only a listed or unknown word.
_CUES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _cue, _strength in [
    ("im", "weak"),
    ("i m", "weak"),
    ("i am", "weak"),
    ("its", "weak"),
    ("its me", "weak"),
    ("it s", "weak"),
    ("it s me", "weak"),
    ("it is", "weak"),
    ("my name is", "strong"),
    ("my names", "strong"),
    ("my name s", "strong"),
    ("name is", "strong"),
    ("nickname is", "strong"),
    ("nickname s", "strong"),
    ("nicknames", "strong"),
    ("my nickname", "strong"),
    ("aka", "strong"),
    ("a k a", "strong"),
    ("known as", "strong"),
    ("knows me as", "strong"),
    ("know me as", "strong"),
    ("goes by", "strong"),
    ("go by", "strong"),
    ("im called", "strong"),
    ("i m called", "strong"),
    ("i am called", "strong"),
    ("get called", "strong"),
    ("call me", "call"),
    ("calls me", "call"),
]:
    _first, *_rest = _cue.split()
    _CUES.setdefault(_first, []).append((tuple(_rest), _strength))
_FIRST = frozenset([*_CUES, "here"])

# A signature at the very end: "... - kerys", "-marley", "love from skyla xx", "from nevaeh".
_SIGN_OFF = re.compile(
    r"(?:(?:^|[\s,.!?])[-–—~]+[ \t]*"
    r"|(?:^|[,.!?][ \t]*|\b(?:love|thanks|thank\s+you|cheers|ta|luv)[\s,]+)from\s+)"
    r"(?P<name>[^\W\d_]+)(?:[ -][^\W\d_]+)?(?:\s+x+o*)?[\s\W]*$",
    re.IGNORECASE,
)
_TAIL = 60


def introduced(text: str, words: list[re.Match[str]], keys: list[str]) -> dict[int, str]:
    """Index of each word right after a cue -> "strong", "call" or "weak". `words` are the
    words of `text` and `keys` their folded forms."""
    cued: dict[int, str] = {}
    for i in [i for i, key in enumerate(keys) if key in _FIRST]:
        key = keys[i]
        if key == "here" and i and _starts_message(text, words, keys, i - 1):
            cued.setdefault(i - 1, "weak")  # "zainab here", "hiya jade here"
        for rest, strength in _CUES.get(key, ()):
            after = i + 1 + len(rest)
            if after < len(keys) and tuple(keys[i + 1 : after]) == rest:
                if strength != "weak" or after not in cued:
                    cued[after] = strength
    tail = text[-_TAIL:]
    if any(mark in tail for mark in "-–—~") or "from" in tail.lower():
        sign_off = _SIGN_OFF.search(text, max(0, len(text) - _TAIL))
        if sign_off is not None:
            at = sign_off.start("name")
            cued.setdefault(next(i for i, w in enumerate(words) if w.start() == at), "weak")
    return cued


def _starts_message(text: str, words: list[re.Match[str]], keys: list[str], i: int) -> bool:
    """Word `i` (followed by a space) opens the message or a sentence, or follows a greeting."""
    if text[words[i].end() : words[i + 1].start()] != " ":
        return False
    left = text[: words[i].start()].rstrip()
    return not left or left[-1] in ".!?\n" or (i > 0 and keys[i - 1] in GREETING)
