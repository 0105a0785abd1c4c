"""Read the safety corpus (tests/safety/corpus_*.tsv) and measure a detector on it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
TUNING = HERE / "corpus_tuning.tsv"
HELD_OUT = HERE / "corpus_heldout.tsv"
COLUMNS = ("expect", "kind", "lang", "register", "tier", "text")


@dataclass(frozen=True)
class Line:
    expect: str  # "notice" or "not"
    kind: str
    lang: str
    register: str
    tier: str  # "clear" or "possible" for "notice"; "-" for "not"
    text: str


def read(path: Path) -> list[Line]:
    rows = [
        row.split("\t")
        for row in path.read_text(encoding="utf-8").splitlines()
        if row.strip() and not row.startswith("#")
    ]
    if tuple(rows[0]) != COLUMNS:
        raise ValueError(f"{path}: header must be {COLUMNS}")
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise ValueError(f"{path}: row {number} has {len(row)} columns: {row}")
        lines.append(Line(*row))
    return lines


def digest(path: Path) -> str:
    """SHA-256 of a corpus file's rows (comments left out, so notes can change)."""
    rows = [row for row in path.read_text(encoding="utf-8").splitlines() if not row.startswith("#")]
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


@dataclass
class Tally:
    """Counts for one slice of the corpus: disclosures noticed and benign lines flagged."""

    notice: int = 0
    noticed: int = 0
    clear: int = 0
    benign: int = 0
    asked: int = 0  # benign lines that got the calm question
    paused: int = 0  # benign lines that paused

    def add(self, line: Line, tier: str | None) -> None:
        if line.expect == "notice":
            self.notice += 1
            self.noticed += tier is not None
            self.clear += tier == "clear"
        else:
            self.benign += 1
            self.asked += tier == "possible"
            self.paused += tier == "clear"

    def rate(self, name: str) -> float:
        total = self.notice if name in ("noticed", "clear") else self.benign
        return getattr(self, name) / total if total else 0.0

    def describe(self) -> str:
        parts = []
        if self.notice:
            parts.append(
                f"noticed {self.noticed}/{self.notice} {self.rate('noticed'):.0%},"
                f" clear {self.clear}/{self.notice} {self.rate('clear'):.0%}"
            )
        if self.benign:
            parts.append(
                f"benign asked {self.asked}/{self.benign} {self.rate('asked'):.1%},"
                f" paused {self.paused}/{self.benign} {self.rate('paused'):.1%}"
            )
        return "; ".join(parts)


def measure(
    lines: Iterable[Line], tier_of: Callable[[str], str | None]
) -> tuple[Tally, dict[str, Tally], list[tuple[Line, str | None]]]:
    """The whole-split tally, tallies by kind and by language, and every result."""
    total = Tally()
    slices: dict[str, Tally] = defaultdict(Tally)
    results = []
    for line in lines:
        tier = tier_of(line.text)
        results.append((line, tier))
        total.add(line, tier)
        slices[f"lang {line.lang}"].add(line, tier)
        if line.expect == "notice" or line.kind != "none":
            slices[f"kind {line.kind}"].add(line, tier)
    return total, dict(sorted(slices.items())), results
