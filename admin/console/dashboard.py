"""The dashboard as a view model: one closed period and scope at a glance (SDC-01).

Every figure here is a gateway `Cell` or is read from shown cells only (`favourable`):
favourable shares and their change, six-period sparklines, a teams x dimensions heatmap
(organisation first, then the viewer's own teams in name order, never ranked), how many
young people sent a check-in, and the themes most mentioned. The headline is written from
those same figures, so it can never say what the cells beside it hide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from admin.console import report_pages as pages
from admin.console.context import Actor, Console
from admin.console.favourable import Change, Favourable, change, favourable
from admin.console.guard import NotFound
from admin.console.sparkline import Spark, sparkline
from reports.gateway import Cell, Period, Scope, Table
from reports.theme_report import TREND_PERIODS, trend_periods

SHADES = 5  # heatmap colour steps of 20 points each
TOP_THEMES = 3
THEME_TITLES = (("better", "What would make it better"), ("helps", "What helps"))


@dataclass(frozen=True)
class Card:
    """One dimension: its favourable share now, its change and its recent history."""

    id: str
    label: str
    question: str
    now: Favourable
    change: Change
    spark: Spark
    history: tuple[tuple[str, Favourable], ...]  # oldest first, this period last


@dataclass(frozen=True)
class HeatCell:
    fav: Favourable
    text: str  # the figure, or "" for a hidden cell (its reason goes in `reason`)
    shade: int | None  # 0..SHADES-1, None for hidden
    reason: str | None


@dataclass(frozen=True)
class HeatRow:
    name: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class ThemeLine:
    label: str
    description: str
    count: Cell


@dataclass
class Dashboard:
    period: Period
    previous: Period
    scope: str
    unit: str
    cards: list[Card]
    heat: list[HeatRow]
    respondents: Cell
    themes: list[tuple[str, list[ThemeLine]]]
    headline: str = ""
    periods: list[str] = field(default_factory=list)
    teams: list[tuple[str, str]] = field(default_factory=list)


async def build(console: Console, actor: Actor, period_text: str, scope_text: str) -> Dashboard:
    """The dashboard for a closed period in the picker and a scope the actor may see.
    Anything else (an open period, a date, another team) is not found (SDC-07, SEC-13)."""
    periods = console.reports.periods()
    period = periods[0] if not period_text else pages.period_of(console, period_text)
    if period not in periods:
        raise NotFound
    scope = pages.scope_of(actor, scope_text or "org")
    history = trend_periods(period, TREND_PERIODS)
    # The comparison tables hold every unit's cells, exactly as its own report page shows
    # them (the gateway decides the whole catalogue at once), and are kept per period.
    tables = [await console.reports.comparison(p) for p in history]
    absent = f"fewer than {console.k}"
    mine = [[_unit_cells(t, scope, absent) for t in by_dim] for by_dim in tables]
    cards = []
    for i, dim in enumerate(console.reports.dimensions):
        series = [(str(p), _favourable(cells[i])) for p, cells in zip(history, mine, strict=True)]
        now, before = series[-1][1], series[-2][1]
        spark = sparkline(series)
        cards.append(
            Card(dim.id, dim.label, dim.question, now, change(now, before), spark, tuple(series))
        )
    current = mine[-1]
    board = Dashboard(
        period=period,
        previous=period.preceding(),
        scope=pages.scope_text(scope),
        unit=await pages.unit_name(console, scope),
        cards=cards,
        heat=await _heat(console, actor, tables[-1], absent),
        respondents=current[0][0] if current else Cell.hidden(absent),
        themes=await _themes(console, period, scope),
        periods=[str(p) for p in periods],
        teams=await pages.my_teams(console, actor),
    )
    board.headline = headline(board)
    return board


def _unit_cells(table: Table, scope: Scope, absent: str) -> tuple[Cell, ...]:
    """One unit's row, in `ITEM_MEASURES` order (young people, answered, points 1..5, ...);
    a team that sent nothing in the period has no row: every cell hidden, as the gateway
    words it for that team's own page."""
    if scope.level == "org" and table.total is not None:
        return table.total.cells
    row = next((r for r in table.rows if r.key == scope.unit_id), None)
    if row is not None and scope.level == "team":
        return row.cells
    return (Cell.hidden(table.notice or absent),) * 7


def _favourable(cells: Sequence[Cell]) -> Favourable:
    return favourable(cells[1], cells[2:7])


async def _heat(
    console: Console, actor: Actor, tables: Sequence[Table], absent: str
) -> list[HeatRow]:
    """Organisation first, then the viewer's teams by name. Suppression was decided over
    every team together, so showing a subset reveals nothing the whole would not."""
    names = dict(await pages.my_teams(console, actor))
    org = console.services.settings.org_name
    rows = [HeatRow(org, tuple(_heat_cell(_unit_cells(t, Scope.org(), absent)) for t in tables))]
    for team_id, name in sorted(names.items(), key=lambda item: item[1].lower()):
        team = Scope.team(team_id)
        rows.append(HeatRow(name, tuple(_heat_cell(_unit_cells(t, team, absent)) for t in tables)))
    return rows


def _heat_cell(cells: Sequence[Cell]) -> HeatCell:
    fav = _favourable(cells)
    if fav.percent is None:
        return HeatCell(fav, "", None, fav.reason)
    return HeatCell(fav, fav.text, min(SHADES - 1, fav.percent * SHADES // 100), None)


async def _themes(
    console: Console, period: Period, scope: Scope
) -> list[tuple[str, list[ThemeLine]]]:
    """The most mentioned framework themes per polarity, largest shown count first.
    Hidden counts are left out: a theme's absence says only that it is not a top one."""
    tables = await console.reports.theme_counts(period, scope)
    out = []
    for polarity, title in THEME_TITLES:
        table = tables[polarity]
        shown = [r for r in table.rows if r.cells and r.cells[0].value is not None]
        shown.sort(key=lambda r: (-float(r.cells[0].value or 0), r.key))
        lines = [
            ThemeLine(
                console.theme_labels.get(r.key, r.key),
                console.theme_descriptions.get(r.key, ""),
                r.cells[0],
            )
            for r in shown[:TOP_THEMES]
        ]
        out.append((title, lines))
    return out


def headline(board: Dashboard) -> str:
    """The sentence a manager needs, from shown figures only."""
    where = f"{board.unit}, {board.period}"
    shown = [c for c in board.cards if c.now.percent is not None]
    if not shown:
        reason = next((c.now.reason for c in board.cards if c.now.reason), "not available")
        return f"{where}: no figures can be shown ({reason})."
    best = max(c.now.percent or 0 for c in shown)
    worst = min(c.now.percent or 0 for c in shown)
    if best == worst:
        text = f"{where}: every dimension shown is {best}% favourable."
    else:
        top = _names([c for c in shown if c.now.percent == best])
        low = _names([c for c in shown if c.now.percent == worst])
        text = (
            f"{where}: young people rate {top} most favourably ({best}%) "
            f"and {low} least ({worst}%)."
        )
    moved = [c for c in board.cards if c.change.points is not None]
    if not moved:
        return f"{text} No clear change since {board.previous}."
    changes = "; ".join(f"{c.label.lower()} {_moved(c)}" for c in moved)
    return f"{text} Since {board.previous}: {changes}."


def _moved(card: Card) -> str:
    points = card.change.points or 0
    verb = "rose" if points > 0 else "fell"
    return f"{verb} {abs(points)} points to {card.now.percent}%"


def _names(cards: Sequence[Card]) -> str:
    labels = [f"\u201c{c.label.lower()}\u201d" for c in cards]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
