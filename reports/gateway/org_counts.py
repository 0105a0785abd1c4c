"""Organisation-only figures such as "safety messages shown" (CC-20), by category with a total.

They are counts of events, kept unlinked from any response, and appear only at
organisation level: exact when at least k, hidden below it, with further categories
hidden when the total minus the shown ones would give a hidden one away (SDC-05).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reports.gateway.cells import PROTECTED, Cell, fewer_than
from reports.gateway.complement import trim
from reports.gateway.inputs import count
from reports.gateway.results import Row, Table


def org_table(period: str, title: str, counts: Mapping[str, int], k: int) -> Table:
    values = {key: count(n) for key, n in counts.items()}
    total = sum(values.values())

    def safe(_: str, kept: Sequence[str]) -> bool:
        rest = total - sum(values[c] for c in kept)
        return rest == 0 or rest >= k

    eligible = [key for key, n in values.items() if n >= k] if total >= k else []
    shown = set(trim("total", eligible, values.__getitem__, safe))
    rows = tuple(Row(key, (_cell(n, key in shown, k),)) for key, n in values.items())
    return Table(
        period, title, "category", ("count",), rows, Row("total", (_cell(total, total >= k, k),))
    )


def _cell(n: int, shown: bool, k: int) -> Cell:
    if shown:
        return Cell.number(n, str(n))
    return Cell.hidden(fewer_than(k) if n < k else PROTECTED)
