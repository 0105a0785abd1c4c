"""Complementary (secondary) suppression over the catalogue tree (SDC-05, SDC-08).

If a parent's figure is shown and some of its children are hidden, the parent minus the
shown children gives the hidden ones' total away. So for every shown parent we keep
hiding further children, smallest first, until what is left over (the "remainder") is
safe to be worked out. Hiding every child always ends the search: the remainder is then
the parent itself, which was already judged safe to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from reports.gateway.inputs import ORG, Scope
from reports.gateway.tree import Tree

Safe = Callable[[Scope, Sequence[Scope]], bool]
Unit = TypeVar("Unit", Scope, str)


def trim(
    parent: Unit,
    candidates: Sequence[Unit],
    size: Callable[[Unit], int],
    safe: Callable[[Unit, Sequence[Unit]], bool],
) -> list[Unit]:
    """The candidates that may stay shown under `parent`; the rest get "hidden to protect"."""
    kept = sorted(candidates, key=lambda c: (size(c), str(c)), reverse=True)
    while kept and not safe(parent, kept):
        kept.pop()  # the smallest: hiding it costs readers the least
    return kept


def protect(
    tree: Tree,
    eligible: Callable[[Scope], bool],
    size: Callable[[Scope], int],
    safe: Safe,
) -> frozenset[Scope]:
    """Nodes whose figure may be shown: eligible, under a shown parent, and trimmed."""
    if not eligible(ORG):
        return frozenset()
    shown = [ORG]
    for parent in shown:
        candidates = [c for c in tree.children.get(parent, ()) if eligible(c)]
        shown.extend(trim(parent, candidates, size, safe))
    return frozenset(shown)


def k_safe(values: Mapping[Scope, int], k: int) -> Safe:
    """The remainder is either nobody or at least k people."""

    def safe(parent: Scope, kept: Sequence[Scope]) -> bool:
        rest = values[parent] - sum(values[c] for c in kept)
        return rest == 0 or rest >= k

    return safe


def k_protect(
    tree: Tree, values: Mapping[Scope, int], k: int, allowed: frozenset[Scope] | None
) -> frozenset[Scope]:
    """Nodes whose count (at least k) can be shown without any remainder under k."""
    return protect(
        tree,
        eligible=lambda n: values[n] >= k and (allowed is None or n in allowed),
        size=lambda n: values[n],
        safe=k_safe(values, k),
    )
