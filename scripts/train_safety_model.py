"""Train the disclosure detector's small model (flows/safety/model.json).

Reads ONLY the tuning split (tests/safety/corpus_tuning.tsv): the held-out split is never
trained on, so its figures stay honest. Multinomial logistic regression (one class per
kind of harm, plus "none") over the features in flows/safety/model.py, fitted by full-batch
Adam in numpy (numpy comes with highspy, already a dependency). Deterministic: the same
corpus gives the same file, and the file records the SHA-256 of the corpus's rows so a test can tell
when the model is stale.

The threshold on the chance of harm is chosen by 5-fold cross-validation inside the tuning
split, on the model alone: where at most 5% of ordinary lines would get the calm question
(the detector never lets the model pause a conversation).

Run: .venv/bin/python scripts/train_safety_model.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.safety.model import NONE, features, length_scale  # noqa: E402
from flows.safety.phrasebook import read_phrasebook  # noqa: E402
from tests.safety.corpus import TUNING, digest, read  # noqa: E402

OUT = ROOT / "flows" / "safety" / "model.json"
PHRASES = ROOT / "flows" / "safety" / "phrases.yml"
MIN_LINES = 3  # a feature must appear in at least this many lines to be kept
L2 = 1e-4
STEPS = 300
SCALE = 1000  # weights are stored as integers, in thousandths
KEEP = 0.05  # features whose weights are all smaller than this are left out of the file
FOLDS = 5
BENIGN_ASKED = 0.05


class Sparse:
    """Lines as a sparse matrix: each line's known features, scaled by its length as
    flows/safety/model.py does."""

    def __init__(self, docs: list[list[str]], vocab: dict[str, int]) -> None:
        starts, cols, vals = [0], [], []
        for doc in docs:
            distinct = set(doc)
            known = sorted(vocab[f] for f in distinct if f in vocab)
            cols += known
            vals += [length_scale(len(distinct))] * len(known)
            starts.append(len(cols))
        self.n_rows, self.n_cols = len(docs), len(vocab)
        self.cols = np.array(cols)
        self.vals = np.array(vals)
        self.rows = np.repeat(np.arange(len(docs)), np.diff(starts))

    def take(self, rows: np.ndarray) -> Sparse:
        keep = np.isin(self.rows, rows)
        new = object.__new__(Sparse)
        remap = np.full(self.n_rows, -1)
        remap[rows] = np.arange(len(rows))
        new.n_rows, new.n_cols = len(rows), self.n_cols
        new.cols, new.vals, new.rows = self.cols[keep], self.vals[keep], remap[self.rows[keep]]
        return new

    def times(self, w: np.ndarray) -> np.ndarray:
        """X @ w"""
        parts = w[self.cols] * self.vals[:, None]
        return np.stack(
            [np.bincount(self.rows, parts[:, k], self.n_rows) for k in range(w.shape[1])], axis=1
        )

    def t_times(self, g: np.ndarray) -> np.ndarray:
        """X.T @ g"""
        parts = g[self.rows] * self.vals[:, None]
        return np.stack(
            [np.bincount(self.cols, parts[:, k], self.n_cols) for k in range(g.shape[1])], axis=1
        )


def chances(x: Sparse, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    scores = x.times(w) + b
    scores -= scores.max(axis=1, keepdims=True)
    p = np.exp(scores)
    return p / p.sum(axis=1, keepdims=True)


def fit(x: Sparse, y: np.ndarray, n_cls: int) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch Adam on the mean cross-entropy plus an L2 penalty."""
    w = np.zeros((x.n_cols, n_cls))
    b = np.zeros(n_cls)
    onehot = np.eye(n_cls)[y]
    moments = [(np.zeros_like(w), np.zeros_like(w)), (np.zeros_like(b), np.zeros_like(b))]
    lr, beta1, beta2 = 0.1, 0.9, 0.999
    for step in range(1, STEPS + 1):
        g = (chances(x, w, b) - onehot) / len(y)
        grads = ((w, x.t_times(g) + 2 * L2 * w, moments[0]), (b, g.sum(axis=0), moments[1]))
        for param, grad, (m, v) in grads:
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad**2
            param -= lr * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return w, b


def threshold(benign: np.ndarray, rate: float) -> float:
    """The lowest threshold at which at most `rate` of ordinary lines reach it."""
    ordered = np.sort(benign)[::-1]
    allowed = int(np.floor(rate * len(ordered)))
    return float(ordered[allowed] + 1e-6) if allowed < len(ordered) else 0.0


def main() -> None:
    normalise = read_phrasebook(PHRASES).normalise
    lines = read(TUNING)
    classes = [NONE, *sorted({line.kind for line in lines if line.expect == "notice"})]
    y = np.array([classes.index(line.kind) if line.expect == "notice" else 0 for line in lines])
    docs = [features(normalise(line.text)) for line in lines]
    counts: dict[str, int] = {}
    for doc in docs:
        for feature in set(doc):
            counts[feature] = counts.get(feature, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_LINES))}

    x = Sparse(docs, vocab)
    # Out-of-fold chances of harm, for thresholds the model has not seen the answers to.
    order = np.random.default_rng(9).permutation(len(lines))
    oof = np.zeros(len(lines))
    for fold in range(FOLDS):
        test = order[fold::FOLDS]
        train = np.setdiff1d(order, test)
        w, b = fit(x.take(train), y[train], len(classes))
        oof[test] = 1.0 - chances(x.take(test), w, b)[:, 0]
    benign = oof[y == 0]
    cut = threshold(benign, BENIGN_ASKED)
    harmful = oof[y != 0]
    print(
        f"cross-validated, model alone: threshold {cut:.3f};"
        f" disclosures noticed {np.mean(harmful >= cut):.1%},"
        f" ordinary lines asked {np.mean(benign >= cut):.1%}"
    )

    w, b = fit(x, y, len(classes))
    weights = {
        feature: [int(round(v * SCALE)) for v in w[i]]
        for feature, i in vocab.items()
        if np.abs(w[i]).max() >= KEEP
    }
    model = {
        "about": "Disclosure model for flows/safety (see scripts/train_safety_model.py). Trained"
        " only on tests/safety/corpus_tuning.tsv, the project's own synthetic corpus; same"
        " licence as the project.",
        "corpus_sha256": digest(TUNING),
        "classes": classes,
        "scale": SCALE,
        "threshold": round(cut, 4),
        "bias": [int(round(v * SCALE)) for v in b],
        "weights": weights,
    }
    OUT.write_text(
        json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
    size = OUT.stat().st_size / 1024
    print(f"{len(weights)} features kept of {len(vocab)}; {size:.0f} KiB -> {OUT}")


if __name__ == "__main__":
    main()
