"""The dashboard in Debian's Chromium: axe-core finds 0 violations (WCAG 2.0-2.2 A/AA and
best practice) at 1440 x 900 and on a 360 px phone; nothing is wider than the phone; the
first desktop screen holds the headline, the six dimensions and the heatmap; a hidden
heatmap cell names its reason to hover and to screen readers but shows no word. The
board report prints on two A4 pages (page.pdf), each rendered to PNG."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.dashboard_live import CLOSED, ORG_NAME, Server, login, running
from tests.browser.pdf_pages import is_a4, pages
from tests.browser.test_chat_a11y import RULES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {
    "desktop": ({"width": 1440, "height": 900}, 0),
    "phone": ({"width": 360, "height": 740}, 30),
}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(Path(tmp_path_factory.mktemp("dash"))) as server:
        yield server


@pytest.mark.parametrize("screen", list(SCREENS))
def test_dashboard_is_accessible_and_fits(chromium: Browser, srv: Server, screen: str) -> None:
    viewport, offset = SCREENS[screen]
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    base = login(page, srv, offset)
    assert page.url == f"{base}/admin/dashboard"
    page.locator("details").first.evaluate("d => d.open = true")  # the question, expanded
    results = Axe().run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()
    widest = page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth, ...[...document
              .querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))"""
    )
    assert widest <= viewport["width"], f"{widest}px on a {viewport['width']}px screen"
    hidden = page.locator("td.heat-hidden").first
    # No word shows in the cell: its only text is the 1 px screen-reader reason.
    visible = hidden.evaluate(
        "td => [...td.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')"
    )
    assert visible.strip() == ""
    reason = hidden.locator(".sr")
    box = reason.bounding_box()
    assert box and box["width"] <= 1 and box["height"] <= 1
    assert hidden.get_attribute("title") == reason.text_content() != ""
    if screen == "desktop":
        for selector in (
            ".headline",
            ".dim-list li:nth-child(6)",
            "table.heat tbody tr:last-child",
        ):
            box = page.locator(selector).bounding_box()
            assert box and box["y"] + box["height"] <= viewport["height"], selector
    context.close()


def test_board_report_prints_on_two_a4_pages(
    chromium: Browser, srv: Server, tmp_path: Path
) -> None:
    """Issue 14: the board report is accessible on screen; printed by Chromium it is two
    A4 pages, the dashboard then the themes, and each page renders to a PNG. A reviewer
    prints it, and it holds no quote (SDC-11)."""
    context = chromium.new_context(viewport=SCREENS["desktop"][0])
    page = context.new_page()
    base = login(page, srv, username="reviewer1")
    page.goto(f"{base}/admin/report/board?period={CLOSED}&scope=org")
    results = Axe().run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()
    headline = page.locator(".headline").text_content() or ""
    printed = pages(page.pdf(format="A4", print_background=True))
    assert len(printed) == 2 and all(is_a4(p.size) for p in printed), [p.size for p in printed]
    first, second = (" ".join(p.text.split()) for p in printed)
    assert " ".join(headline.split())[:60] in first and ORG_NAME in first
    assert "Teams by dimension" in first and "What young people wrote about" in second
    assert "Log out" not in first and "Print this page" not in first  # screen-only parts
    assert "listens to me properly" not in first + second
    for n, p in enumerate(printed, 1):
        assert p.png.startswith(b"\x89PNG") and len(p.png) > 20_000
        (tmp_path / f"board-{n}.png").write_bytes(p.png)
    context.close()
