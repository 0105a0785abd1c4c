"""Everything shown about one item in one period, for every catalogue unit at once.

Decisions are taken for the whole catalogue together, never page by page, so the team
page, the comparison table, the trend and the export all hide the same cells (SDC-05,
SDC-12). Three things are protected against subtraction, each over the same tree:
who answered the item (the base of the shares), who skipped, who preferred not to say.
Exact shares get one more check: the parent's shares minus its children's exact shares
must not expose a small left-over group in which everyone, or no one, gave an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reports.gateway.cells import PROTECTED, Cell
from reports.gateway.complement import Safe, trim
from reports.gateway.groups import Groups
from reports.gateway.inputs import SCALE, Scope
from reports.gateway.shares import Shares, present


@dataclass(frozen=True)
class UnitItem:
    """One unit's shown figures for one item."""

    respondents: Cell
    answered: Cell
    points: tuple[Cell, ...]
    skip: Cell
    pns: Cell
    mean: Cell


def answered(tallies: Mapping[Scope, Mapping[str, int]]) -> dict[Scope, int]:
    return {node: sum(c[p] for p in SCALE) for node, c in tallies.items()}


def answered_shown(groups: Groups, tallies: Mapping[Scope, Mapping[str, int]]) -> frozenset[Scope]:
    """Units whose answers to the item can be described (at least k, safe remainders)."""
    return groups.counts_shown(answered(tallies), with_workers=True)


def item_cells(
    groups: Groups,
    tallies: Mapping[Scope, Mapping[str, int]],
    published: Mapping[Scope, Mapping[str, int]] | None = None,
) -> dict[Scope, UnitItem]:
    """Shown figures for the organisation and every team (workers: see `worker_view`).

    Which cells are hidden is decided on the true `tallies`; shares, means and counts are
    computed from the `published` ones (with their cell-key noise, SDC-14)."""
    pub = tallies if published is None else published
    base = answered(tallies)
    pub_base = answered(pub)
    described = answered_shown(groups, tallies)
    shares = {
        node: present([pub[node][p] for p in SCALE], groups.k)
        for node in described
        if node.level != "worker"
    }
    _protect_exact_shares(groups, tallies, shares)
    skips = groups.counts_shown({n: c["skip"] for n, c in tallies.items()}, with_workers=False)
    pnss = groups.counts_shown({n: c["pns"] for n, c in tallies.items()}, with_workers=False)
    cells = {}
    for node in groups.tree.top_down():
        if node.level == "worker":
            continue
        shown = shares.get(node)
        if shown is None:
            hidden = Cell.hidden(groups.reason(node, base[node]))
            shown = Shares((hidden,) * len(SCALE), hidden, exact=False)
        cells[node] = UnitItem(
            respondents=groups.respondents_cell(node),
            answered=groups.count_cell(node, base[node], described, False, pub_base[node]),
            points=shown.points,
            skip=groups.count_cell(node, tallies[node]["skip"], skips, True, pub[node]["skip"]),
            pns=groups.count_cell(node, tallies[node]["pns"], pnss, True, pub[node]["pns"]),
            mean=shown.mean,
        )
    return cells


def _protect_exact_shares(
    groups: Groups, tallies: Mapping[Scope, Mapping[str, int]], shares: dict[Scope, Shares]
) -> None:
    """Hide exact children whose subtraction from the parent would expose a small group."""
    tree = groups.tree
    safe = _left_over_safe(groups.k, tallies, shares)
    hidden = Cell.hidden(PROTECTED)
    for parent in tree.top_down():
        if parent not in shares:
            continue
        exact = [c for c in tree.children.get(parent, ()) if c in shares and shares[c].exact]
        kept = trim(parent, exact, size=lambda n: sum(tallies[n][p] for p in SCALE), safe=safe)
        for child in set(exact) - set(kept):
            shares[child] = Shares((hidden,) * len(SCALE), hidden, exact=False)


def _left_over_safe(
    k: int, tallies: Mapping[Scope, Mapping[str, int]], shares: Mapping[Scope, Shares]
) -> Safe:
    def safe(parent: Scope, kept: Sequence[Scope]) -> bool:
        rest = [tallies[parent][p] - sum(tallies[c][p] for c in kept) for p in SCALE]
        total = sum(rest)
        if total == 0 or total >= 2 * k:
            return True  # nobody left over, or a large group (SDC-04 allows its 0%/100%)
        if total < k:
            return False
        parent_total = sum(tallies[parent][p] for p in SCALE)
        exact = shares[parent].exact
        for point, left in zip(SCALE, rest, strict=True):
            # A left-over none/all is already public when the parent shows exactly 0%/100%.
            if left == 0 and not (exact and tallies[parent][point] == 0):
                return False
            if left == total and not (exact and tallies[parent][point] == parent_total):
                return False
        return True

    return safe
