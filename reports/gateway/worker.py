"""A worker's own results (SDC-10): off by default; when on, bands and nothing else.

The worker sees how many young people answered as a k-wide band ("10–19") and, per item,
word bands for the share answering mostly/totally and not at all/a little. No exact
share, mean, count or quote, so a worker who knows whom they invited cannot work back to
any one young person's answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.gateway.cells import Cell
from reports.gateway.groups import Groups
from reports.gateway.inputs import Scope
from reports.gateway.item_view import answered, answered_shown
from reports.gateway.results import WorkerItem
from reports.gateway.rules import band, size_band


def respondents_band(groups: Groups, worker: Scope) -> Cell:
    if worker not in groups.shown:
        return Cell.hidden(groups.reason(worker, 0))
    return Cell.band(size_band(max(groups.published[worker], groups.k), groups.k))


def worker_item(
    groups: Groups,
    tallies: Mapping[Scope, Mapping[str, int]],
    published: Mapping[Scope, Mapping[str, int]],
    worker: Scope,
    item: str,
) -> WorkerItem:
    """Hidden on the true `tallies`; bands from the `published` ones (SDC-14)."""
    base = answered(tallies)
    if worker not in answered_shown(groups, tallies):
        hidden = Cell.hidden(groups.reason(worker, base.get(worker, 0)))
        return WorkerItem(item, hidden, hidden, hidden)
    counts = published[worker]
    n = max(1, answered(published)[worker])
    return WorkerItem(
        item,
        answered=Cell.band(size_band(max(n, groups.k), groups.k)),
        positive=Cell.band(band(counts["4"] + counts["5"], n)),
        negative=Cell.band(band(counts["1"] + counts["2"], n)),
    )
