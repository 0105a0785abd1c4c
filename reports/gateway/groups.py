"""Which groups (organisation, teams, workers) can be shown at all in one period.

A group is shown when it has at least k respondents and hiding it would not be undone by
subtraction (SDC-02, SDC-05). This one decision is shared by every item, theme and page of
the period, so no page shows a group that another page hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reports.gateway.cells import PROTECTED, Cell, fewer_than
from reports.gateway.complement import k_protect
from reports.gateway.inputs import Scope
from reports.gateway.rules import ALMOST_ALL, count_text, margin, small
from reports.gateway.tree import Tree


@dataclass(frozen=True)
class Groups:
    """The period's catalogue tree, the groups shown in it, and k: the basis of every cell."""

    tree: Tree
    shown: frozenset[Scope]
    k: int
    published: Mapping[Scope, int]  # young people per node as shown (SDC-14, `noise.py`)

    @classmethod
    def decide(cls, tree: Tree, k: int, published: Mapping[Scope, int] | None = None) -> Groups:
        shown = k_protect(tree, tree.respondents, k, allowed=None)
        return cls(tree, shown, k, tree.respondents if published is None else published)

    def reason(self, node: Scope, n: int) -> str:
        """Why a figure of size n about `node` is hidden."""
        if node not in self.shown:
            n = self.tree.respondents.get(node, 0)
        if n < self.k:
            return fewer_than(self.k)
        return PROTECTED

    def count_cell(
        self,
        node: Scope,
        n: int,
        shown: frozenset[Scope],
        of_group: bool = True,
        published: int | None = None,
    ) -> Cell:
        """A count about `node`: hidden, exact (organisation), or rounded to 5 (SDC-06).

        n is the true count, which decides (with `shown`) whether and why it is hidden;
        `published` is the count with its noise (`noise.py`, default n), which is what is
        printed, never below k.
        of_group: the count is a part of the group (e.g. who skipped), so a near-all count
        in a small group is shown as "almost all" (SDC-04).
        """
        if node not in shown:
            return Cell.hidden(self.reason(node, n))
        n = n if published is None else published
        group = self.published[node]
        if of_group and small(group, self.k) and n >= group - margin(group):
            return Cell.band(ALMOST_ALL)
        value, text = count_text(max(n, self.k), exact=node.level == "org")
        return Cell.number(value, text)

    def respondents_cell(self, node: Scope) -> Cell:
        n = self.tree.respondents.get(node, 0)
        return self.count_cell(node, n, self.shown, False, self.published.get(node, n))

    def counts_shown(self, values: Mapping[Scope, int], *, with_workers: bool) -> frozenset[Scope]:
        """Nodes where a count (skip, a theme, ...) of at least k can be shown safely."""
        allowed = (
            self.shown if with_workers else frozenset(n for n in self.shown if n.level != "worker")
        )
        return k_protect(self.tree, values, self.k, allowed)
