"""The themes page as a view model: what young people wrote about, by polarity, across
periods, and what new topics came up, all from a gateway `ThemeReport` (SDC-01, SDC-11).

Like every report page it is a list of sections (a grid plus its chart), and the CSV export
writes exactly those grids (SDC-12). Quotes are not in any grid, so they are never
exported; they go in `quote_groups`, and only a reviewer's report has any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from admin.console import charts
from admin.console import report_pages as pages
from admin.console.context import Actor, Console
from admin.console.exports import Figure, from_cell
from admin.console.grids import Grid
from admin.console.report_pages import ReportPage, Section
from reports.gateway import Cell, Period, Scope, Table
from reports.theme_report import POLARITIES, ThemeReport

POLARITY_TITLES = {"helps": "What helps", "better": "What would make it better"}
TOPICS_TITLE = "New topics, in young people's words"
RESPONDENTS = "young people"  # every figure here is a count of distinct young people


@dataclass(frozen=True)
class QuoteGroup:
    """Up to three quotes under one theme or topic: the words only, nothing beside them."""

    title: str
    quotes: tuple[str, ...]


@dataclass
class ThemesPage(ReportPage):
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    topics_shown: int = 0


async def build(console: Console, actor: Actor, period: str, scope: str) -> ThemesPage:
    """The themes page for validated parameters; used by the page and its export."""
    return await themes_page(
        console, actor, pages.period_of(console, period), pages.scope_of(actor, scope)
    )


async def themes_page(console: Console, actor: Actor, period: Period, scope: Scope) -> ThemesPage:
    report = await console.reports.themes(
        period, scope, actor.role, actor.user.worker_id, actor.user.teams
    )
    labels = console.theme_labels
    unit = await pages.unit_name(console, scope)
    sections = [
        _count_section(report.counts[p], labels, POLARITY_TITLES[p], "theme", unit)
        for p in POLARITIES
    ]
    sections += [
        _trend_section(report.trend[p], labels, POLARITY_TITLES[p], unit) for p in POLARITIES
    ]
    sections.append(_count_section(report.topics, report.topic_labels, TOPICS_TITLE, "topic", unit))
    page = ThemesPage(
        "themes", "Themes", str(period), unit, pages.scope_text(scope), sections, report.notice
    )
    page.quote_groups = _quote_groups(report, labels)
    page.topics_shown = len(report.topic_labels)
    return page


def _column(table: Table, ids: Sequence[str]) -> list[tuple[str, Cell]]:
    """(id, cell) for each id, in order; the table's notice where it has no row (the
    gateway lists the whole catalogue unless the period is unavailable, with a notice)."""
    cells = {row.key: row.cells[0] for row in table.rows}
    missing = Cell.hidden(table.notice or "not available")
    return [(i, cells.get(i, missing)) for i in ids]


def _count_section(
    table: Table, labels: Mapping[str, str], title: str, heading: str, unit: str
) -> Section:
    """One count per theme (or topic) as bars, with the same cells as a table beside."""
    ids = [row.key for row in table.rows] if table.notice is None else list(labels)
    rows = [(labels.get(i, i), cell) for i, cell in _column(table, ids)]
    grid = Grid(title, (heading, RESPONDENTS), tuple((label, c.text) for label, c in rows))
    figures = _figures(table, labels, title, unit, ids)
    if table.notice is not None or not rows:
        return Section(grid, figures=figures)
    return Section(grid, "bars", charts.bars(rows), figures=figures)


def _trend_section(
    points: Sequence[tuple[str, Table]], labels: Mapping[str, str], title: str, unit: str
) -> Section:
    """Theme by period, oldest first: each column exactly as that period's page shows it."""
    columns = [dict(_column(table, list(labels))) for _, table in points]
    rows = tuple(
        (label, *(column[theme].text for column in columns)) for theme, label in labels.items()
    )
    header = ("theme", *(period for period, _ in points))
    name = f"{title}: by period"
    figures = tuple(f for _, t in points for f in _figures(t, labels, name, unit, list(labels)))
    return Section(Grid(name, header, rows), figures=figures)


def _figures(
    table: Table, labels: Mapping[str, str], title: str, unit: str, ids: Sequence[str]
) -> tuple[Figure, ...]:
    """The tidy rows of one column of counts: the same cells as the grid, one a row."""
    return tuple(
        from_cell((table.period, unit, title, labels.get(i, i), RESPONDENTS), cell)
        for i, cell in _column(table, ids)
    )


def _quote_groups(report: ThemeReport, labels: Mapping[str, str]) -> list[QuoteGroup]:
    """One group per theme or topic with quotes; a comment under two themes is shown once."""
    names = {**labels, **report.topic_labels}
    seen: set[str] = set()
    groups = []
    for key, quotes in report.quotes.items():
        fresh = tuple(q.text for q in quotes if q.text not in seen)
        seen.update(fresh)
        if fresh:
            groups.append(QuoteGroup(names.get(key, key), fresh))
    return groups
