"""Read tables and elements back out of rendered pages, the way a browser would."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(tuple(self._row))
            self._row = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def grid_tables(html: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """(caption, rows including the header) of every report table on a page."""
    return [(t["caption"], t["rows"]) for t in parse(html).tables]


def tidy_rows(body: str) -> list[dict[str, str]]:
    """The rows of a tidy (long-format) CSV export, by column name."""
    return list(csv.DictReader(io.StringIO(body)))


def figure_text(row: dict[str, str]) -> str:
    """What the page shows for one tidy row: the number (a share with its %), a band's
    words, or a hidden figure's reason."""
    if row["status"] == "hidden":
        return row["reason"]
    if row["value"] == "":
        return row["reason"].removeprefix("shown in words: ")
    return row["value"] + ("%" if row["measure"] == "% of those who answered" else "")


def data_cells(html: str) -> list[str]:
    """Every figure in a page's tables: each row's cells after its label, header left out."""
    return [cell for _, rows in grid_tables(html) for row in rows[1:] for cell in row[1:]]
