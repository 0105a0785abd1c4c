"""Text normalisation shared by the theme tagger and the emerging-theme clusterer.

Both sides must see a comment the same way: lower-case words with contractions split
("doesn't" -> "does not"), text-speak spelled out ("u" -> "you", "dont" -> "do not") and
punctuation kept as clause markers. `stem` is lemmatisation-lite: a handful of suffix rules
plus a small table of irregular verbs. It is not linguistically right ("care" -> "car"); it only
has to map a lexicon phrase and a comment's words to the same key.

>>> tokenise("She doesn't listen, u know")
['she', 'does', 'not', 'listen', ',', 'you', 'know']
>>> [stem(w) for w in ("cancelled", "cancels", "making", "make", "replies")]
['cancel', 'cancel', 'mak', 'mak', 'reply']
"""

from __future__ import annotations

import re

PUNCTUATION = frozenset(".,;:!?()")

# Words young people type without an apostrophe or in text-speak, spelled out so the
# lexicon only needs the standard form.
_ALIASES: dict[str, tuple[str, ...]] = {
    "u": ("you",), "ya": ("you",), "yu": ("you",), "ur": ("your",), "yr": ("your",),
    "r": ("are",), "pls": ("please",), "plz": ("please",), "coz": ("because",),
    "cos": ("because",), "cuz": ("because",), "bc": ("because",), "ppl": ("people",),
    "txt": ("text",), "msg": ("message",), "msgs": ("messages",), "convo": ("conversation",),
    "rly": ("really",), "gd": ("good",), "nvr": ("never",), "sum1": ("someone",),
    "some1": ("someone",), "any1": ("anyone",), "no1": ("no", "one"), "appt": ("appointment",),
    "appts": ("appointments",), "mam": ("mum",), "mom": ("mum",), "gonna": ("going", "to"),
    "wanna": ("want", "to"), "gotta": ("got", "to"), "tho": ("though",), "thru": ("through",),
    "dont": ("do", "not"), "doesnt": ("does", "not"), "didnt": ("did", "not"),
    "cant": ("can", "not"), "cannot": ("can", "not"), "wont": ("will", "not"),
    "isnt": ("is", "not"), "wasnt": ("was", "not"), "arent": ("are", "not"),
    "werent": ("were", "not"), "havent": ("have", "not"), "hasnt": ("has", "not"),
    "hadnt": ("had", "not"), "shouldnt": ("should", "not"), "wouldnt": ("would", "not"),
    "couldnt": ("could", "not"), "aint": ("is", "not"), "dnt": ("do", "not"),
    "judgmental": ("judgemental",), "patronizing": ("patronising",),
}

_IRREGULAR = {
    "made": "make", "said": "say", "told": "tell", "kept": "keep", "felt": "feel",
    "gave": "give", "given": "give", "came": "come", "took": "take", "taken": "take",
    "went": "go", "gone": "go", "goes": "go", "going": "go",
    "doing": "do", "does": "do", "did": "do", "done": "do",
    "got": "get", "gotten": "get", "left": "leave", "heard": "hear", "thought": "think",
    "brought": "bring", "understood": "understand", "forgot": "forget",
    "forgotten": "forget", "spent": "spend", "broke": "break", "broken": "break",
    "let": "let", "put": "put", "used": "use", "using": "use", "uses": "use",
    "children": "child", "people": "people", "was": "be", "were": "be", "is": "be",
    "are": "be", "am": "be", "been": "be", "being": "be",
}

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?()]")
_CLITICS = ("'s", "'re", "'ve", "'ll", "'d", "'m")


def tokenise(text: str) -> list[str]:
    """Lower-case word and punctuation tokens with contractions and text-speak expanded."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\n", " . ")  # a line break ends a sentence as a full stop does
    tokens: list[str] = []
    for raw in _WORD.findall(text):
        if raw.endswith("n't"):
            base = {"won't": "will", "can't": "can", "shan't": "shall"}.get(raw, raw[:-3])
            tokens.extend((base, "not"))
            continue
        for clitic in _CLITICS:
            if raw.endswith(clitic):
                raw = raw[: -len(clitic)]
                break
        raw = raw.replace("'", "")
        tokens.extend(_ALIASES.get(raw, (raw,)))
    return tokens


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        return word[:-1]
    return word


def stem(word: str) -> str:
    """Map inflected forms of a word to one key (listens/listened/listening -> listen)."""
    if word in _IRREGULAR:
        word = _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ness") and len(word) > 6:
        word = word[:-4]
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    word = _undouble(word)
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word
