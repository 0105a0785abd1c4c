"""A small linear model that notices worrying wordings the phrase file was never written for.

Multinomial logistic regression over word unigrams, word bigrams and character 3-5-grams
of the folded text (the same folding the phrases see), trained by
``scripts/train_safety_model.py`` on the tuning split of tests/safety's corpus only. Its
weights ship in ``model.json`` (trained on the project's own synthetic corpus; the
project's licence; no download, no framework): scoring is a sum of weights, in plain Python.

``judge`` says which kind of harm is most likely and how sure the model is: the chance of
"none" must fall below the thresholds that training chose by cross-validation for
"possible" and "clear".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

NONE = "none"
# A message's features count for less the more it has, so a long message does not
# outvote a short one; but never for more than a message of this many features, so two
# words ("they listen", "no") cannot add up to a worry on their own.
_FLOOR = 64
# The model says nothing about shorter messages, and only "possible" below _CLEAR_WORDS.
_MIN_WORDS = 3
_CLEAR_WORDS = 5


def length_scale(distinct: int) -> float:
    """The weight each of a message's `distinct` features gets (shared with training)."""
    return 1.0 / math.sqrt(max(distinct, _FLOOR))


def features(canonical: str) -> list[str]:
    """Word unigrams and bigrams, and character 3-5-grams of each word with its edges
    marked, so "suicdal" still shares most of its pieces with "suicidal"."""
    words = canonical.split()
    found = [f"w {word}" for word in words]
    found += [f"b {a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in words:
        padded = f"<{word}>"
        for size in (3, 4, 5):
            found += [f"c {padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return found


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    possible: float
    clear: float

    def probabilities(self, canonical: str) -> dict[str, float]:
        distinct = set(features(canonical))
        sums = [0.0] * len(self.classes)
        for feature in distinct:
            row = self.weights.get(feature)
            if row is not None:
                sums = [s + w for s, w in zip(sums, row, strict=True)]
        scale = length_scale(len(distinct))
        scores = [b + s * scale for b, s in zip(self.bias, sums, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {name: e / total for name, e in zip(self.classes, exp, strict=True)}

    def judge(self, canonical: str) -> tuple[str, str] | None:
        """(kind, "clear" or "possible") when the model is worried enough, else None."""
        words = canonical.count(" ") + 1
        if words < _MIN_WORDS:
            return None
        chances = self.probabilities(canonical)
        harm = 1.0 - chances[NONE]
        if harm < self.possible:
            return None
        kind = max((name for name in self.classes if name != NONE), key=chances.__getitem__)
        sure = harm >= self.clear and words >= _CLEAR_WORDS
        return kind, "clear" if sure else "possible"


def load_model(path: Path) -> Model:
    """Read ``model.json``: classes, bias, thresholds and weights stored as integers
    (thousandths) to keep the file small."""
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = data["scale"]
    return Model(
        classes=tuple(data["classes"]),
        bias=tuple(b / scale for b in data["bias"]),
        weights={f: tuple(w / scale for w in row) for f, row in data["weights"].items()},
        possible=data["thresholds"]["possible"],
        clear=data["thresholds"]["clear"],
    )
