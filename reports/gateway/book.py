"""A period's book: every cell any page or export can show for one period, audited once.

The gateway computes all of a period's figures together (each item for the organisation
and every team, each theme table, the safety counts), writes what they say as linear
constraints for the auditor (`auditor.py`), hides what the auditor asks, and only then
hands cells to pages. Every page and export of the period reads this one book, so no
page shows what another page's figures would give away (SDC-05, SDC-12).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reports.gateway.auditor import COUNT, INF, MEAN, SHARE, Problem, Target, audit
from reports.gateway.cellkey import MAX_MOVE, CellKeys
from reports.gateway.cells import AUDITED, BANDED, PROTECTED, Cell, fewer_than
from reports.gateway.groups import Groups
from reports.gateway.inputs import CATEGORIES, ORG, SCALE, ItemCounts, Population, Scope
from reports.gateway.item_view import UnitItem, item_cells
from reports.gateway.noise import publish, publish_respondents
from reports.gateway.org_counts import org_table
from reports.gateway.results import Row, Table
from reports.gateway.rules import ABOUT_HALF, ALMOST_ALL, MOST, SOME, VERY_FEW, margin
from reports.gateway.themes import theme_cells
from reports.gateway.tree import Tree, build_tree, tally

Terms = dict[int, int]


@dataclass(frozen=True)
class ThemeCounts:
    """One theme table's inputs: the catalogue (every id, listed whether or not anyone
    mentioned it), team id -> theme -> distinct young people, and their record-key sums."""

    ids: Sequence[str]
    counts: Mapping[str, Mapping[str, int]]
    keys: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodInputs:
    """Everything shown for one period: the population, each item's counts, each theme
    table (by a name such as "helps"), and the organisation's safety counters."""

    population: Population
    items: Mapping[str, Sequence[ItemCounts]] = field(default_factory=dict)
    themes: Mapping[str, ThemeCounts] = field(default_factory=dict)
    safety: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Book:
    items: Mapping[str, Mapping[Scope, UnitItem]]
    themes: Mapping[str, Mapping[str, Mapping[Scope, Cell]]]  # table -> theme -> unit
    safety: Table | None
    hidden_by_audit: int


def build_book(period: str, inputs: PeriodInputs, k: int, noise: CellKeys | None) -> Book:
    tree = build_tree(inputs.population, with_workers=False)
    groups = Groups.decide(
        tree, k, publish_respondents(noise, period, tree, inputs.population.keys)
    )
    writer = _Writer(tree, groups, k, noise is not None)
    items: dict[str, dict[Scope, UnitItem]] = {}
    for item, counts in inputs.items.items():
        rows = [(c.unit_id, c.counts) for c in counts]
        tallies = tally(tree, inputs.population, rows, CATEGORIES, additive=True)
        keys = {c.unit_id: c.keys for c in counts}
        published = publish(noise, period, item, tree, tallies, keys)
        items[item] = item_cells(groups, tallies, published)
        writer.item(item, tallies, published, items[item])
    themes: dict[str, dict[str, dict[Scope, Cell]]] = {}
    for name, table in inputs.themes.items():
        tallies = tally(tree, inputs.population, table.counts.items(), table.ids, additive=False)
        published = publish(noise, period, f"themes:{name}", tree, tallies, table.keys)
        themes[name] = theme_cells(groups, tallies, table.ids, published)
        writer.themes(name, tallies, published, themes[name])
    safety = None
    if inputs.safety is not None:
        safety = org_table(period, "safety messages shown", inputs.safety, k)
        writer.safety(inputs.safety, safety)
    dropped, still = audit(writer.problem, writer.targets, k, writer.hideable)
    if still:
        raise AuditError("cells could not be protected: " + ", ".join(t.cell for t in still))
    hide = Cell.hidden(AUDITED)

    def keep(cell_id: str, cell: Cell) -> Cell:
        return hide if cell_id in dropped else cell

    items = {
        item: {
            node: UnitItem(
                keep(_id("resp", node), unit.respondents),
                keep(_id("answered", node, item), unit.answered),
                tuple(
                    keep(_id("share", node, item, p), c)
                    for p, c in zip(SCALE, unit.points, strict=True)
                ),
                keep(_id("count", node, item, "skip"), unit.skip),
                keep(_id("count", node, item, "pns"), unit.pns),
                keep(_id("mean", node, item), unit.mean),
            )
            for node, unit in by_node.items()
        }
        for item, by_node in items.items()
    }
    themes = {
        name: {
            theme: {node: keep(_id("theme", node, name, theme), c) for node, c in by_node.items()}
            for theme, by_node in table.items()
        }
        for name, table in themes.items()
    }
    if safety is not None:
        kept = tuple(
            Row(r.key, (keep(_id("safety", ORG, "", r.key), r.cells[0]),)) for r in safety.rows
        )
        total = safety.total
        if total is not None:
            total = Row(total.key, (keep(_id("safety", ORG, "", "total"), total.cells[0]),))
        safety = replace(safety, rows=kept, total=total)
    return Book(items, themes, safety, len(dropped))


