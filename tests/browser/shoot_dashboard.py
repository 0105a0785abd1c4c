"""Take the README's screenshots of the console dashboard and board report (docs/).

    .venv/bin/python -m tests.browser.shoot_dashboard

It runs the console on 127.0.0.1 with six seeded closed quarters (`dashboard_live`) and
drives Debian's Chromium: the dashboard's first screen at 1440 x 900, its heatmap, a small
team's empty state, the whole page on a 360 px phone (twice the pixels, for sharp
images), and the board report printed to PDF by Chromium, each A4 page as a PNG.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.dashboard_live import CLOSED, Server, login, running
from tests.browser.pdf_pages import pages
from tests.webchat.live import ROOT, launch

DOCS = ROOT / "docs"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
SMALL_TEAM = "Harbour Drop-in"


def _dashboard(browser: Browser, srv: Server) -> list[Path]:
    made = []
    for name, viewport, scale, whole, offset in (
        ("desktop", DESKTOP, 1, False, 0),
        ("phone", PHONE, 2, True, 30),
    ):
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        login(page, srv, offset)
        made.append(DOCS / f"dashboard-{name}.png")
        page.screenshot(path=str(made[-1]), full_page=whole)
        if name == "desktop":
            made.append(DOCS / "dashboard-heatmap.png")
            page.locator(".heat-box").screenshot(path=str(made[-1]))
            page.select_option("select[name=scope]", label=SMALL_TEAM)
            page.click(".picker button")
            page.wait_for_load_state()
            made.append(DOCS / "dashboard-small-team.png")
            page.screenshot(path=str(made[-1]))
        context.close()
    return made


def _board(browser: Browser, srv: Server) -> list[Path]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    base = login(page, srv, username="reviewer1")
    page.goto(f"{base}/admin/report/board?period={CLOSED}&scope=org")
    made = []
    for n, printed in enumerate(pages(page.pdf(format="A4", print_background=True)), 1):
        made.append(DOCS / f"board-report-page-{n}.png")
        made[-1].write_bytes(printed.png)
    context.close()
    return made


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as srv:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            made = _dashboard(browser, srv) + _board(browser, srv)
            browser.close()
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
