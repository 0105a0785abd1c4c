"""Report pages as view models: each is a list of sections (a grid plus its chart), built
from gateway results only. The page and its CSV export are built by the same function,
so an export is the screen (SDC-12)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from admin.console import charts
from admin.console.context import Actor, Console
from admin.console.exports import Figure, item_figures, table_figures, trend_figures, worker_figures
from admin.console.grids import Grid, item_grid, table_grid, trend_grid, worker_grid
from admin.console.guard import NotFound
from reports.gateway import Period, Scope, Table
from reports.gateway.results import ORG_LABEL

KINDS = ("period", "compare", "trends", "themes", "safety")
KIND_NAMES = {
    "period": "Results",
    "compare": "Teams side by side",
    "themes": "Themes",
    "trends": "Trends over time",
    "safety": "Safety messages",
}
FIRST_YEAR = 2000  # no Youth Voice data can be older


@dataclass(frozen=True)
class Section:
    grid: Grid
    chart_kind: str | None = None  # "bars", "line" or "dots"
    chart: object | None = None
    summary: str = ""
    figures: tuple[Figure, ...] = ()  # the same cells, one row each, for the tidy CSV


@dataclass
class ReportPage:
    kind: str
    title: str
    period: str
    unit: str
    scope: str
    sections: list[Section]
    notice: str | None = None

    @property
    def nothing_shown(self) -> bool:
        """Every figure is hidden (a small team, an open period): the page says why once,
        instead of a table of "fewer than 10"."""
        figures = [f for section in self.sections for f in section.figures]
        return bool(figures) and all(f.status == "hidden" for f in figures)


def scope_of(actor: Actor, text: str) -> Scope:
    """ "org" or one of the actor's own teams; anything else is not found (SEC-13)."""
    if text == "org":
        return Scope.org()
    if actor.in_scope(text):
        return Scope.team(text)
    raise NotFound


def period_of(console: Console, text: str) -> Period:
    """A period of the deployment's kind from FIRST_YEAR up to the current one; anything
    else (a year 9998, the far past) is 404, never an error deeper down."""
    period = console.reports.parse_period(text)
    if period is None or period.year < FIRST_YEAR or console.reports.current() < period:
        raise NotFound
    return period


async def my_teams(console: Console, actor: Actor) -> list[tuple[str, str]]:
    """(id, name) of the actor's own teams, in name order: the scopes they may pick."""
    names = await console.reports.team_names()
    mine = ((t, n) for t, n in names.items() if actor.in_scope(t))
    return sorted(mine, key=lambda team: team[1].lower())


async def unit_name(console: Console, scope: Scope) -> str:
    if scope.level == "org":
        return console.services.settings.org_name
    return (await console.reports.team_names()).get(scope.unit_id, "")


async def period_page(console: Console, actor: Actor, period: Period, scope: Scope) -> ReportPage:
    reports = await console.reports.period_report(period, scope)
    unit = await unit_name(console, scope)
    sections = []
    notice = None
    for dim, report in zip(console.reports.dimensions, reports, strict=True):
        notice = notice or report.notice
        labels = console.scale_labels
        chart = charts.bars(list(zip(labels, report.distribution, strict=True)), top=100)
        summary = f"mean {report.mean.text}"
        figures = tuple(item_figures(report, unit, dim.question or dim.label, labels))
        sections.append(Section(item_grid(report, dim.label), "bars", chart, summary, figures))
    return ReportPage("period", "Results", str(period), unit, scope_text(scope), sections, notice)


async def compare_page(console: Console, actor: Actor, period: Period) -> ReportPage:
    names = await console.reports.team_names()
    tables = await console.reports.comparison(period)
    org = console.services.settings.org_name
    sections = []
    notice = None
    for dim, table in zip(console.reports.dimensions, tables, strict=True):
        notice = notice or table.notice
        mine = _only_my_teams(table, actor)
        ordered = sorted(mine.rows, key=lambda r: names.get(r.key, r.key).lower())
        chart_rows = [(names.get(r.key, r.key), r.cells[-1]) for r in ordered]
        if mine.total is not None:
            chart_rows.append((org, mine.total.cells[-1]))
        chart = charts.dots(chart_rows) if chart_rows else None
        question = dim.question or dim.label
        figures = table_figures(mine, {**names, ORG_LABEL: org}, question, console.scale_labels)
        sections.append(
            Section(
                table_grid(mine, names, dim.label),
                "dots" if chart else None,
                chart,
                "",
                tuple(figures),
            )
        )
    return ReportPage("compare", "Teams side by side", str(period), org, "org", sections, notice)


def _only_my_teams(table: Table, actor: Actor) -> Table:
    """A manager sees the rows of their own teams. Suppression was decided over every team,
    so any subset of the published table reveals nothing the whole would not."""
    return replace(table, rows=tuple(r for r in table.rows if actor.in_scope(r.key)))


async def trends_page(console: Console, actor: Actor, scope: Scope) -> ReportPage:
    trends = await console.reports.trends(scope)
    unit = await unit_name(console, scope)
    sections = []
    for dim, trend in zip(console.reports.dimensions, trends, strict=True):
        points = [(p.period, p.mean) for p in trend.points]
        chart = charts.line(points) if points else None
        figures = tuple(trend_figures(trend, unit, dim.question or dim.label))
        grid = trend_grid(trend, dim.label)
        sections.append(Section(grid, "line" if chart else None, chart, "", figures))
    periods = [p.period for p in trends[0].points] if trends else []
    span = f"{periods[0]} to {periods[-1]}" if periods else ""
    return ReportPage("trends", "Trends", span, unit, scope_text(scope), sections)


async def safety_page(console: Console, actor: Actor, period: Period) -> ReportPage:
    table = await console.reports.safety(period)
    rows = [(r.key, r.cells[0]) for r in table.rows]
    chart = charts.bars(rows) if rows else None
    grid = table_grid(table, {}, "safety messages shown")
    org = console.services.settings.org_name
    figures = tuple(table_figures(table, {}, grid.title, unit=org))
    section = Section(grid, "bars" if chart else None, chart, "", figures)
    return ReportPage("safety", "Safety messages", str(period), org, "org", [section], table.notice)


async def worker_page(console: Console, actor: Actor, period: Period) -> ReportPage:
    worker = actor.user.worker_id or ""
    view = await console.reports.worker_view(period, worker)
    labels = {d.id: d.label for d in console.reports.dimensions}
    section = Section(
        worker_grid(view, labels),
        summary=f"young people: {view.respondents.text}",
        figures=tuple(worker_figures(view, labels)),
    )
    return ReportPage("mine", "Your results", str(period), "you", "worker", [section], view.notice)


async def build(console: Console, actor: Actor, kind: str, period: str, scope: str) -> ReportPage:
    """The page of one kind for validated parameters; used by the page and its export.
    Themes have their own module (`theme_pages`), which builds on this one."""
    if kind == "period":
        return await period_page(console, actor, period_of(console, period), scope_of(actor, scope))
    if kind == "compare":
        return await compare_page(console, actor, period_of(console, period))
    if kind == "trends":
        return await trends_page(console, actor, scope_of(actor, scope))
    if kind == "safety":
        return await safety_page(console, actor, period_of(console, period))
    raise NotFound


def scope_text(scope: Scope) -> str:
    return "org" if scope.level == "org" else scope.unit_id
