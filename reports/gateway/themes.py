"""Coded themes with counts (SDC-11): how many young people's comments carry each theme.

Each theme is its own count over the catalogue tree, protected against subtraction like
any other count. Rows are always the whole theme catalogue in its own order, whether or
not anyone mentioned a theme, so neither a row's presence nor its position says anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reports.gateway.cells import Cell
from reports.gateway.groups import Groups
from reports.gateway.inputs import Scope


def theme_cells(
    groups: Groups,
    tallies: Mapping[Scope, Mapping[str, int]],
    theme_ids: Sequence[str],
    published: Mapping[Scope, Mapping[str, int]],
) -> dict[str, dict[Scope, Cell]]:
    """theme -> unit -> shown cell, for the organisation and every team; hidden on the
    true `tallies`, printed from the `published` ones (SDC-14)."""
    out: dict[str, dict[Scope, Cell]] = {}
    for theme in theme_ids:
        values = {node: counts.get(theme, 0) for node, counts in tallies.items()}
        shown = groups.counts_shown(values, with_workers=False)
        out[theme] = {
            node: groups.count_cell(node, values[node], shown, True, published[node].get(theme, 0))
            for node in values
            if node.level != "worker"
        }
    return out
