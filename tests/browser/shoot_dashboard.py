"""Take the README's screenshots of the console dashboard (docs/dashboard-*.png).

    .venv/bin/python -m tests.browser.shoot_dashboard

It runs the console on 127.0.0.1 with six seeded closed quarters (`dashboard_live`) and
drives Debian's Chromium: the first screen at 1440 x 900, and the whole page on a
360 px phone (twice the pixels, for sharp images).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.dashboard_live import login, running
from tests.webchat.live import ROOT, launch

DOCS = ROOT / "docs"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}


def main() -> int:
    made = []
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as srv:
        with sync_playwright() as p:
            browser = launch(p)
            for name, viewport, scale, whole, offset in (
                ("desktop", DESKTOP, 1, False, 0),
                ("phone", PHONE, 2, True, 30),
            ):
                context = browser.new_context(viewport=viewport, device_scale_factor=scale)
                page = context.new_page()
                login(page, srv, offset)
                path = DOCS / f"dashboard-{name}.png"
                page.screenshot(path=str(path), full_page=whole)
                made.append(path)
                context.close()
            browser.close()
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