class AuditError(RuntimeError):
    """The auditor could not protect every cell: the gateway fails closed (SEC-19)."""


def _id(kind: str, node: Scope, measure: str = "", cat: str = "") -> str:
    return f"{kind}|{node.level}:{node.unit_id}|{measure}|{cat}"


class _Writer:
    """Writes a period's cells as constraints on true counts (see `auditor.py`)."""

    def __init__(self, tree: Tree, groups: Groups, k: int, noisy: bool) -> None:
        self.tree = tree
        self.groups = groups
        self.k = k
        self.noisy = noisy
        self.problem = Problem()
        self.targets: list[Target] = []
        self.hideable: list[str] = []
        self.teams = list(tree.children.get(ORG, ()))
        self.resp: dict[Scope, int] = {}
        self.resp_pub: dict[Scope, int] = {}
        for team in self.teams:
            true, pub = self._pair(tree.respondents[team], groups.published[team])
            self.resp[team], self.resp_pub[team] = true, pub
        self._count(
            _id("resp", ORG),
            ORG,
            self._sum(self.resp_pub),
            self._sum(self.resp),
            tree.respondents[ORG],
            groups.respondents_cell(ORG),
            None,
        )
        for team in self.teams:
            self._count(
                _id("resp", team),
                team,
                {self.resp_pub[team]: 1},
                {self.resp[team]: 1},
                tree.respondents[team],
                groups.respondents_cell(team),
                None,
            )

    # --- variables

    def _pair(self, truth: int, published: int) -> tuple[int, int]:
        """A true count and its published value: the same variable without noise, else
        two, at most MAX_MOVE apart (a published count is never below 0)."""
        true = self.problem.var(truth)
        if not self.noisy:
            return true, true
        pub = self.problem.var(published)
        self.problem.add({pub: 1, true: -1}, -MAX_MOVE, MAX_MOVE)
        return true, pub

    def _sum(self, by_team: Mapping[Scope, int]) -> Terms:
        """The organisation's count. Published ones add up only the teams with anyone in
        the period (see `noise.py`); the reader is told which (the cautious assumption)."""
        return {v: 1 for t, v in by_team.items() if self.tree.respondents[t] > 0 or not self.noisy}

    def _node_terms(self, node: Scope, by_team: Mapping[Scope, int]) -> Terms:
        return self._sum(by_team) if node == ORG else {by_team[node]: 1}

    # --- what the pages show

    def item(
        self,
        item: str,
        tallies: Mapping[Scope, Mapping[str, int]],
        published: Mapping[Scope, Mapping[str, int]],
        cells: Mapping[Scope, UnitItem],
    ) -> None:
        true: dict[str, dict[Scope, int]] = {c: {} for c in CATEGORIES}
        pub: dict[str, dict[Scope, int]] = {c: {} for c in CATEGORIES}
        for team in self.teams:
            for cat in CATEGORIES:
                true[cat][team], pub[cat][team] = self._pair(
                    tallies[team][cat], published[team][cat]
                )
            # The margin: every young person answered, skipped or preferred not to say.
            # Where some submissions lack the item, a reader knows only "at most".
            missing = self.tree.respondents[team] - sum(tallies[team][c] for c in CATEGORIES)
            terms = {true[c][team]: 1 for c in CATEGORIES}
            terms[self.resp[team]] = -1
            self.problem.add(terms, -INF if missing else 0, 0)
        for node, unit in cells.items():
            t = {c: self._node_terms(node, true[c]) for c in CATEGORIES}
            p = {c: self._node_terms(node, pub[c]) for c in CATEGORIES}
            base_t = _plus(*(t[c] for c in SCALE))
            base_p = _plus(*(p[c] for c in SCALE))
            answered = sum(tallies[node][c] for c in SCALE)
            pub_answered = sum(published[node][c] for c in SCALE)
            self._count(
                _id("answered", node, item),
                node,
                base_p,
                base_t,
                answered,
                unit.answered,
                None,
                sum(tallies[ORG][c] for c in SCALE),
            )
            for cat, cell in (("skip", unit.skip), ("pns", unit.pns)):
                self._count(
                    _id("count", node, item, cat),
                    node,
                    p[cat],
                    t[cat],
                    tallies[node][cat],
                    cell,
                    self.resp_terms(node, pub=True),
                    tallies[ORG][cat],
                )
            for point, cell in zip(SCALE, unit.points, strict=True):
                cell_id = _id("share", node, item, point)
                self._share(cell_id, cell, p[point], base_p, pub_answered)
                if (cell.suppressed or cell.reason == BANDED) and answered < 2 * self.k:
                    # A group of 2k or more may show exact shares, 0% and 100% included.
                    zero_ok = self._zero_ok(node, tallies[ORG][point], answered)
                    self._target(cell_id, t[point], tallies[node][point], zero_ok, False)
            self._mean(_id("mean", node, item), unit.mean, p, base_p)

    def resp_terms(self, node: Scope, pub: bool) -> Terms:
        return self._node_terms(node, self.resp_pub if pub else self.resp)

    def themes(
        self,
        name: str,
        tallies: Mapping[Scope, Mapping[str, int]],
        published: Mapping[Scope, Mapping[str, int]],
        cells: Mapping[str, Mapping[Scope, Cell]],
    ) -> None:
        for theme, by_node in cells.items():
            true: dict[Scope, int] = {}
            pub: dict[Scope, int] = {}
            for team in self.teams:
                true[team], pub[team] = self._pair(
                    tallies[team].get(theme, 0), published[team].get(theme, 0)
                )
                self.problem.add({true[team]: 1, self.resp[team]: -1}, -INF, 0)
            for node, cell in by_node.items():
                self._count(
                    _id("theme", node, name, theme),
                    node,
                    self._node_terms(node, pub),
                    self._node_terms(node, true),
                    tallies[node].get(theme, 0),
                    cell,
                    None,
                    tallies[ORG].get(theme, 0),
                )

    def safety(self, counts: Mapping[str, int], table: Table) -> None:
        """Organisation-level counters (exact, no noise); "sent" counts the period's
        submissions, so it is tied to the number of young people (less any deleted)."""
        var = {key: self.problem.var(n) for key, n in counts.items()}
        if "sent" in var:
            terms = {var["sent"]: 1}
            for v in self.resp.values():
                terms[v] = -1
            gap = counts["sent"] - self.tree.respondents[ORG]
            self.problem.add(terms, gap, gap)
        for row in table.rows:
            cell_id = _id("safety", ORG, "", row.key)
            self._exact(cell_id, row.cells[0], {var[row.key]: 1}, counts[row.key])
        if table.total is not None:
            self._exact(
                _id("safety", ORG, "", "total"),
                table.total.cells[0],
                {v: 1 for v in var.values()},
                sum(counts.values()),
            )

    # --- one cell each

    def _exact(self, cell_id: str, cell: Cell, terms: Mapping[int, int], truth: int) -> None:
        self.problem.priority[cell_id] = (COUNT, truth)
        if not cell.suppressed and isinstance(cell.value, int):
            self.problem.add(dict(terms), cell.value, cell.value, cell_id)
            self.hideable.append(cell_id)
            return
        self._said_by_reason(cell, dict(terms))
        self._target(cell_id, dict(terms), truth, True)

    def _count(
        self,
        cell_id: str,
        node: Scope,
        pub: Terms,
        true: Terms,
        truth: int,
        cell: Cell,
        group_pub: Terms | None,
        org_truth: int | None = None,
    ) -> None:
        """A count shown exact (organisation) or rounded to 5, never below k; a band; or hidden.
        org_truth: the same count for the whole organisation (see `_zero_ok`)."""
        problem = self.problem
        problem.priority[cell_id] = (COUNT, truth)
        if cell.suppressed:
            if cell.reason != AUDITED:
                self._reason_rows(node, cell, true)
            # A proven 0 is a remainder of nobody, which reveals no one (SDC-05), except
            # for a team's young people: an empty team must look like a small one.
            zero_ok = not cell_id.startswith("resp|") or self._zero_ok(node, org_truth)
            self._target(cell_id, true, truth, zero_ok)
            return
        self.hideable.append(cell_id)
        problem.add(true, self.k, INF, cell_id)  # shown: at least k young people
        if cell.text == ALMOST_ALL and group_pub is not None:
            group = problem.value(group_pub)
            problem.add(_plus(pub, _times(group_pub, -1)), -margin(group), 0, cell_id)
            self._target(cell_id, true, truth, False, False)
            return
        if not isinstance(cell.value, int):
            return
        v = cell.value
        low, high = (v, v) if node == ORG else (v - 2, v + 2)
        # Printed as max(k, published): a figure of k says only "at most k" of itself.
        problem.add(pub, -INF if low <= self.k else low, high, cell_id)

    def _reason_rows(self, node: Scope, cell: Cell, true: Terms) -> None:
        """What "fewer than k" or "hidden to protect another group" says, and about whom."""
        group = node not in self.groups.shown
        self._said_by_reason(cell, self.resp_terms(node, pub=False) if group else true)

    def _said_by_reason(self, cell: Cell, terms: Terms) -> None:
        if cell.reason == fewer_than(self.k):
            self.problem.add(terms, -INF, self.k - 1)
        elif cell.reason == PROTECTED:
            self.problem.add(terms, self.k, INF)

    def _zero_ok(self, node: Scope, org_truth: int | None, group: int | None = None) -> bool:
        """May a count be proven 0? In a group of 2k or more, yes (0% may be shown there,
        SDC-04); and in any team when the organisation's count is 0 and the organisation
        has 2k or more: "nobody at all" then says it of every team already."""
        size = self.tree.respondents.get(node, 0) if group is None else group
        big_org = self.tree.respondents[ORG] >= 2 * self.k
        return size >= 2 * self.k or (org_truth == 0 and big_org)

    def _target(
        self, cell_id: str, terms: Terms, truth: int, zero_ok: bool, small_rule: bool = True
    ) -> None:
        if not terms:
            return  # a total of no categories: known to be nothing, and about no one
        self.targets.append(Target(cell_id, dict(terms), truth, zero_ok, small_rule))

    def _share(self, cell_id: str, cell: Cell, n: Terms, base: Terms, base_value: int) -> None:
        """A share of those who answered: a percentage (half up, 1 and 99 for near-none and
        near-all), or a word band; both are ranges of the count for the reader."""
        problem = self.problem
        problem.priority[cell_id] = (SHARE, problem.value(n))
        if cell.suppressed:
            return
        self.hideable.append(cell_id)
        m = margin(base_value)
        rows: list[tuple[Terms, float, float]] = []
        text = cell.text
        if text.endswith("%"):
            pct = int(text[:-1])
            if pct == 0:
                rows.append((n, 0, 0))
            elif pct == 100:
                rows.append((_plus(n, _times(base, -1)), 0, 0))
            else:
                low = 0 if pct == 1 else 2 * pct - 1  # 200n >= (2p-1) base
                high = 3 if pct == 1 else (200 if pct == 99 else 2 * pct + 1)
                rows.append((_plus(_times(n, 200), _times(base, -low)), 0, INF))
                if pct == 99:
                    rows.append((_plus(n, _times(base, -1)), -INF, -1))
                else:
                    rows.append((_plus(_times(n, 200), _times(base, -high)), -INF, -1))
                rows.append((n, 1, INF))
        elif text == VERY_FEW:
            rows.append((n, 0, m))
        elif text == ALMOST_ALL:
            rows.append((_plus(n, _times(base, -1)), -m, 0))
        else:
            rows.append((n, m + 1, INF))
            rows.append((_plus(n, _times(base, -1)), -INF, -m - 1))
            if text == SOME:
                rows.append((_plus(_times(n, 5), _times(base, -2)), -INF, -1))
            elif text == ABOUT_HALF:
                rows.append((_plus(_times(n, 5), _times(base, -2)), 0, INF))
                rows.append((_plus(_times(n, 5), _times(base, -3)), -INF, 0))
            elif text == MOST:
                rows.append((_plus(_times(n, 5), _times(base, -3)), 1, INF))
        for terms, lo, hi in rows:
            problem.add(terms, lo, hi, cell_id)

    def _mean(self, cell_id: str, cell: Cell, pub: Mapping[str, Terms], base: Terms) -> None:
        """A mean to one decimal, half up: (M - 0.05) base <= score < (M + 0.05) base."""
        self.problem.priority[cell_id] = (MEAN, 0)
        if cell.suppressed:
            return
        self.hideable.append(cell_id)
        tenths = int(Decimal(cell.text) * 10)
        score = _plus(*(_times(pub[p], w) for w, p in enumerate(SCALE, start=1)))
        self.problem.add(_plus(_times(score, 20), _times(base, -(2 * tenths - 1))), 0, INF, cell_id)
        self.problem.add(
            _plus(_times(score, 20), _times(base, -(2 * tenths + 1))), -INF, -1, cell_id
        )


def _plus(*parts: Mapping[int, int]) -> Terms:
    out: Terms = {}
    for part in parts:
        for v, c in part.items():
            out[v] = out.get(v, 0) + c
    return out


def _times(terms: Mapping[int, int], factor: int) -> Terms:
    return {v: c * factor for v, c in terms.items()}
