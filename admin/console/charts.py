"""Geometry for the server-rendered SVG charts. Charts draw only `Cell.value`, which the
gateway sets only for figures it shows, so a chart can never say more than its table;
bands and hidden cells appear as their text. No inline styles: the CSP forbids them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.gateway import Cell

WIDTH = 320
LABEL = 110
ROW = 26


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float
    text: str
    drawn: bool


@dataclass(frozen=True)
class Bars:
    bars: tuple[Bar, ...]
    height: int
    label_width: int = LABEL
    width: int = WIDTH


def bars(rows: Sequence[tuple[str, Cell]], top: float | None = None) -> Bars:
    """Horizontal bars; `top` is the value of a full-width bar (100 for shares)."""
    values = [c.value for _, c in rows if c.value is not None]
    scale_top = top if top is not None else max([1.0, *[float(v) for v in values]])
    span = WIDTH - LABEL - 60
    out = []
    for i, (label, cell) in enumerate(rows):
        width = 0.0 if cell.value is None else span * float(cell.value) / scale_top
        out.append(Bar(label, i * ROW, round(width, 1), cell.text, cell.value is not None))
    return Bars(tuple(out), len(rows) * ROW)


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float | None
    text: str


@dataclass(frozen=True)
class Line:
    points: tuple[Point, ...]
    segments: tuple[str, ...]  # SVG polyline point lists, broken where a mean is hidden
    gridlines: tuple[tuple[int, float], ...]
    width: int = WIDTH
    height: int = 170


def line(points: Sequence[tuple[str, Cell]], low: int = 1, high: int = 5) -> Line:
    """Means on the 1-5 scale across periods, oldest on the left."""
    left, right, top, bottom = 34, WIDTH - 12, 12, 140
    step = (right - left) / max(1, len(points) - 1)

    def y_of(v: float) -> float:
        return round(bottom - (v - low) / (high - low) * (bottom - top), 1)

    out: list[Point] = []
    segments: list[str] = []
    current: list[str] = []
    for i, (label, cell) in enumerate(points):
        x = round(left + i * step if len(points) > 1 else (left + right) / 2, 1)
        y = None if cell.value is None else y_of(float(cell.value))
        out.append(Point(label, x, y, cell.text))
        if y is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{x},{y}")
    if len(current) > 1:
        segments.append(" ".join(current))
    grid = tuple((v, y_of(v)) for v in range(low, high + 1))
    return Line(tuple(out), tuple(segments), grid)


@dataclass(frozen=True)
class Dot:
    label: str
    y: int
    x: float | None
    text: str


@dataclass(frozen=True)
class Dots:
    dots: tuple[Dot, ...]
    height: int
    ticks: tuple[tuple[int, float], ...]
    label_width: int = LABEL
    width: int = WIDTH


def dots(rows: Sequence[tuple[str, Cell]], low: int = 1, high: int = 5) -> Dots:
    """Each team's mean as a dot on one 1-5 axis, in a fixed (name) order: not a ranking."""
    left, right = LABEL + 8, WIDTH - 40

    def x_of(v: float) -> float:
        return round(left + (v - low) / (high - low) * (right - left), 1)

    out = tuple(
        Dot(label, i * ROW, None if c.value is None else x_of(float(c.value)), c.text)
        for i, (label, c) in enumerate(rows)
    )
    return Dots(out, len(rows) * ROW + 20, tuple((v, x_of(v)) for v in range(low, high + 1)))
