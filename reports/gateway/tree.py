"""The catalogue as a tree: organisation -> teams -> workers, with checked counts per node.

The organisation's figures are always the sum of its teams' unrounded figures (SDC-06),
so no total is taken on trust from outside. Workers are nodes only when the deployment
shows worker results (SDC-10); otherwise their submissions simply count in their team.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reports.gateway.inputs import ORG, InputError, Population, Scope, count


@dataclass(frozen=True)
class Tree:
    """Catalogue units for one period with their respondent counts."""

    children: Mapping[Scope, tuple[Scope, ...]]
    respondents: Mapping[Scope, int]

    def top_down(self) -> list[Scope]:
        """Every node, parents before their children."""
        order = [ORG]
        for node in order:
            order.extend(self.children.get(node, ()))
        return order

    def find(self, scope: Scope) -> Scope | None:
        return scope if scope in self.respondents else None


def build_tree(population: Population, with_workers: bool) -> Tree:
    parents = dict(population.parents)
    sizes = {unit: count(n) for unit, n in population.respondents.items()}
    teams = sorted(unit for unit in sizes if unit not in parents)
    for team in parents.values():
        if team not in sizes or team in parents:
            raise InputError("every worker must belong to a team with respondents")
    respondents: dict[Scope, int] = {ORG: sum(sizes[t] for t in teams)}
    children: dict[Scope, tuple[Scope, ...]] = {ORG: tuple(Scope.team(t) for t in teams)}
    for team in teams:
        workers = sorted(w for w, t in parents.items() if t == team and w in sizes)
        if sum(sizes[w] for w in workers) > sizes[team]:
            raise InputError("a team's workers cannot have more respondents than the team")
        respondents[Scope.team(team)] = sizes[team]
        if with_workers:
            children[Scope.team(team)] = tuple(Scope.worker(w) for w in workers)
            respondents.update({Scope.worker(w): sizes[w] for w in workers})
    return Tree(children, respondents)


def tally(
    tree: Tree,
    population: Population,
    rows: Iterable[tuple[str, Mapping[str, int]]],
    keys: Iterable[str] | None,
    *,
    additive: bool,
) -> dict[Scope, dict[str, int]]:
    """Per-node counts by key, with the organisation as the sum of its teams.

    keys: the allowed keys (None: any). additive: the keys partition a respondent (answer
    categories), so together they may not exceed the node's respondents; otherwise
    (themes) each key alone may not.
    """
    allowed = None if keys is None else frozenset(keys)
    found: dict[Scope, dict[str, int]] = {}
    for unit_id, counts in rows:
        scope = _scope_of(unit_id, population)
        if scope in found:
            raise InputError("each unit may appear only once")
        if allowed is not None and not allowed.issuperset(counts):
            raise InputError("unknown answer category")
        checked = {key: count(n) for key, n in counts.items()}
        if scope.level == "worker" and scope not in tree.respondents:
            continue  # worker results are off: the team's own counts already include these
        found[scope] = checked
    every_key = sorted(allowed if allowed is not None else {k for c in found.values() for k in c})
    result: dict[Scope, dict[str, int]] = {}
    for node in reversed(tree.top_down()):
        if node == ORG:
            own = {key: sum(result[t][key] for t in tree.children[ORG]) for key in every_key}
        else:
            own = {key: found.get(node, {}).get(key, 0) for key in every_key}
        _check_within(own, tree.respondents[node], additive)
        for child in tree.children.get(node, ()):
            if any(result[child][key] > own[key] for key in every_key):
                raise InputError("a worker's counts cannot exceed their team's")
        result[node] = own
    return result


def _scope_of(unit_id: str, population: Population) -> Scope:
    if unit_id not in population.respondents:
        raise InputError("counts given for a unit with no respondents")
    if unit_id in population.parents:
        return Scope.worker(unit_id)
    return Scope.team(unit_id)


def _check_within(counts: Mapping[str, int], respondents: int, additive: bool) -> None:
    total = sum(counts.values()) if additive else max(counts.values(), default=0)
    if total > respondents:
        raise InputError("more answers than respondents")
