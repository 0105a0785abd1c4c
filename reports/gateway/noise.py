"""Published counts: the true counts moved by their cell keys (SDC-14, see `cellkey.py`).

Suppression is decided on true counts; what is shown is computed from published ones.
Every team (and worker) count gets its own noise; the organisation's published count is
the sum of its teams' published counts (teams with anyone in the period), so subtracting
the other teams from the organisation gives back only the same noisy figure for a team,
never a cleaner one.
With noise off (a deployment's choice) published counts are the true counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.gateway.cellkey import CellKeys
from reports.gateway.inputs import ORG, Scope
from reports.gateway.tree import Tree

Tallies = Mapping[Scope, Mapping[str, int]]
Keys = Mapping[str, Mapping[str, int]]  # unit id -> category -> record-key sum


def cell_id(period: str, node: Scope, measure: str, category: str) -> str:
    """A cell's stable name: the same cell on any page or export gets the same key."""
    return f"{period}|{node.level}:{node.unit_id}|{measure}|{category}"


def publish(
    noise: CellKeys | None,
    period: str,
    measure: str,
    tree: Tree,
    tallies: Tallies,
    keys: Keys,
) -> dict[Scope, dict[str, int]]:
    """Published counts for every node of the tree, by category."""
    out: dict[Scope, dict[str, int]] = {}
    for node in reversed(tree.top_down()):
        if node == ORG:
            continue
        own = tallies[node]
        if noise is None:
            out[node] = dict(own)
            continue
        record = keys.get(node.unit_id, {})
        out[node] = {
            cat: noise.publish(cell_id(period, node, measure, cat), n, record.get(cat, 0))
            for cat, n in own.items()
        }
    # Teams with nobody in the period add nothing (their noise would only inflate totals).
    teams = [t for t in tree.children.get(ORG, ()) if tree.respondents[t] > 0]
    out[ORG] = {cat: sum(out[t][cat] for t in teams) for cat in tallies[ORG]}
    return out


def publish_respondents(
    noise: CellKeys | None, period: str, tree: Tree, keys: Mapping[str, int]
) -> dict[Scope, int]:
    """Published numbers of young people per node (organisation: the sum of its teams)."""
    tallies = {node: {"n": n} for node, n in tree.respondents.items()}
    record = {unit: {"n": k} for unit, k in keys.items()}
    return {
        node: c["n"]
        for node, c in publish(noise, period, "respondents", tree, tallies, record).items()
    }
