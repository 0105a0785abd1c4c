"""A small linear model that notices worrying wordings the phrase file was never written for.

Multinomial logistic regression over word unigrams, word bigrams and character 3-5-grams
of the folded text (the same folding the phrases see), trained by
``scripts/train_safety_model.py`` on the tuning split of tests/safety's corpus only. Its
weights ship in ``model.json`` (trained on the project's own synthetic corpus; the
project's licence; no download, no framework): scoring is a sum of weights, in plain Python.

``judge`` says which kind of harm is most likely when the chance of harm reaches the
threshold that training chose by cross-validation. The detector only ever turns that into
the calm question, never a pause: a word-counting model cannot be sure.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NONE = "none"
# A message's features count for less the more it has, so a long message does not
# outvote a short one; but never for more than a message of this many features, so two
# words ("they listen", "no") cannot add up to a worry on their own.
_FLOOR = 64
# The model says nothing about shorter messages.
_MIN_WORDS = 3


def length_scale(distinct: int) -> float:
    """The weight each of a message's `distinct` features gets (shared with training)."""
    return 1.0 / math.sqrt(max(distinct, _FLOOR))


def features(canonical: str) -> list[str]:
    """Word unigrams and bigrams, and character 3-5-grams of each word with its edges
    marked, so "suicdal" still shares most of its pieces with "suicidal"."""
    words = canonical.split()
    found = [f"b {a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in words:
        found += _word_features(word)
    return found


@lru_cache(maxsize=8192)
def _word_features(word: str) -> tuple[str, ...]:
    """A word's own features; cached, as the same words come again and again."""
    padded = f"<{word}>"
    grams = [
        f"c {padded[i : i + size]}" for size in (3, 4, 5) for i in range(len(padded) - size + 1)
    ]
    return (f"w {word}", *grams)


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    threshold: float

    def probabilities(self, canonical: str) -> dict[str, float]:
        distinct = set(features(canonical))
        rows = [row for feature in distinct if (row := self.weights.get(feature)) is not None]
        sums = [sum(column) for column in zip(*rows, strict=True)] or [0.0] * len(self.classes)
        scale = length_scale(len(distinct))
        scores = [b + s * scale for b, s in zip(self.bias, sums, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {name: e / total for name, e in zip(self.classes, exp, strict=True)}

    def judge(self, canonical: str) -> str | None:
        """The likeliest kind of harm when the model is worried enough, else None."""
        if canonical.count(" ") + 1 < _MIN_WORDS:
            return None
        chances = self.probabilities(canonical)
        if 1.0 - chances[NONE] < self.threshold:
            return None
        return max((name for name in self.classes if name != NONE), key=chances.__getitem__)


def load_model(path: Path) -> Model:
    """Read ``model.json``: classes, bias, threshold and weights stored as integers
    (thousandths) to keep the file small."""
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = data["scale"]
    return Model(
        classes=tuple(data["classes"]),
        bias=tuple(b / scale for b in data["bias"]),
        weights={f: tuple(w / scale for w in row) for f, row in data["weights"].items()},
        threshold=data["threshold"],
    )
