"""Generated datasets for the differencing harness: teams, workers and months of counts.

A dataset is a list of atoms: the smallest groups the database could count (one month,
one team, one worker or none). Every catalogue figure is a sum of atoms, so the harness
knows the true value behind anything the gateway shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hypothesis import strategies as st

from reports.gateway import ItemCounts, Period, Population, months

CATEGORIES = ("1", "2", "3", "4", "5", "skip", "pns")
ITEMS = ("trust", "heard")
THEMES = ("heard", "time", "family")
MONTHS = ("2026-07", "2026-08", "2026-09")


@dataclass(frozen=True)
class Atom:
    month: str
    team: str
    worker: str | None
    size: int
    answers: dict[str, dict[str, int]]  # item -> category -> count
    themes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    k: int
    kind: str
    workers_on: bool
    atoms: list[Atom]
    workers: dict[str, str]  # worker -> team

    def periods(self) -> list[Period]:
        return (
            [Period.parse(m) for m in MONTHS] if self.kind == "month" else [Period.parse("2026-Q3")]
        )

    def atoms_in(self, period: Period) -> list[Atom]:
        return [a for a in self.atoms if a.month in months(period)]

    def inputs(self, period: Period):
        """What the database would hand the gateway for one period."""
        sizes: dict[str, int] = defaultdict(int)
        items: dict[str, dict[str, dict[str, int]]] = {
            i: defaultdict(lambda: defaultdict(int)) for i in ITEMS
        }
        themes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for team in {a.team for a in self.atoms}:
            sizes[team] += 0
        for worker in self.workers:
            sizes[worker] += 0
        for atom in self.atoms_in(period):
            units = [atom.team] + ([atom.worker] if atom.worker else [])
            for unit in units:
                sizes[unit] += atom.size
                for item, counts in atom.answers.items():
                    for cat, n in counts.items():
                        items[item][unit][cat] += n
                if unit == atom.team:
                    for theme, n in atom.themes.items():
                        themes[unit][theme] += n
        pop = Population(dict(sizes), dict(self.workers))
        counts = {
            i: [ItemCounts(u, dict(c)) for u, c in by_unit.items()] for i, by_unit in items.items()
        }
        return pop, counts, {u: dict(t) for u, t in themes.items()}


@st.composite
def _split(draw: st.DrawFn, total: int, choices: list[str]) -> dict[str, int]:
    """total people spread over a few categories (one category: everyone the same)."""
    out: dict[str, int] = {}
    left = total
    for cat in choices[:-1]:
        out[cat] = draw(st.integers(0, left))
        left -= out[cat]
    out[choices[-1]] = left
    return out


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    k = draw(st.sampled_from([5, 7, 10]))
    kind = draw(st.sampled_from(["month", "quarter"]))
    workers_on = draw(st.booleans())
    atoms: list[Atom] = []
    workers: dict[str, str] = {}
    for t in range(draw(st.integers(1, 4))):
        team = f"team{t}"
        slots: list[str | None] = [f"{team}-w{i}" for i in range(draw(st.integers(0, 2)))]
        workers.update({w: team for w in slots if w})
        # A team's habits: the few answers its members give (one answer = unanimous).
        habits = {
            item: draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True))
            for item in ITEMS
        }
        theme_habits = draw(st.lists(st.sampled_from(THEMES), max_size=2, unique=True))
        for month in MONTHS:
            for slot in [*slots, None]:
                size = draw(st.integers(0, 16 if slot is None else 12))
                answers = {item: draw(_split(size, habits[item])) for item in ITEMS}
                themes = {th: draw(st.integers(0, size)) for th in theme_habits}
                atoms.append(Atom(month, team, slot, size, answers, themes))
    return Dataset(k, kind, workers_on, atoms, workers)
