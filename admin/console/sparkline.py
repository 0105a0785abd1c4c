"""A favourable share across periods as a small server-rendered SVG line, with a text
alternative that reads every point, hidden ones included. No inline styles (the CSP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from admin.console.favourable import Favourable

WIDTH, HEIGHT, PAD = 120, 36, 4


@dataclass(frozen=True)
class Spark:
    segments: tuple[str, ...]  # polyline point lists, broken where a share is hidden
    last: tuple[float, float] | None  # the latest point, drawn as a dot, if shown
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(points: Sequence[tuple[str, Favourable]]) -> Spark:
    """Shares on a fixed 0-100 axis (so two sparklines compare), oldest on the left."""
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)
    segments: list[str] = []
    current: list[str] = []
    last: tuple[float, float] | None = None
    for i, (_, fav) in enumerate(points):
        if fav.percent is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current, last = [], None
            continue
        x = round(PAD + i * step, 1)
        y = round(HEIGHT - PAD - fav.percent / 100 * (HEIGHT - 2 * PAD), 1)
        current.append(f"{x},{y}")
        last = (x, y)
    if len(current) > 1:
        segments.append(" ".join(current))
    said = ", ".join(f"{label} {fav.text or 'not shown'}" for label, fav in points)
    span = f"{points[0][0]} to {points[-1][0]}" if points else ""
    return Spark(tuple(segments), last, f"Favourable share, {span}: {said}.")
